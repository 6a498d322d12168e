"""Who may open an application group: its applicant's session, its employer link, an officer.

The small contract the wizard, the documents pages and the back office share. Anyone else gets a
404 from the views that ask, so a guessed address tells nothing.

- The applicant's browser session remembers the groups it has opened (`remember_group`), and
  the groups it saved and left (`leave_group`): those answer "You saved and left this
  application" (GroupSavedAndLeft, turned into that page by
  applications.middleware.SavedAndLeftMiddleware) rather than a bare 404, to that session only.
- The employer link carries a signed, expiring token naming the group and the employer part's
  current link nonce (`employer_token`); it opens the employing company's part only (section B
  documents), never the applicant's personal documents. A new nonce (each sending, taking the
  part back: `new_link_nonce`) revokes every earlier link; a part without a nonce accepts none,
  and the link opens nothing once the group is submitted.
- Officers are authenticated staff users verified by their second factor, in the "officer" or
  "supervisor" groups, or holding the `documents.view_upload` permission.

`applicant_group_or_404`, `submitted_group_or_404` and `employer_group_or_404` are the one way
a page loads the group it shows; `client_address` is the one place the client's address is read,
and `peer_is_trusted` says whether a proxy's forwarded headers are believed
(settings.TRUSTED_PROXIES). A submitted group is never editable: to its applicant's session,
`applicant_group_or_404` raises GroupSubmitted (a 404 where nobody handles it), which the
wizard's pages turn into a redirect to the acknowledgment (`acknowledgment_when_submitted`).
"""

from __future__ import annotations

import enum
import functools
import ipaddress
import secrets
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from .models import ApplicationGroup
from .roles import OFFICER, SUPERVISOR

SESSION_KEY = "applications.open_groups"
LEFT_SESSION_KEY = "applications.left_groups"
NONCE_SEPARATOR = "."  # neither in a UUID nor in a nonce (URL-safe base64)
EMPLOYER_TOKEN_SALT = "applications.access.employer-link"  # noqa: S105 - a salt, not a secret
EMPLOYER_LINK_MAX_AGE = timedelta(days=14)
OFFICER_PERMISSION = "documents.view_upload"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


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
    left = request.session.get(LEFT_SESSION_KEY) or {}
    if key in left:
        request.session[LEFT_SESSION_KEY] = {k: v for k, v in left.items() if k != key}


def forget_group(request: HttpRequest, group: ApplicationGroup) -> None:
    opened = [key for key in request.session.get(SESSION_KEY, []) if key != str(group.public_id)]
    request.session[SESSION_KEY] = opened


def leave_group(request: HttpRequest, group: ApplicationGroup) -> None:
    """Save and exit: this session no longer opens the group, and remembers that it left it
    (with its temporary reference, to offer resuming) until it opens it again."""
    forget_group(request, group)
    left = dict(request.session.get(LEFT_SESSION_KEY) or {})
    left[str(group.public_id)] = group.temporary_reference
    request.session[LEFT_SESSION_KEY] = left


def left_reference(request: HttpRequest, group: ApplicationGroup) -> str:
    """The temporary reference of the group if this session saved and left it, else ""."""
    return str((request.session.get(LEFT_SESSION_KEY) or {}).get(str(group.public_id), ""))


def session_may_open(request: HttpRequest, group: ApplicationGroup) -> bool:
    return str(group.public_id) in request.session.get(SESSION_KEY, [])


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=EMPLOYER_TOKEN_SALT)


def new_link_nonce() -> str:
    """A fresh random nonce for EmployerPart.link_nonce (22 URL-safe characters)."""
    return secrets.token_urlsafe(16)


def _current_nonce(group: ApplicationGroup) -> str:
    part = group.employer_part
    return part.link_nonce if part is not None else ""


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
    """The group a valid, unexpired, current token names, while it is still resumable; None for
    a forged, altered, expired or revoked one (its nonce is no longer the employer part's), for
    a part without a nonce, and once the group is submitted. One query.

    A part whose nonce is empty (made before nonces existed) accepts no link at all: a link
    without a nonce could never be revoked. Its next sending gives it one."""
    try:
        value = _signer().unsign(token, max_age=max_age)
    except (signing.BadSignature, TypeError):  # SignatureExpired is a BadSignature
        return None
    public_id, _sep, nonce = value.partition(NONCE_SEPARATOR)
    group = ApplicationGroup.objects.select_related("employer").filter(public_id=public_id).first()
    if group is None or not group.is_resumable:
        return None
    current = _current_nonce(group)
    if not current or not secrets.compare_digest(current, nonce):
        return None
    return group


