"""The employing company's part: filled in by the applicant, or by employer HR through a link.

The link is signed and expires (applications.access.employer_token, EMPLOYER_LINK_MAX_AGE); it
opens only the employer's steps (steps.EMPLOYER_STEPS). HR sees the applicant's name, trade and
the employment terms, never the applicant's personal documents.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .. import emails, limits
from ..access import EMPLOYER_LINK_MAX_AGE, employer_token, new_link_nonce
from ..exceptions import EmployerLinkError
from ..models import ApplicationGroup, EmployerPart, Signature
from ..wizard import steps


@dataclass(frozen=True)
class EmployerStatus:
    """What the applicant sees of the company's part."""

    completed_by: str
    link_sent_to: str
    link_sent_at: datetime | None
    company_done: bool
    signature: Signature | None

    @property
    def by_employer(self) -> bool:
        return self.completed_by == EmployerPart.CompletedBy.EMPLOYER

    @property
    def done(self) -> bool:
        return self.company_done and self.signature is not None

    @property
    def link_expires_at(self) -> datetime | None:
        return self.link_sent_at + EMPLOYER_LINK_MAX_AGE if self.link_sent_at else None


def status(
    group: ApplicationGroup, *, completed: frozenset[str], signatures: list[Signature]
) -> EmployerStatus:
    """What the applicant sees of the company's part; `completed` is the group's completed
    steps (applications.wizard.storage.completed_steps)."""
    employer = group.employer_part
    signature = next((s for s in signatures if s.role == Signature.Role.EMPLOYER), None)
    return EmployerStatus(
        completed_by=employer.completed_by if employer else "",
        link_sent_to=employer.link_sent_to if employer else "",
        link_sent_at=employer.link_sent_at if employer else None,
        company_done=steps.COMPANY in completed,
        signature=signature,
    )


def employer_link(group: ApplicationGroup, *, nonce: str | None = None) -> str:
    """The absolute address of the employer's first step, in the group's language; `nonce` as
    in applications.access.employer_token."""
    with translation.override(group.language):
        path = reverse(
            "applications:employer_wizard",
            kwargs={"token": employer_token(group, nonce=nonce), "step": steps.COMPANY},
        )
    return settings.SITE_URL + path


SEND_WINDOW_SECONDS = 24 * 60 * 60


def send_limits(*, group: ApplicationGroup, to: str, client_address: str) -> list[tuple]:
    """What one sending counts against: the draft, the recipient and the client, each with
    its daily allowance from settings (EMPLOYER_LINK_DAILY_SENDS_PER_*)."""

    def daily(name: str, count: int) -> limits.Limit:
        return limits.Limit("employer-link:" + name, count, SEND_WINDOW_SECONDS)

    return [
        (daily("draft", settings.EMPLOYER_LINK_DAILY_SENDS_PER_DRAFT), str(group.public_id)),
        (daily("recipient", settings.EMPLOYER_LINK_DAILY_SENDS_PER_RECIPIENT), to.lower()),
        (daily("client", settings.EMPLOYER_LINK_DAILY_SENDS_PER_CLIENT), client_address),
    ]


def send_employer_link(*, group: ApplicationGroup, to: str, client_address: str) -> None:
    """Email employer HR a fresh signed link to the company's part, and record it.

    The link carries a new nonce, recorded once the email is sent: every link sent before stops
    working (to whichever address it went). Only while the group is a draft whose company part
    is handed to the employer. The email comes from the official sender, so sendings are
    limited per day for the draft, for the recipient and for the client asking (`send_limits`,
    counted before sending; a sending the mail server refused is not counted), and the
    subject holds nothing the applicant typed. Raises EmployerLinkError (nothing sent or
    recorded) when it is not a draft handed to the employer, a limit is reached, or the mail
    server refuses.
    """
    employer = EmployerPart.objects.filter(group=group).first()
    if (
        not group.is_editable
        or employer is None
        or (employer.completed_by != EmployerPart.CompletedBy.EMPLOYER)
    ):
        raise EmployerLinkError(_("The company's part is not handed to the employer."))
    checks = send_limits(group=group, to=to, client_address=client_address)
    if not limits.take(checks):
        raise EmployerLinkError(
            _(
                "The link to the company's part has been sent too many times today. Ask the "
                "company to use the last link sent, or try again tomorrow."
            )
        )
    principal = group.principal
    sent_at = timezone.now()
    nonce = new_link_nonce()
    with translation.override(group.language):
        context = {
            "group": group,
            "applicant": principal.full_name if principal else "",
            "trade": principal.trade.name if principal and principal.trade else "",
            "link": employer_link(group, nonce=nonce),
            "expires_on": timezone.localdate(sent_at + EMPLOYER_LINK_MAX_AGE),
        }
    sent = emails.send(
        to=to,
        language=group.language,
        template="applications/wizard/email/employer_link",
        context=context,
    )
    if not sent:
        limits.give_back(checks)
        raise EmployerLinkError(
            _("The email could not be sent. Check the address and try again later.")
        )
    EmployerPart.objects.filter(pk=employer.pk).update(
        link_sent_to=to, link_sent_at=sent_at, link_nonce=nonce, updated_at=sent_at
    )


def hand_to_employer(*, group: ApplicationGroup, to: str, client_address: str) -> bool:
    """After the employer step chose employer HR: send the link to `to`, unless it was
    already sent to that same address. True when an email went out now.

    Raises EmployerLinkError (nothing recorded) as send_employer_link does.
    """
    part = EmployerPart.objects.filter(group=group).first()
    if part is not None and part.link_sent_at is not None and part.link_sent_to == to:
        return False
    send_employer_link(group=group, to=to, client_address=client_address)
    return True
