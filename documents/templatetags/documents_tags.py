"""Template helpers of the documents pages, and the checklist other apps' pages embed."""

from typing import Any

from django import template

from applications.access import Access
from applications.models import ApplicationGroup

from ..viewer import Viewer
from ..views import checklist_context

register = template.Library()


@register.simple_tag(takes_context=True)
def item_error(context: template.Context, key: str, code: str) -> str:
    """The error of the last change to this item (shown beside it, without script too)."""
    return (context.get("item_errors") or {}).get(key + "-" + code, "")


@register.inclusion_tag("documents/_checklist.html", takes_context=True)
def documents_checklist(
    context: template.Context,
    group: ApplicationGroup,
    access: Access,
    token: str = "",
    return_url: str = "",
) -> dict[str, Any]:
    """The group's documents checklist with its upload forms, as `access` sees it (`token`: the
    employer link's, for Access.EMPLOYER). `return_url` is the embedding page's own address, so
    a change comes back to it. The page loads documents/documents.css and upload.js."""
    viewer = Viewer(group, access, token or "")
    return checklist_context(context["request"], viewer, return_url=return_url)