def is_officer(request: HttpRequest) -> bool:
    """An active staff member in an officer's role, whose session passed the second factor
    (django-otp's middleware gives `is_verified`; immapp.staff)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return False
    if not getattr(user, "is_verified", lambda: False)():
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


@functools.lru_cache(maxsize=8)
def _networks(configured: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    try:
        return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in configured)
    except ValueError as error:
        raise ImproperlyConfigured("TRUSTED_PROXIES: " + str(error)) from None


def _parse_address(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    """Whether `address` is one of settings.TRUSTED_PROXIES (addresses or networks)."""
    parsed = _parse_address(address)
    if parsed is None:
        return False
    return any(parsed in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def peer_is_trusted(request: HttpRequest) -> bool:
    """Whether the request came straight from a trusted proxy, whose forwarded headers
    (X-Forwarded-For, X-Forwarded-Proto) are then believed; immapp.proxies removes them from
    every other request."""
    return is_trusted_proxy(request.META.get("REMOTE_ADDR") or "")


def client_address(request: HttpRequest) -> str:
    """The client's IP address ("" when unknown): what the rate limits count against and
    signatures record. The one place it is read.

    Without a trusted proxy in front (settings.TRUSTED_PROXIES empty, or the peer not in it)
    it is the connecting address, whatever the request's headers say. From a trusted proxy,
    X-Forwarded-For is read from the right (each proxy appends the address it saw), skipping
    trusted proxies: the first address no trusted proxy vouches for is the client's; what a
    client put further left is its own claim and ignored. A garbled entry stops the walk at
    the last proxy that was trusted.
    """
    address = request.META.get("REMOTE_ADDR") or ""
    if not is_trusted_proxy(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([hop for hop in forwarded.split(",") if hop.strip()]):
        parsed = _parse_address(hop)
        if parsed is None:
            break
        address = str(parsed)
        if not is_trusted_proxy(address):
            break
    return address


class GroupSubmitted(Http404):
    """The applicant's session opened a group that is submitted: nothing of it is editable.
    A 404 to a view that does not expect it; the wizard sends the applicant to the
    acknowledgment instead."""

    def __init__(self, group: ApplicationGroup) -> None:
        self.group = group
        super().__init__("submitted")


class GroupSavedAndLeft(Http404):
    """This session saved and left the group: a 404 to anyone else, but to this session the
    page that says so and how to resume (applications.middleware)."""

    def __init__(self, group: ApplicationGroup) -> None:
        self.group = group
        super().__init__("saved and left")


def refuse(request: HttpRequest, group: ApplicationGroup) -> Http404:
    """The error for a session that may not open the group: GroupSavedAndLeft when it saved
    and left it, a plain Http404 otherwise."""
    if left_reference(request, group):
        return GroupSavedAndLeft(group)
    return Http404()


def _session_group(request: HttpRequest, public_id: uuid.UUID | str) -> ApplicationGroup | None:
    """The group this session may open; raises GroupSavedAndLeft for one it saved and left."""
    group = ApplicationGroup.objects.with_parts().filter(public_id=public_id).first()
    if group is None:
        return None
    if not session_may_open(request, group):
        raise refuse(request, group)
    return group


def applicant_group_or_404(request: HttpRequest, public_id: uuid.UUID | str) -> ApplicationGroup:
    """The group with this public id, with its parts (ApplicationGroup.objects.with_parts), that
    this browser session may open and that is still resumable (a draft, or one whose payment is
    in flight); Http404 otherwise, so a guessed address tells nothing. A submitted group this
    session may open raises GroupSubmitted, one it saved and left GroupSavedAndLeft (both
    Http404)."""
    group = _session_group(request, public_id)
    if group is None:
        raise Http404
    if group.status == ApplicationGroup.Status.SUBMITTED:
        raise GroupSubmitted(group)
    if not group.is_resumable:
        raise Http404
    return group


def submitted_group_or_404(request: HttpRequest, public_id: uuid.UUID | str) -> ApplicationGroup:
    """The submitted group with this public id, with its parts, that this browser session may
    open (the acknowledgment pages); Http404 otherwise, a draft included."""
    group = _session_group(request, public_id)
    if group is None or group.status != ApplicationGroup.Status.SUBMITTED:
        raise Http404
    return group


def acknowledgment_when_submitted(
    view: Callable[..., HttpResponse],
) -> Callable[..., HttpResponse]:
    """Wrap a page of the applicant's wizard: a submitted group's page redirects to its
    acknowledgment instead of showing anything editable (a POST changes nothing)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except GroupSubmitted as submitted:
            return redirect("applications:acknowledgment", group_id=submitted.group.public_id)

    return wrapped


