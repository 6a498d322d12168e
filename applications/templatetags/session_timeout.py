"""{% session_timeout_settings %}: the numbers the session-timeout warning needs."""

from django import template
from django.conf import settings

register = template.Library()

WARNING_SECONDS = 120


@register.simple_tag
def session_timeout_settings() -> dict[str, int]:
    """The session's lifetime and how long before its end the warning shows, in seconds."""
    return {"age": settings.SESSION_COOKIE_AGE, "warning": WARNING_SECONDS}
