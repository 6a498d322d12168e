"""{% check_rows section %}: the rows of a section of check your answers, drawn in Python.

The page with eight dependants has some 150 rows, each a link to the step that changes the
answer with a hidden label for screen readers; through the template (`_check_rows.html`: a
`{% url %}`, a `{% translate %}` and a `{% blocktranslate %}` per row) that was most of the
page's time. The drawing gives the same bytes; the first drawing in each process and language
is compared with the template's output, and the template is used for good if they differ
(tests/applications/test_check_rows.py compares whole pages).
"""

from __future__ import annotations

import logging
from typing import Any

from django import template
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()
logger = logging.getLogger(__name__)

TEMPLATE = "applications/wizard/_check_rows.html"
# Per language: True once a drawing matched the template, False once one did not.
_checked: dict[str | None, bool] = {}


def draw_rows(section: Any, group: Any) -> str:
    """The rows as `_check_rows.html` renders them (autoescaped)."""
    change = conditional_escape(translation.gettext("Change"))
    hidden = translation.pgettext("a row of check your answers", "%(label)s (%(section)s)")
    title = conditional_escape(section.title)
    hrefs: dict[str, str] = {}
    parts = []
    for row in section.rows:
        parts.append(
            '\n    <div class="check-list__row">\n      <dt class="check-list__key">'
            + conditional_escape(row.label)
            + '</dt>\n      <dd class="check-list__value">'
            + linebreaksbr(row.value, autoescape=True)
            + '</dd>\n      <dd class="check-list__action">'
        )
        if row.step:
            href = hrefs.get(row.step)
            if href is None:
                href = hrefs[row.step] = conditional_escape(
                    reverse("applications:wizard", args=[group.public_id, row.step])
                )
            anchor = (
                "#id_" + conditional_escape(row.step) + "-" + conditional_escape(row.anchor)
                if row.anchor
                else ""
            )
            label = hidden % {"label": conditional_escape(row.label), "section": title}
            parts.append(
                '<a href="'
                + href
                + "?return=check"
                + anchor
                + '">'
                + change
                + '<span class="visually-hidden"> '
                + label
                + "</span></a>"
            )
        parts.append("</dd>\n    </div>\n    ")
    return "".join(parts)


@register.simple_tag(takes_context=True)
def check_rows(context: template.Context, section: Any) -> SafeString:
    """The section's rows; needs `group` in the context."""
    group = context["group"]
    language = translation.get_language()
    verdict = _checked.get(language)
    if verdict is False or not context.autoescape:
        return _from_template(context, section)
    drawn = draw_rows(section, group)
    if verdict is None:
        expected = _from_template(context, section)
        _checked[language] = drawn == expected
        if drawn != expected:
            logger.warning("Drawn check rows differ from %s; using it", TEMPLATE)
            return expected
    return mark_safe(drawn)  # noqa: S308 - every text escaped above


def _from_template(context: template.Context, section: Any) -> SafeString:
    rows = context.template.engine.get_template(TEMPLATE)
    with context.push(section=section):
        return mark_safe(rows.render(context))  # noqa: S308 - an autoescaped template
