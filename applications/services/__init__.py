"""The applications app's use cases: views, the wizard, tasks, other apps and tests call these.

Drafts (start, save and exit, resume), the 14-day purge, the quota suspension, saving a wizard
step, signatures, the employer link and readiness for payment. Other apps import this package,
its models, exceptions and access, never its modules one by one.
"""

from .drafts import (
    DRAFT_LIFETIME,
    abandoned_drafts,
    deletion_date,
    first_step_path,
    resume_by_link,
    resume_by_reference,
    resume_link,
    resume_token,
    save_and_exit,
    send_saved_email,
    start_draft,
    touch,
    validate_contact_email,
)
from .employer import (
    EmployerStatus,
    employer_link,
    hand_to_employer,
    send_employer_link,
)
from .employer import status as employer_status
from .groups import load_group, lock_group
from .purge import purge_abandoned_drafts
from .readiness import Missing, Readiness, applicant_steps, readiness
from .signatures import (
    EMPLOYER_KEY,
    SignatureEntry,
    Signer,
    clean_drawn_signature,
    describe,
    required_signers,
    sign,
    signature_for,
    valid_signatures,
    void_changed_signatures,
)
from .steps import DependantsChange, Saved, dependants_of, save_step
from .suspension import drafts_suspended, suspension_reason

# Submission (the payment issue adds applications/services/submission.py): its entry points
# (going to payment, confirming a payment, the acknowledgment) are re-exported here.

__all__ = [
    "DRAFT_LIFETIME",
    "EMPLOYER_KEY",
    "DependantsChange",
    "EmployerStatus",
    "Missing",
    "Readiness",
    "Saved",
    "SignatureEntry",
    "Signer",
    "abandoned_drafts",
    "applicant_steps",
    "clean_drawn_signature",
    "deletion_date",
    "dependants_of",
    "describe",
    "drafts_suspended",
    "employer_link",
    "employer_status",
    "first_step_path",
    "hand_to_employer",
    "load_group",
    "lock_group",
    "purge_abandoned_drafts",
    "readiness",
    "required_signers",
    "resume_by_link",
    "resume_by_reference",
    "resume_link",
    "resume_token",
    "save_and_exit",
    "save_step",
    "send_employer_link",
    "send_saved_email",
    "sign",
    "signature_for",
    "start_draft",
    "suspension_reason",
    "touch",
    "valid_signatures",
    "validate_contact_email",
    "void_changed_signatures",
]
