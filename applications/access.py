"""Who may open an application group: its applicant's session, its employer link, an officer.

The small contract the wizard, the documents pages and the back office share. Anyone else gets a
404 from the views that ask, so a guessed address tells nothing.

- The applicant's browser session remembers the groups it has opened (`remember_group`).
- The employer link carries a signed, expiring token naming the group and the employer part's
  current link nonce (`employer_token`); it opens the employing company's part only (section B
  documents), never the applicant's personal documents. A new nonce (each sending, taking the
  part back: `new_link_nonce`) revokes every earlier link.
- Officers are authenticated staff users in the "officer" or "supervisor" groups, or holding the
  `documents.view_upload` permission.
"""

from __future__ import annotations

import enum
import secrets
from datetime import timedelta

from django.core import signing
from django.http import HttpRequest

from .models import ApplicationGroup, EmployerPart
from .roles import OFFICER, SUPERVISOR

SESSION_KEY = "applications.open_groups"
NONCE_SEPARATOR = "."  # neither in a UUID nor in a nonce (URL-safe base64)
EMPLOYER_TOKEN_SALT = "applications.access.employer-link"  # noqa: S105 - a salt, not a secret
EMPLOYER_LINK_MAX_AGE = timedelta(days=14)
OFFICER_PERMISSION = "documents.view_upload"


class Access(enum.Enum):
    """The capacity in which a request opens a group."""

    APPLICANT = "applicant"
    EMPLOYER = "employer"
    OFFICER = "officer"


def remember_group(request: HttpRequest, group: ApplicationGroup) -> None:
    """Let this browser session open the group from now on (until the session ends)."""
    opened = list(request.session.get(SESSION_KEY, []))
    key = str(group.public_id)
    if key not in opened:
        opened.append(key)
        request.session[SESSION_KEY] = opened


def forget_group(request: HttpRequest, group: ApplicationGroup) -> None:
    opened = [key for key in request.session.get(SESSION_KEY, []) if key != str(group.public_id)]
    request.session[SESSION_KEY] = opened


def session_may_open(request: HttpRequest, group: ApplicationGroup) -> bool:
    return str(group.public_id) in request.session.get(SESSION_KEY, [])


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=EMPLOYER_TOKEN_SALT)


def new_link_nonce() -> str:
    """A fresh random nonce for EmployerPart.link_nonce (22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


def _current_nonce(group: ApplicationGroup) -> str:
    try:
        return group.employer.link_nonce
    except EmployerPart.DoesNotExist:
        return ""


def employer_token(group: ApplicationGroup, *, nonce: str | None = None) -> str:
    """A signed token for the employer link; it expires `EMPLOYER_LINK_MAX_AGE` after signing.

    It names the group and `nonce` (by default the employer part's current link nonce); it is
    valid only while that nonce is the part's current one.
    """
    nonce = _current_nonce(group) if nonce is None else nonce
    value = str(group.public_id)
    if nonce:
        value += NONCE_SEPARATOR + nonce
    return _signer().sign(value)


def group_for_employer_token(
    token: str, max_age: timedelta | int = EMPLOYER_LINK_MAX_AGE
) -> ApplicationGroup | None:
    """The group a valid, unexpired, current token names; None for a forged, altered, expired or
    revoked one (its nonce is no longer the employer part's). One query."""
    try:
        value = _signer().unsign(token, max_age=max_age)
    except (signing.BadSignature, TypeError):  # SignatureExpired is a BadSignature
        return None
    public_id, _sep, nonce = value.partition(NONCE_SEPARATOR)
    group = ApplicationGroup.objects.select_related("employer").filter(public_id=public_id).first()
    if group is None or not secrets.compare_digest(_current_nonce(group), nonce):
        return None
    return group


def is_officer(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if user.groups.filter(name__in=(OFFICER, SUPERVISOR)).exists():
        return True
    return user.has_perm(OFFICER_PERMISSION)


def access_for(
    request: HttpRequest, group: ApplicationGroup, employer_token: str | None = None
) -> Access | None:
    """How this request may open the group, or None when it may not."""
    if session_may_open(request, group):
        return Access.APPLICANT
    if employer_token:
        linked = group_for_employer_token(employer_token)
        if linked is not None and linked.pk == group.pk:
            return Access.EMPLOYER
    if is_officer(request):
        return Access.OFFICER
    return None


def can_view_group(
    request: HttpRequest, group: ApplicationGroup, employer_token: str | None = None
) -> bool:
    return access_for(request, group, employer_token) is not None
