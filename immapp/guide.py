"""The pages of the service guide and the data each one shows.

The facts come from the apps that own them (the documents catalogue, the payment methods, the
skilled trades officers maintain), so a page never disagrees with what the service enforces.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: Promise
    summary: Promise


GUIDE_PAGES: tuple[GuidePage, ...] = (
    GuidePage(
        "who-can-use",
        _("Who can use this service"),
        _("Who applies online, and what this service is not for."),
    ),
    GuidePage(
        "eligibility",
        _("Eligibility"),
        _("The schemes, age, skilled trades, contract and pay you need."),
    ),
    GuidePage(
        "quota",
        _("Quota"),
        _("How many places there are and what happens when they are used up."),
    ),
    GuidePage(
        "documents",
        _("Documents checklist"),
        _("The documents the applicant, the employer and each dependant upload."),
    ),
    GuidePage(
        "file-formats",
        _("File formats"),
        _("The file types, sizes and colours the service accepts."),
    ),
    GuidePage(
        "fees",
        _("Fees and payment methods"),
        _("What each application costs and how you can pay."),
    ),
    GuidePage(
        "group-submission",
        _("Group submission"),
        _("Applying together with your spouse or partner and children."),
    ),
    GuidePage(
        "supplementary-documents",
        _("Supplementary documents"),
        _("Checking your status and sending documents an officer asks for."),
    ),
    GuidePage(
        "help",
        _("Help and contact"),
        _("Contact details, accessibility, and what to do if something went wrong."),
    ),
)

BY_SLUG: dict[str, GuidePage] = {page.slug: page for page in GUIDE_PAGES}


def _documents() -> dict[str, object]:
    from documents.catalogue import CATALOGUE, Condition, Requirement, Section

    def when(item: Requirement) -> Promise:
        if item.condition != Condition.ALWAYS:
            return Condition(item.condition).label
        return _("Always") if item.mandatory else _("Optional")

    return {
        "sections": [
            (
                section,
                [
                    {"item": item, "when": when(item)}
                    for item in CATALOGUE
                    if item.section == section.value
                ],
            )
            for section in Section
        ]
    }


def _eligibility() -> dict[str, object]:
    from quota.models import SkilledTrade

    return {"trades": list(SkilledTrade.objects.filter(active=True))}


def _quota() -> dict[str, object]:
    return {"hold_minutes": settings.QUOTA_HOLD_MINUTES}


def _fees() -> dict[str, object]:
    from applications.models import MAX_APPLICATIONS_PER_GROUP
    from payments import services as payments
    from payments.methods import METHOD_GROUPS

    cents = payments.fee_cents_now() or 0
    sizes = sorted({1, 2, 3, MAX_APPLICATIONS_PER_GROUP})
    return {
        "fee_hkd": payments.dollars(cents),
        "method_groups": METHOD_GROUPS,
        "fee_examples": [
            {"people": people, "dependants": people - 1, "total": payments.dollars(people * cents)}
            for people in sizes
        ],
    }


def _file_formats() -> dict[str, object]:
    from documents.catalogue import MAX_FILE_BYTES

    return {"max_file_mb": MAX_FILE_BYTES // (1024 * 1024)}


def _group_submission() -> dict[str, object]:
    from applications.models import MAX_APPLICATIONS_PER_GROUP, MAX_DEPENDANTS
    from payments import services as payments

    return {
        "fee_hkd": payments.dollars(payments.fee_cents_now() or 0),
        "max_applications": MAX_APPLICATIONS_PER_GROUP,
        "max_dependants": MAX_DEPENDANTS,
    }


_CONTEXT = {
    "documents": _documents,
    "eligibility": _eligibility,
    "fees": _fees,
    "file-formats": _file_formats,
    "group-submission": _group_submission,
    "quota": _quota,
}


def guide_context(slug: str) -> dict[str, object]:
    """Data the guide page `slug` shows, read from the apps that own it."""
    build = _CONTEXT.get(slug)
    return build() if build else {}
