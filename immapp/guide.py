"""The pages of the service guide and the data each one shows."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class GuidePage:
    slug: str
    title: Promise


GUIDE_PAGES: tuple[GuidePage, ...] = (
    GuidePage("who-can-use", _("Who can use this service")),
    GuidePage("eligibility", _("Eligibility")),
    GuidePage("quota", _("Quota")),
    GuidePage("documents", _("Documents checklist")),
    GuidePage("file-formats", _("File formats")),
    GuidePage("fees", _("Fees and payment methods")),
    GuidePage("group-submission", _("Group submission")),
    GuidePage("supplementary-documents", _("Supplementary documents")),
    GuidePage("help", _("Help and contact")),
)


def guide_context(slug: str) -> dict[str, object]:
    """Data a guide page shows, read from the apps that own it."""
    if slug == "documents":
        from documents.catalogue import CATALOGUE, Section

        return {
            "sections": [
                (section, [item for item in CATALOGUE if item.section == section.value])
                for section in Section
            ]
        }
    if slug == "fees":
        from payments.methods import METHOD_GROUPS

        return {"fee_hkd": settings.APPLICATION_FEE_HKD, "method_groups": METHOD_GROUPS}
    if slug == "file-formats":
        from documents.catalogue import MAX_FILE_BYTES

        return {"max_file_mb": MAX_FILE_BYTES // (1024 * 1024)}
    return {}
