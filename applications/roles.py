"""Back-office roles: officers review applications; supervisors also change quotas.

Roles are Django groups. Each app grants its own permissions to them through
`ROLE_PERMISSIONS` entries in ensure_roles(); the groups are kept in step by the seed command
and by a post-migrate hook.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

OFFICER = "officer"
SUPERVISOR = "supervisor"

# codename lists as "app_label.codename"; a supervisor has every officer permission too.
ROLE_PERMISSIONS: dict[str, list[str]] = {OFFICER: [], SUPERVISOR: []}
# quota: officers look at trades, pools, holds, allocations and the change log; only
# supervisors change pools (capacity, period, closing, reopening) and trades.
ROLE_PERMISSIONS[OFFICER] += [
    "quota.view_skilledtrade",
    "quota.view_quotapool",
    "quota.view_hold",
    "quota.view_allocation",
    "quota.view_quotachange",
]
ROLE_PERMISSIONS[SUPERVISOR] += [
    "quota.add_skilledtrade",
    "quota.change_skilledtrade",
    "quota.add_quotapool",
    "quota.change_quotapool",
]
# documents: officers look at uploads (and open the files) and supplementary requests.
ROLE_PERMISSIONS[OFFICER] += [
    "documents.view_upload",
    "documents.view_uploadversion",
    "documents.view_supplementaryrequest",
    "documents.view_supplementaryitem",
]
# payments: officers read attempts, their history and events, refunds and the fee; supervisors
# set a new fee and refund duplicate payments.
ROLE_PERMISSIONS[OFFICER] += [
    "payments.view_paymentattempt",
    "payments.view_attempttransition",
    "payments.view_providerevent",
    "payments.view_refund",
    "payments.view_fee",
]
ROLE_PERMISSIONS[SUPERVISOR] += [
    "payments.add_fee",
    "payments.refund_duplicate",
]


def ensure_roles() -> dict[str, Group]:
    """Create the role groups and give them exactly their permissions. Idempotent."""
    groups: dict[str, Group] = {}
    with transaction.atomic():
        for role in (OFFICER, SUPERVISOR):
            group, _created = Group.objects.get_or_create(name=role)
            names = set(ROLE_PERMISSIONS[OFFICER])
            if role == SUPERVISOR:
                names |= set(ROLE_PERMISSIONS[SUPERVISOR])
            permissions = [
                Permission.objects.get(content_type__app_label=label, codename=codename)
                for label, codename in (name.split(".", 1) for name in sorted(names))
            ]
            group.permissions.set(permissions)
            groups[role] = group
    return groups
