"""Template helpers of the documents pages, and the checklist other apps' pages embed."""

from typing import Any

from django import template

from applications.access import Access
from applications.models import ApplicationGroup

from ..item_drawing import render_item
from ..links import ChecklistLinks, Links
from ..models import Upload
from ..sizes import human_size as _human_size
from ..viewer import Viewer
from ..views import checklist_context

register = template.Library()


@register.filter
def human_size(size: int | None) -> str:
    """A file size as people read it ("1 KB", "2.3 MB"): documents.sizes.human_size."""
    return _human_size(size)


@register.simple_tag(takes_context=True)
def item_error(context: template.Context, key: str, code: str) -> str:
    """The error of the last change to this item (shown beside it, without script too)."""
    return (context.get("item_errors") or {}).get(key + "-" + code, "")


@register.simple_tag(takes_context=True)
def document_url(context: template.Context, action: str, upload: Upload | None = None) -> str:
    """The address of an item's action ("upload", or "file", "replace" or "delete" of one
    upload) on the page rendering it: its `document_links`, else the group's checklist."""
    links: Links | None = context.get("document_links")
    if links is None:
        links = ChecklistLinks(context["group"], context["viewer"].query)
    if action == "upload":
        return links.upload()
    assert upload is not None, "an upload's action needs the upload"
    actions = {"file": links.file, "replace": links.replace, "delete": links.delete}
    return actions[action](upload)


@register.simple_tag(takes_context=True)
def document_item(context: template.Context) -> str:
    """The checklist's item (`person`, `item`): documents/_item.html, drawn in Python for an
    item with no file yet (documents.item_drawing)."""
    return render_item(context, document_url(context, "upload"))


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
