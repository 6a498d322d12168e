"""Declarations and signatures: who must sign, signing, and voiding on a later change.

Who signs: the applicant; each dependant aged 16 or over; a parent or legal guardian for each
dependant under 16; the employing company's authorised person. Each signature keeps the name,
time, IP address, the drawn image or typed name, and a fingerprint of the data it covers; when
that data changes the signature is voided (never deleted), and the person must sign again.
"""

import base64
import binascii
import hashlib
import io
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..eligibility import age_on
from ..exceptions import SignatureError, SignedDataChanged
from ..models import Application, ApplicationGroup, EmployerPart, Signature
from ..wizard.fieldnames import COMPANY_FIELDS, EMPLOYMENT_FIELDS
from ..wizard.validators import SELF_SIGNING_AGE
from .groups import load_group, lock_group

PNG_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_BYTES = 200 * 1024
EMPLOYER_KEY = "employer"
NO_LONGER_A_DRAFT = _("This application can no longer be changed, so it cannot be signed now.")

PERSON_FIELDS = (
    "role", "relationship", "surname", "given_names", "chinese_name", "sex", "date_of_birth",
    "place_of_birth", "nationality", "marital_status", "residence",
    "overseas_chinese_prc_passport", "in_hong_kong", "travel_document_type",
    "travel_document_number", "travel_document_place_of_issue", "travel_document_issue_date",
    "travel_document_expiry_date", "hkid_number", "email", "phone", "address",
    "academic_qualifications", "work_experience", "professional_qualifications", "trade_id",
)  # fmt: skip


@dataclass(frozen=True)
class Signer:
    """One declaration the group needs: `key` names it in forms ("0", "3", "employer")."""

    key: str
    role: str
    application: Application | None

    @property
    def person_name(self) -> str:
        return self.application.full_name if self.application else ""

    @property
    def title(self) -> str:
        if self.role == Signature.Role.APPLICANT:
            return str(_("Applicant: %(name)s")) % {"name": self.person_name}
        if self.role == Signature.Role.DEPENDANT:
            return str(_("Dependant: %(name)s")) % {"name": self.person_name}
        if self.role == Signature.Role.GUARDIAN:
            return str(_("Parent or legal guardian of %(name)s (under 16)")) % {
                "name": self.person_name
            }
        return str(_("The employing company's authorised person"))


def required_signers(
    group: ApplicationGroup, *, on: date | None = None, employer: bool = True
) -> list[Signer]:
    """Everyone who must sign, in order; reads the group's (prefetched) applications only."""
    on = on or timezone.localdate()
    signers = []
    for application in group.applications.all():
        key = str(application.position)
        if application.is_principal:
            signers.append(Signer(key, Signature.Role.APPLICANT, application))
        elif application.date_of_birth and age_on(application.date_of_birth, on) < SELF_SIGNING_AGE:
            signers.append(Signer(key, Signature.Role.GUARDIAN, application))
        else:
            signers.append(Signer(key, Signature.Role.DEPENDANT, application))
    if employer:
        signers.append(Signer(EMPLOYER_KEY, Signature.Role.EMPLOYER, None))
    return signers


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return value


