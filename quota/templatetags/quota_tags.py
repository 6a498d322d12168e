"""{% quota_status %}: the quota fragment the status page and the information pages show."""

from django import template

from quota.status import status_board

register = template.Library()


@register.inclusion_tag("quota/_status.html")
def quota_status() -> dict[str, object]:
    """The cached status board (one query at most per refresh)."""
    return {"board": status_board()}
