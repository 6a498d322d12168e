"""Template helpers of the documents pages."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def item_error(context: template.Context, key: str, code: str) -> str:
    """The error of the last change to this item (shown beside it, without script too)."""
    return context.get("item_errors", {}).get(key + "-" + code, "")