class EmployerLinkRefused(Http404):
    """A genuine employer link (its signature checks) that no longer opens the company's part,
    and why: `reason` is one of the constants below, `at` when that happened (the newer link
    sent, the link expired). applications.middleware turns it into a page (410) that says so
    and who can send a new link; a forged link stays a plain 404."""

    REPLACED = "replaced"  # a newer link was sent (at: when)
    TAKEN_BACK = "taken_back"  # the applicant now fills in the company's part
    EXPIRED = "expired"  # at: when it stopped working
    SUBMITTED = "submitted"
    CLOSED = "closed"  # the application was deleted

    def __init__(self, reason: str, *, at: datetime | None = None) -> None:
        self.reason = reason
        self.at = at
        super().__init__(reason)


def _signed_link(token: str) -> tuple[str, str, datetime] | None:
    """(public id, nonce, when signed) of a token whose signature checks, whatever its age."""
    signer = _signer()
    try:
        value = signer.unsign(token)  # the signature only: the age is looked at by the caller
        signed_at = signing.b62_decode(token.rsplit(signer.sep, 2)[-2])
    except (signing.BadSignature, TypeError, ValueError, IndexError):
        return None
    public_id, _sep, nonce = value.partition(NONCE_SEPARATOR)
    return public_id, nonce, datetime.fromtimestamp(signed_at, tz=UTC)


def employer_link_refusal(token: str, *, group: ApplicationGroup | None = None) -> Http404:
    """Why this employer link opens nothing: EmployerLinkRefused for a genuine link (for
    `group`, when given), a plain Http404 for a forged or garbled one. One query."""
    signed = _signed_link(token)
    if signed is None:
        return Http404()
    public_id, nonce, signed_at = signed
    if group is not None and public_id != str(group.public_id):
        return Http404()
    try:
        found = (
            ApplicationGroup.objects.select_related("employer").filter(public_id=public_id).first()
        )
    except ValidationError:  # not a UUID: only our own signer could have made it
        return Http404()
    if found is None:
        return EmployerLinkRefused(EmployerLinkRefused.CLOSED)
    part = found.employer_part
    if part is None or not secrets.compare_digest(part.link_nonce, nonce):
        if part is None or part.completed_by != part.CompletedBy.EMPLOYER:
            return EmployerLinkRefused(EmployerLinkRefused.TAKEN_BACK)
        return EmployerLinkRefused(EmployerLinkRefused.REPLACED, at=part.link_sent_at)
    if found.status == ApplicationGroup.Status.SUBMITTED:
        return EmployerLinkRefused(EmployerLinkRefused.SUBMITTED)
    expires_at = signed_at + EMPLOYER_LINK_MAX_AGE
    if expires_at <= datetime.now(tz=UTC):
        return EmployerLinkRefused(EmployerLinkRefused.EXPIRED, at=expires_at)
    if not found.is_resumable:
        return EmployerLinkRefused(EmployerLinkRefused.CLOSED)
    return Http404()


def employer_link_expires_at(token: str) -> datetime | None:
    """When this employer link stops working (None for one whose signature does not check)."""
    signed = _signed_link(token)
    return signed[2] + EMPLOYER_LINK_MAX_AGE if signed else None


def employer_group_or_404(token: str) -> ApplicationGroup:
    """The group a valid, current employer link names, with its parts, while it is resumable
    and its company's part is handed to employer HR. Otherwise raises EmployerLinkRefused
    (saying why) for a genuine link, Http404 for a forged one."""
    found = group_for_employer_token(token)
    if found is None:
        raise employer_link_refusal(token)
    group = ApplicationGroup.objects.with_parts().filter(pk=found.pk).first()
    if group is None or not group.is_resumable or not group.handed_to_employer:
        raise employer_link_refusal(token)
    return group
