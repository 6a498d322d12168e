"""A checklist item with no file yet, drawn in Python: the bytes of documents/_item.html.

The wizard's documents page with eight dependants has some 45 items, each through the item
template (a dozen translated sentences, a form with its CSRF token); on opening day most have
no file yet, and through the template they were most of the page's time. `draw_item` draws an
item without uploads and declines (None) for one with files, which the template renders. The
first drawing in each process and language is compared with the template's output, and the
template is used for good if they ever differ (tests/documents/test_item_drawing.py compares
whole pages in the three languages).
"""

from __future__ import annotations

import logging

from django.template import Context
from django.template.base import render_value_in_context
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

TEMPLATE = "documents/_item.html"
# Per language: True once a drawing matched the template, False once one did not.
checked: dict[str | None, bool] = {}


def draw_item(context: Context, upload_url: str) -> str | None:
    """The item (`person`, `item` in the context) as the template renders it, if it has no
    uploads; `upload_url` is where its upload form posts."""
    item, person = context["item"], context["person"]
    if item.uploads:
        return None
    gettext, ngettext = translation.gettext, translation.ngettext

    def value(v: object) -> str:
        return render_value_in_context(v, context)

    key, code = value(person.key), value(item.code)
    errors = context.get("item_errors") or {}
    error = errors.get(str(person.key) + "-" + str(item.code), "")
    ident = key + "-" + code
    parts = ['\n<h3 id="item-', ident, '-title">', value(item.label)]
    if item.needed:
        parts += [' <span class="doc-item__required">', value(gettext("(required)")), "</span>"]
    parts.append("</h3>\n")
    parts += ['<p class="doc-item__guidance">' + value(text) + "</p>" for text in item.guidance]
    status = ngettext(
        "Status: <strong>%(state)s</strong>. At most %(counter)s file.",
        "Status: <strong>%(state)s</strong>. At most %(counter)s files.",
        item.max_files,
    ) % {"state": value(item.state_label), "counter": value(item.max_files)}
    parts += [
        '\n\n<p class="doc-item__state doc-item__state--', value(item.state), '">', status,
        "</p>\n\n",
    ]  # fmt: skip
    if context["viewer"].may_change and item.can_add:
        parts += _upload_form(context, upload_url, ident, key, code, error, value)
    parts += [
        '\n<p class="doc-item__error" id="item-', ident, '-error" role="alert" data-error',
        "" if error else " hidden", ">", value(error), "</p>\n\n",
    ]  # fmt: skip
    return "".join(parts)


def _upload_form(context, upload_url, ident, key, code, error, value) -> list[str]:
    gettext, ngettext = translation.gettext, translation.ngettext
    item = context["item"]
    token = context.get("csrf_token")
    csrf = (
        ""
        if not token or token == "NOTPROVIDED"  # noqa: S105 - the csrf_token tag's marker
        else '<input type="hidden" name="csrfmiddlewaretoken" value="'
        + conditional_escape(token)
        + '">'
    )
    return_url = context.get("return_url")
    accept = value(context.get("accept"))
    parts = [
        '\n<form class="doc-upload" method="post" enctype="multipart/form-data" action="',
        conditional_escape(upload_url), '" data-xhr>\n  ', csrf,
        '<input type="hidden" name="next" value="' + value(return_url) + '">' if return_url else "",
        '\n  <input type="hidden" name="person" value="', key,
        '">\n  <input type="hidden" name="item" value="', code, '">\n  ',
    ]  # fmt: skip
    label = {"label": value(item.label)}
    if item.room > 1:
        hint = ngettext(
            "You can choose up to %(counter)s file at once.",
            "You can choose up to %(counter)s files at once.",
            item.room,
        ) % {"counter": value(item.room)}
        parts += [
            '<label for="file-', ident, '">', gettext("Choose files for “%(label)s”") % label,
            '</label>\n  <p class="doc-upload__hint" id="file-', ident, '-hint">', hint,
            '</p>\n  <input type="file" id="file-', ident, '" name="file" accept="', accept,
            '" multiple required aria-describedby="file-', ident, "-hint",
            " item-" + ident + "-error" if error else "", '"',
            ' aria-invalid="true"' if error else "", ">\n  ",
        ]  # fmt: skip
    else:
        parts += [
            '<label for="file-', ident, '">', gettext("Choose a file for “%(label)s”") % label,
            '</label>\n  <input type="file" id="file-', ident, '" name="file" accept="', accept,
            '" required',
            ' aria-invalid="true" aria-describedby="item-' + ident + '-error"' if error else "",
            ">",
        ]  # fmt: skip
    parts += [
        '\n  <button type="submit">', value(gettext("Upload")),
        '</button>\n  <progress max="100" value="0" aria-label="',
        value(gettext("Upload progress")),
        '" hidden></progress>\n</form>\n',
    ]  # fmt: skip
    return parts


def render_item(context: Context, upload_url: str) -> SafeString:
    """The item drawn when it can be and the drawing is trusted in this language, else from
    the template (with the same context, as `{% include %}` renders it)."""
    language = translation.get_language()
    verdict = checked.get(language)
    drawn = None
    if verdict is not False and context.autoescape:
        drawn = draw_item(context, upload_url)
    if drawn is None:
        return _from_template(context)
    if verdict is None:
        expected = _from_template(context)
        checked[language] = drawn == expected
        if drawn != expected:
            logger.warning("A drawn documents item differs from %s; using it", TEMPLATE)
            return expected
    return mark_safe(drawn)  # noqa: S308 - every text escaped above


def _from_template(context: Context) -> SafeString:
    assert context.template is not None, "rendered inside a template"
    return mark_safe(context.template.engine.get_template(TEMPLATE).render(context))  # noqa: S308
