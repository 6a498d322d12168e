"""A field template rendered once per shape of field, then filled in.

The wizard's field template (`applications/wizard/_field.html`: label or legend, hint, error,
input) is included once per field, some 200 times on the dependants' page with eight. What it
writes depends on the field's kind, how many errors and choices it has and which of its texts
are empty (its shape), and then only on texts it copies into the page (label, hint, ids, the
errors, the widget's HTML). So the template is rendered once per shape and language with a
stand-in field whose texts are markers, and each field of that shape gets the template's output
with its own texts, escaped as the template escapes them, put in place of the markers.

A shape is used only when the template read nothing of the stand-in but those texts (else it
could depend on more than the shape), kept every marker intact, and gave, for the first real
field of that shape, exactly what the template itself gives; otherwise that shape is always
rendered by the template. tests/immapp/test_form_rendering.py compares whole pages with the
plain renderer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from django.forms import BoundField
from django.forms.widgets import ChoiceWidget
from django.template import Context
from django.template.base import render_value_in_context
from django.utils import translation

logger = logging.getLogger(__name__)

MARK = "\ue000"
MARKER = re.compile(MARK + "m([0-9]+)" + MARK)
Getter = Callable[[BoundField], Any]


class _Unknown(Exception):
    pass


class _Recorder:
    """Hands out one marker per text read, remembering how to read it from a real field."""

    def __init__(self) -> None:
        self.getters: list[Getter] = []
        self.keys: dict[tuple, str] = {}
        self.unknown = False

    def mark(self, key: tuple, getter: Getter) -> str:
        found = self.keys.get(key)
        if found is None:
            found = self.keys[key] = MARK + "m" + str(len(self.getters)) + MARK
            self.getters.append(getter)
        return found


class _StandInChoice:
    def __init__(self, recorder: _Recorder, index: int) -> None:
        self._r, self._i = recorder, index

    def tag(self) -> str:
        i = self._i
        return self._r.mark(("tag", i), lambda bf: list(bf)[i].tag())

    @property
    def id_for_label(self) -> str:
        i = self._i
        return self._r.mark(("choice_id", i), lambda bf: list(bf)[i].id_for_label)

    @property
    def choice_label(self) -> str:
        i = self._i
        return self._r.mark(("choice_label", i), lambda bf: list(bf)[i].choice_label)

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("__"):
            self._r.unknown = True
        raise AttributeError(name)


class _StandIn:
    """What the template may read of a field: its kind (as is) and its texts (as markers)."""

    def __init__(self, field: BoundField, recorder: _Recorder, choices: int) -> None:
        self._field, self._r, self._choices = field, recorder, choices
        self.widget_type = field.widget_type

    def _text(self, name: str) -> str:
        if not getattr(self._field, name):
            return ""
        return self._r.mark((name,), lambda bf: getattr(bf, name))

    label = property(lambda self: self._text("label"))
    help_text = property(lambda self: self._text("help_text"))
    auto_id = property(lambda self: self._text("auto_id"))
    id_for_label = property(lambda self: self._text("id_for_label"))

    @property
    def errors(self) -> list[str]:
        return [
            self._r.mark(("error", i), lambda bf, i=i: bf.errors[i])
            for i in range(len(self._field.errors))
        ]

    def __str__(self) -> str:
        return self._r.mark(("html",), str)

    __html__ = __str__

    def __iter__(self):
        if not self._choices:
            self._r.unknown = True
        return iter([_StandInChoice(self._r, i) for i in range(self._choices)])

    def __len__(self) -> int:
        if not self._choices:
            self._r.unknown = True
        return self._choices

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("__"):  # Python's own probes (hasattr) tell nothing
            self._r.unknown = True
        raise AttributeError(name)


class _Shape:
    def __init__(self, parts: list[str | int], getters: list[Getter]) -> None:
        self.parts, self.getters = parts, getters

    def fill(self, field: BoundField, context: Context) -> str:
        values = [render_value_in_context(get(field), context) for get in self.getters]
        return "".join(part if isinstance(part, str) else values[part] for part in self.parts)


def _choices(field: BoundField) -> int:
    widget = field.field.widget
    if isinstance(widget, ChoiceWidget) and widget.input_type in ("radio", "checkbox"):
        return len(field.subwidgets)
    return 0


class ShapedTemplate:
    """A compiled field template (context variable `field`) filled in per shape of field."""

    def __init__(self, template: Any) -> None:
        self.template = template
        self.origin = template.origin
        self.name = template.name
        self.engine = template.engine
        self.shapes: dict[tuple, _Shape | None] = {}

    def render(self, context: Context) -> str:
        field = context.get("field")
        if not isinstance(field, BoundField) or not context.autoescape:
            return self.template.render(context)
        choices = _choices(field)
        key = (
            translation.get_language(),
            field.widget_type,
            len(field.errors),
            choices,
            *(bool(getattr(field, name)) for name in ("label", "help_text", "auto_id")),
            bool(field.id_for_label),
        )
        shape = self.shapes.get(key, False)
        if shape is None:
            return self.template.render(context)
        if shape is not False:
            return shape.fill(field, context)  # type: ignore[union-attr]
        expected = self.template.render(context)
        made = self._make(field, context, choices)
        if made is not None and made.fill(field, context) != expected:
            logger.warning("%s: a shape of field differs from the template; not used", self.name)
            made = None
        self.shapes[key] = made
        return expected

    def _make(self, field: BoundField, context: Context, choices: int) -> _Shape | None:
        recorder = _Recorder()
        stand_in = _StandIn(field, recorder, choices)
        # Alone in its context: what it writes may depend on the field only.
        text = self.template.render(context.new({"field": stand_in}))
        if recorder.unknown:
            return None
        parts: list[str | int] = []
        position = 0
        for found in MARKER.finditer(text):
            parts.append(text[position : found.start()])
            parts.append(int(found.group(1)))
            position = found.end()
        parts.append(text[position:])
        if any(MARK in part for part in parts if isinstance(part, str)):
            return None  # a marker changed by a filter
        return _Shape(parts, recorder.getters)