def fingerprint(group: ApplicationGroup, signer: Signer) -> str:
    """A digest of the data the signer's declaration covers.

    A person's declaration covers their own particulars; the applicant's also the employment
    terms; the company's covers its particulars, the employment terms and the applicant's name
    and trade.
    """
    employer = group.employer_part
    covered: dict[str, object] = {"role": signer.role}
    if signer.application is not None:
        covered["person"] = {n: _plain(getattr(signer.application, n)) for n in PERSON_FIELDS}
    if signer.role in (Signature.Role.APPLICANT, Signature.Role.EMPLOYER):
        covered["employment"] = {n: _plain(getattr(employer, n, None)) for n in EMPLOYMENT_FIELDS}
    if signer.role == Signature.Role.EMPLOYER:
        covered["company"] = {n: _plain(getattr(employer, n, None)) for n in COMPANY_FIELDS}
        principal = group.principal
        covered["applicant"] = [
            principal.full_name if principal else "",
            principal.trade_id if principal else None,
        ]
    encoded = json.dumps(covered, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


def clean_drawn_signature(value: str) -> str:
    """Check a drawn signature: a PNG data URL, small, an image Pillow can read, not blank.

    Raises ValidationError with a message for the person signing.
    """
    if not value.startswith(PNG_PREFIX):
        raise ValidationError(
            _("The drawn signature could not be read. Draw it again."), code="signature_format"
        )
    try:
        raw = base64.b64decode(value[len(PNG_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(
            _("The drawn signature could not be read. Draw it again."), code="signature_format"
        ) from None
    if len(raw) > MAX_SIGNATURE_BYTES:
        raise ValidationError(
            _("The drawn signature is too large. Clear it and draw it again."),
            code="signature_size",
        )
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format != "PNG" or image.width > 2000 or image.height > 1000:
                raise ValueError(image.format)
            image.load()
            extrema = image.convert("L").getextrema()
            alpha = image.getchannel("A").getextrema() if "A" in image.getbands() else (255, 255)
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError(
            _("The drawn signature could not be read. Draw it again."), code="signature_format"
        ) from None
    if extrema[0] == extrema[1] and alpha[0] == alpha[1]:
        raise ValidationError(
            _("The signature box is empty. Draw your signature."), code="signature_blank"
        )
    return value


@dataclass(frozen=True)
class SignatureEntry:
    """What one signer gave on the declarations page; `shown_fingerprint` is the fingerprint
    of the data the page showed them (posted back from the page)."""

    signer: Signer
    signer_name: str
    capacity: str
    drawn_image: str
    typed_name: str
    shown_fingerprint: str


def _current_signer(group: ApplicationGroup, signer: Signer) -> Signer | None:
    """The signer as the group's current rows make them (same key and role), or None."""
    for current in required_signers(group):
        if current.key == signer.key and current.role == signer.role:
            return current
    return None


def _same(a: str, b: str) -> bool:
    return secrets.compare_digest(a.encode(), b.encode())  # bytes: any text may be posted


def is_current(group: ApplicationGroup, signer: Signer, signature: Signature) -> bool:
    """Whether the signature still covers the group's data as it is (its fingerprint)."""
    return _same(signature.fingerprint, fingerprint(group, signer))


def _row(
    group: ApplicationGroup, entry: SignatureEntry, *, ip_address: str | None, now: datetime
) -> Signature:
    """The signature for `entry` over the group's current data; SignedDataChanged when that
    is not the data the signer was shown."""
    signer = _current_signer(group, entry.signer)
    if signer is None:  # the person left the group, or now signs in another role
        raise SignedDataChanged()
    covered = fingerprint(group, signer)
    if not _same(covered, entry.shown_fingerprint):
        raise SignedDataChanged()
    return Signature(
        group=group,
        application=signer.application,
        role=signer.role,
        signer_name=entry.signer_name,
        capacity=entry.capacity,
        method=Signature.Method.DRAWN if entry.drawn_image else Signature.Method.TYPED,
        drawn_image=entry.drawn_image,
        typed_name="" if entry.drawn_image else entry.typed_name,
        ip_address=ip_address,
        signed_at=now,
        fingerprint=covered,
    )


def sign(
    *, group: ApplicationGroup, entries: Sequence[SignatureEntry], ip_address: str | None
) -> list[Signature]:
    """Record the signatures (one insert) in one transaction, under the group's row lock.

    Under the lock the group is read again, and each entry's shown fingerprint must be the
    fingerprint of the data as it is now: otherwise SignedDataChanged, saving nothing (the
    data changed after the page showed it; a change that commits after this one voids the
    signature, since saving a step takes the same lock). Raises SignatureError, saving
    nothing, when the group is no longer a draft, or one of them is already signed meanwhile
    (the constraint allows one valid signature per person and one for the company). Signing
    the company's declaration marks the employer's part completed, and, once committed, emails
    a confirmation to the company (HR and the authorised person) and, when HR signed through
    its link, tells the applicant (applications.services.notifications).
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            try:
                lock_group(pk=group.pk)
            except ApplicationGroup.DoesNotExist:
                raise SignatureError(NO_LONGER_A_DRAFT) from None
            current = load_group(pk=group.pk)
            if current is None or not current.is_editable:
                raise SignatureError(NO_LONGER_A_DRAFT)
            rows = [_row(current, entry, ip_address=ip_address, now=now) for entry in entries]
            created = Signature.objects.bulk_create(rows)
            if any(entry.signer.role == Signature.Role.EMPLOYER for entry in entries):
                EmployerPart.objects.filter(group=group).update(completed_at=now, updated_at=now)
                _tell_company_signed(current)
    except IntegrityError:
        raise SignatureError(
            _("Someone signed this declaration meanwhile. Check the page and try again.")
        ) from None
    return created


def _tell_company_signed(group: ApplicationGroup) -> None:
    from .notifications import Notification, queue  # notifications import this module

    queue(notification=Notification.COMPANY_SIGNED, group_id=group.pk)
    if group.handed_to_employer:
        queue(notification=Notification.COMPANY_FINISHED, group_id=group.pk)


def valid_signatures(group: ApplicationGroup) -> list[Signature]:
    return list(Signature.objects.filter(group=group, voided_at__isnull=True))


def signature_for(signer: Signer, signatures: Iterable[Signature]) -> Signature | None:
    for signature in signatures:
        if signature.role != signer.role:
            continue
        if signer.application is None or signature.application_id == signer.application.pk:
            return signature
    return None


def void_changed_signatures(*, group_id: int) -> list[Signature]:
    """Void every valid signature whose covered data changed, or whose signer changed role
    (a child who turned 16 signs for themselves). Four queries, whatever the group's size.

    Call it inside the transaction that changed the data. Voiding the company's signature
    marks the employer's part as not completed.
    """
    signatures = list(
        Signature.objects.filter(group_id=group_id, voided_at__isnull=True).select_for_update()
    )
    if not signatures:
        return []
    group = (
        ApplicationGroup.objects.select_related("employer")
        .prefetch_related(
            Prefetch("applications", queryset=Application.objects.order_by("position"))
        )
        .get(pk=group_id)
    )
    signers = required_signers(group)
    now = timezone.now()
    voided = []
    for signature in signatures:
        signer = next((s for s in signers if signature_for(s, [signature]) is not None), None)
        if signer is None:
            signature.void_reason = "no longer needed"
        elif fingerprint(group, signer) != signature.fingerprint:
            signature.void_reason = "data changed after signing"
        else:
            continue
        signature.voided_at = now
        voided.append(signature)
    if voided:
        Signature.objects.bulk_update(voided, ["voided_at", "void_reason"])
        if any(s.role == Signature.Role.EMPLOYER for s in voided):
            EmployerPart.objects.filter(group_id=group_id).update(completed_at=None)
    return voided


def describe(signature: Signature, applications: Iterable[Application]) -> str:
    """Whose signature it was, for the message that tells the user it was voided."""
    if signature.application_id is None:
        return str(_("the employing company's authorised person"))
    for application in applications:
        if application.pk == signature.application_id:
            return application.full_name or str(application.get_role_display())
    return signature.signer_name
