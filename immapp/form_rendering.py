"""The form renderer: Django's template-based one, with its plainest widget templates drawn in
Python.

A wizard page with eight dependants draws some 400 inputs, radios and options, each through
Django's `input.html` and `attrs.html` (two template renders, a dozen variable look-ups each);
measured by bench/pages.py, that was most of the page's time. The project's own form templates
(`_form.html`, `_field.html`, the dependants' formset) stay templates and still include these
by name: only the templates listed in DRAWN (Django's own, and the service's date input,
immapp/date_input.html, drawn around them) are drawn by the functions below, which give the
same bytes as the templates (tests/immapp/test_form_rendering.py compares every one, and each
process compares the first drawing of each name with the template itself and keeps the
template if they ever differ, as after a Django upgrade changed one).
Everything else, the admin's widgets included, is rendered from its template as before.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import django.forms
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.loaders import cached
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

from .field_shapes import ShapedTemplate

logger = logging.getLogger(__name__)

Widget = Mapping[str, Any]


def _escaped(value: object) -> str:
    """conditional_escape(value), without its lazy-argument check for a plain str (the
    drawings escape some 2,500 texts on the dependants' page with eight)."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)


def _formatted(value: object) -> str:
    """`{{ value|stringformat:'s' }}` with autoescaping."""
    text = str(value) if isinstance(value, tuple) else "%s" % (value,)  # noqa: UP031 - as the filter
    return text if isinstance(value, SafeData) else html.escape(text)


def attrs(widget: Widget) -> str:
    """django/forms/widgets/attrs.html"""
    parts = []
    for name, value in widget["attrs"].items():
        if value is False:
            continue
        parts.append(" " + _escaped(name))
        if value is not True:
            parts.append('="' + _formatted(value) + '"')
    return "".join(parts)


def input_tag(widget: Widget) -> str:
    """django/forms/widgets/input.html, without its closing newline."""
    value = widget["value"]
    return (
        '<input type="'
        + _escaped(widget["type"])
        + '" name="'
        + _escaped(widget["name"])
        + '"'
        + ("" if value is None else ' value="' + _formatted(value) + '"')
        + attrs(widget)
        + ">"
    )


def input_option(widget: Widget, context: Context) -> str:
    """django/forms/widgets/input_option.html, without its closing newline."""
    if not widget.get("wrap_label"):
        return input_tag(widget) + "\n"
    ident = widget["attrs"].get("id")
    return (
        "<label"
        + (' for="' + _escaped(ident) + '"' if ident else "")
        + ">"
        + input_tag(widget)
        + "\n "
        + render_value_in_context(widget["label"], context)
        + "</label>"
    )


def textarea(widget: Widget, context: Context) -> str:
    """django/forms/widgets/textarea.html, without its closing newline."""
    value = widget["value"]
    return (
        '<textarea name="'
        + _escaped(widget["name"])
        + '"'
        + attrs(widget)
        + ">\n"
        + (render_value_in_context(value, context) if value else "")
        + "</textarea>"
    )


def select_option(widget: Widget, context: Context) -> str:
    """django/forms/widgets/select_option.html, without its closing newline."""
    return (
        '<option value="'
        + _formatted(widget["value"])
        + '"'
        + attrs(widget)
        + ">"
        + render_value_in_context(widget["label"], context)
        + "</option>"
    )


def select(widget: Widget, context: Context) -> str | None:
    """django/forms/widgets/select.html, without its closing newline; None (the template
    draws it) when an option has a template of its own."""
    parts = ['<select name="' + _escaped(widget["name"]) + '"' + attrs(widget) + ">"]
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append('\n  <optgroup label="' + _escaped(group_name) + '">')
        for option in group_choices:
            if option["template_name"] != SELECT_OPTION:
                return None
            parts.append("\n  " + select_option(option, context) + "\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def date_input(widget: Widget, context: Context) -> str | None:
    """immapp/date_input.html (immapp.date_input.DateWidget's boxes), without its closing
    newline; None (the template draws it) when a box is not a plain text input."""
    parts = ['<div class="date-input">']
    for box in widget["subwidgets"]:
        if box["template_name"] != WIDGETS + "text.html":
            return None
        parts.append(
            '\n  <div class="date-input__item"><label class="date-input__label" for="'
            + render_value_in_context(box["attrs"].get("id", ""), context)
            + '">'
            + render_value_in_context(box.get("part_label", ""), context)
            + "</label>"
            + input_tag(box)
            + "\n\n</div>"
        )
    parts.append("\n</div>")
    return "".join(parts)


WIDGETS = "django/forms/widgets/"
SELECT_OPTION = WIDGETS + "select_option.html"
Drawing = Callable[[Widget, Context], "str | None"]
_INPUT: Drawing = lambda widget, context: input_tag(widget) + "\n"  # noqa: E731
_INCLUDES_INPUT: Drawing = lambda widget, context: input_tag(widget) + "\n\n"  # noqa: E731

# Template name: its drawing, the exact text the template renders (closing newlines included);
# all Django's own but the service's date input.
DRAWN: dict[str, Drawing] = {
    WIDGETS + "attrs.html": lambda widget, context: attrs(widget),
    WIDGETS + "input.html": _INPUT,
    **{
        WIDGETS + name + ".html": _INCLUDES_INPUT
        for name in ("text", "email", "number", "password", "url", "hidden", "checkbox")
    },
    WIDGETS + "input_option.html": lambda widget, context: input_option(widget, context) + "\n",
    **{
        WIDGETS + name + "_option.html": lambda widget, context: (
            input_option(widget, context) + "\n\n"
        )
        for name in ("radio", "checkbox")
    },
    WIDGETS + "textarea.html": lambda widget, context: textarea(widget, context) + "\n",
    SELECT_OPTION: lambda widget, context: select_option(widget, context) + "\n",
    WIDGETS + "select.html": lambda widget, context: _then_newline(select(widget, context)),
    "immapp/date_input.html": lambda widget, context: _then_newline(date_input(widget, context)),
}


def _then_newline(text: str | None) -> str | None:
    return None if text is None else text + "\n"


class DrawnTemplate:
    """A compiled template whose output a Python function gives instead, for the same context
    (`widget`); the template itself when the function declines (returns None), when
    autoescaping is off, and for good in this process when the first drawing differs from the
    template's own output."""

    def __init__(self, template: Any, draw: Drawing) -> None:
        self.template = template
        self.draw: Drawing | None = draw
        self.checked = False
        self.origin = template.origin
        self.name = template.name
        self.engine = template.engine

    def render(self, context: Context) -> str:
        draw = self.draw
        widget = context.get("widget") if draw is not None and context.autoescape else None
        if draw is None or widget is None:
            return self.template.render(context)
        drawn = draw(widget, context)
        if drawn is None:
            return self.template.render(context)
        if not self.checked:
            expected = self.template.render(context)
            self.checked = True
            if drawn != expected:
                logger.warning("Drawn %s differs from its template; using it", self.name)
                self.draw = None
                return expected
        return drawn


# Field templates rendered once per shape of field (immapp.field_shapes).
SHAPED = frozenset({"applications/wizard/_field.html"})


class Loader(cached.Loader):
    """The cached loader, handing out the templates of DRAWN with their drawings and those of
    SHAPED filled in per shape of field."""

    def get_template(self, template_name: str, skip: list[Any] | None = None) -> Any:
        template = super().get_template(template_name, skip)
        draw = DRAWN.get(template_name)
        if skip or (draw is None and template_name not in SHAPED):
            return template
        key = self.cache_key(template_name, skip)
        wrapped = self.drawn.get(key)
        if wrapped is None or wrapped.template is not template:
            wrapped = self.drawn[key] = (
                DrawnTemplate(template, draw) if draw is not None else ShapedTemplate(template)
            )
        return wrapped

    @cached_property
    def drawn(self) -> dict[str, DrawnTemplate | ShapedTemplate]:
        return {}

    def reset(self) -> None:
        super().reset()
        self.drawn.clear()


class DrawnWidgetsRenderer(DjangoTemplates):
    """FORM_RENDERER: Django's DjangoTemplates renderer, the same directories in the same order,
    with the loader above.

    A widget's template whose drawing has been checked against it in this process is drawn
    straight from the widget's context, without the template engine's Context (built per
    widget, some 600 times on the dependants' page with eight): the drawing reads only
    `widget` and the settings of an autoescaping Context with no request."""

    def render(self, template_name: str, context: dict, request: Any = None) -> str:
        template = self.get_template(template_name)
        drawn_template = getattr(template, "template", None)
        if (
            request is None
            and isinstance(drawn_template, DrawnTemplate)
            and drawn_template.checked
            and drawn_template.draw is not None
            and self.plain_context.autoescape
        ):
            widget = context.get("widget")
            if widget is not None:
                drawn = drawn_template.draw(widget, self.plain_context)
                if drawn is not None:
                    return drawn.strip()
        return template.render(context, request=request).strip()

    @cached_property
    def plain_context(self) -> Context:
        """What a widget's template is rendered with when there is no request: read only."""
        return Context(autoescape=self.engine.engine.autoescape)

    @cached_property
    def engine(self):  # type: ignore[override]
        return self.backend(
            {
                "APP_DIRS": False,
                "DIRS": [Path(django.forms.__file__).parent / self.backend.app_dirname],
                "NAME": "djangoforms",
                "OPTIONS": {
                    "loaders": [
                        (
                            "immapp.form_rendering.Loader",
                            [
                                "django.template.loaders.filesystem.Loader",
                                "django.template.loaders.app_directories.Loader",
                            ],
                        )
                    ]
                },
            }
        )
