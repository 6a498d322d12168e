"""Helpers of the back-office case tests: staff in each role, submitted groups made quickly."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from applications import references
from applications.models import Application, ApplicationGroup, EmployerPart
from applications.roles import ensure_roles
from quota.models import SkilledTrade

_numbers = itertools.count(1)


def staff_user(role: str, *, username: str = ""):
    """An active staff user in the role's group ("officer" or "supervisor")."""
    user = get_user_model().objects.create_user(
        username=username or role + "-" + str(next(_numbers)), password="not-used", is_staff=True
    )
    user.groups.set([ensure_roles()[role]])
    return user


def bulk_cases(count: int, trade: SkilledTrade, *, dependants_every: int = 0) -> list[int]:
    """`count` submitted groups made with bulk_create (a principal each, a spouse on every
    `dependants_every`-th), their company filled in; the group ids."""
    now = timezone.now()
    groups = ApplicationGroup.objects.bulk_create(
        ApplicationGroup(
            temporary_reference=references.new_reference(),
            contact_email="bulk@example.com",
            scheme="GEP",
            status=ApplicationGroup.Status.SUBMITTED,
            submitted_at=now - datetime.timedelta(minutes=number),
        )
        for number in range(count)
    )
    applications = []
    for number, group in enumerate(groups):
        serial = str(next(_numbers)).rjust(6, "0")
        common = {
            "group": group,
            "status": Application.Status.SUBMITTED,
            "submitted_at": group.submitted_at,
            "surname": "Bulk" + serial,
            "given_names": "Person",
            "travel_document_number": "B" + serial,
        }
        applications.append(
            Application(
                role=Application.Role.PRINCIPAL,
                position=0,
                trade=trade,
                reference_number="TP26-GEP-" + serial + "-Z",
                **common,
            )
        )
        if dependants_every and number % dependants_every == 0:
            common["travel_document_number"] = "D" + serial
            applications.append(
                Application(
                    role=Application.Role.DEPENDANT,
                    position=1,
                    relationship=Application.Relationship.SPOUSE,
                    reference_number="TP26-GEP-" + serial + "-Y",
                    **common,
                )
            )
    Application.objects.bulk_create(applications)
    EmployerPart.objects.bulk_create(
        EmployerPart(group=group, company_name_en="Bulk Company Limited") for group in groups
    )
    return [group.pk for group in groups]
