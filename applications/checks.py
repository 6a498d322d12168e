"""System checks of the applications app (runserver, migrate and `manage.py check` run them)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning, register


@register()
def acknowledgment_font_installed(**kwargs: Any) -> list[CheckMessage]:
    """The PDF acknowledgment needs the CJK font: say so at start-up rather than at the first
    submission."""
    path = Path(settings.ACKNOWLEDGMENT_FONT)
    if path.is_file():
        return []
    return [
        Warning(
            "The font for the PDF acknowledgment is missing: " + str(path) + ".",
            hint="Install it with: apt-get install -y fonts-noto-cjk (or set "
            "ACKNOWLEDGMENT_FONT to a NotoSansCJK-Regular.ttc). Until then, downloading or "
            "emailing an acknowledgment fails.",
            id="applications.W001",
        )
    ]
