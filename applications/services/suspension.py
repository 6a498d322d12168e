"""A draft's suspension while its trade's quota is closed: it may be edited, not paid for."""

from django.utils.translation import gettext_lazy as _

from quota import services as quota_services
from quota.exceptions import QuotaExhausted

from ..models import ApplicationGroup


def suspension_reason(*, group: ApplicationGroup, displayed: bool = False) -> str | None:
    """Why the draft cannot go on to payment now, or None when its trade's quota is open.

    Uses the group's applications (free when the caller prefetched them with their trades, as
    the wizard does) and asks quota.services.availability (one query), or with `displayed`
    (a page showing the draft, not a decision) quota.services.displayed_availability, the
    public status board's (no query while cached, forgotten on every quota change); the
    reason is worded from its refusal() (closed first, then the overall quota, then the
    trade's). Only drafts are suspended.
    """
    if not group.is_editable:
        return None
    principal = group.principal
    trade = principal.trade if principal is not None else None
    if trade is None:
        return None
    found = (
        quota_services.displayed_availability(trade=trade)
        if displayed
        else quota_services.availability(trade=trade)
    )
    refusal = found.refusal(trade_name=str(trade.name))
    if refusal is None:
        return None
    if isinstance(refusal, QuotaExhausted) and refusal.overall:
        return str(
            _(
                "The overall quota is used up. Applications, saved ones included, are "
                "suspended and cannot go on to payment until places become available again."
            )
        )
    if isinstance(refusal, QuotaExhausted):
        return str(
            _(
                "The quota for %(trade)s is used up. Applications for this trade, saved ones "
                "included, are suspended and cannot go on to payment until places become "
                "available again."
            )
            % {"trade": trade.name}
        )
    return str(
        _(
            "Applications for %(trade)s are not being accepted at the moment. Your application "
            "is suspended and cannot go on to payment until they are accepted again."
        )
        % {"trade": trade.name}
    )


def drafts_suspended(*, group: ApplicationGroup) -> bool:
    """True when the draft may be edited but not paid for: its trade's quota is closed."""
    return suspension_reason(group=group) is not None
