"""The applications app's use cases: views, the wizard, tasks, other apps and tests call these.

Drafts (start, save and exit, resume), the 14-day purge, the quota suspension, saving a wizard
step, signatures, the employer link, readiness for payment, going to payment and submission
(the payments app calls begin_payment, end_payment and submit_paid_group), and the
acknowledgment, the status look-up and finding a submitted application by its reference
number (the documents app's supplementary page); `send_email` is the one way any app sends
an email in a group's language. The officers' workflow, assignment and the audit trail are
namespaces of this package (`services.review.approve(...)`, `services.assignment.assign(...)`,
`services.audit.record_view(...)`): their names are short and would clash here. Other apps
import this package, its models, exceptions and access, never its modules one by one.
"""

from ..emails import send as send_email
from . import assignment, audit, review
from .acknowledgment import (
    PROCESSING_WEEKS,
    Acknowledgment,
    acknowledgment_for,
    acknowledgment_pdf,
    hkd,
    pdf_filename,
    pending_acknowledgments,
    send_acknowledgment,
    send_slot_lost_email,
)
from .drafts import (
    DRAFT_LIFETIME,
    abandoned_drafts,
    choose_language,
    deletion_date,
    find_by_reference,
    first_step_path,
    resume_by_link,
    resume_by_reference,
    resume_link,
    resume_token,
    save_and_exit,
    send_saved_email,
    start_draft,
    task_list_path,
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
from .lookup_terms import reference_search_term, stored_reference
from .notifications import Notification
from .notifications import queue as queue_notification
from .notifications import send as send_notification
from .purge import purge_abandoned_drafts
from .readiness import Missing, Readiness, applicant_steps, readiness
from .review_emails import pending_decision_emails, send_decision_email
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
from .status import (
    StatusLine,
    StatusReport,
    find_submitted_application,
    is_application_reference,
    is_status_reference,
    look_up_status,
    submitted_application,
)
from .steps import DependantsChange, Saved, dependants_of, save_step
from .submission import (
    Submission,
    begin_payment,
    display_name,
    end_payment,
    is_submitted,
    submit_paid_group,
)
from .suspension import drafts_suspended, suspension_reason
from .tasklist import PAY, Task, TaskList, TaskStatus, task_list

__all__ = [
    "DRAFT_LIFETIME",
    "EMPLOYER_KEY",
    "PAY",
    "PROCESSING_WEEKS",
    "Acknowledgment",
    "DependantsChange",
    "EmployerStatus",
    "Missing",
    "Notification",
    "Readiness",
    "Saved",
    "SignatureEntry",
    "Signer",
    "StatusLine",
    "StatusReport",
    "Submission",
    "Task",
    "TaskList",
    "TaskStatus",
    "abandoned_drafts",
    "acknowledgment_for",
    "acknowledgment_pdf",
    "applicant_steps",
    "assignment",
    "audit",
    "begin_payment",
    "choose_language",
    "clean_drawn_signature",
    "deletion_date",
    "dependants_of",
    "describe",
    "display_name",
    "drafts_suspended",
    "employer_link",
    "employer_status",
    "end_payment",
    "find_by_reference",
    "find_submitted_application",
    "first_step_path",
    "hand_to_employer",
    "hkd",
    "is_application_reference",
    "is_status_reference",
    "is_submitted",
    "load_group",
    "lock_group",
    "look_up_status",
    "pdf_filename",
    "pending_acknowledgments",
    "pending_decision_emails",
    "purge_abandoned_drafts",
    "queue_notification",
    "readiness",
    "reference_search_term",
    "required_signers",
    "resume_by_link",
    "resume_by_reference",
    "resume_link",
    "resume_token",
    "review",
    "save_and_exit",
    "save_step",
    "send_acknowledgment",
    "send_decision_email",
    "send_email",
    "send_employer_link",
    "send_notification",
    "send_saved_email",
    "send_slot_lost_email",
    "sign",
    "signature_for",
    "start_draft",
    "stored_reference",
    "submit_paid_group",
    "submitted_application",
    "suspension_reason",
    "task_list",
    "task_list_path",
    "touch",
    "valid_signatures",
    "validate_contact_email",
    "void_changed_signatures",
]
