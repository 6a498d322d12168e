"""The drawn widget templates (immapp.form_rendering) give the same bytes as Django's templates:
widget by widget with awkward values, and whole wizard pages under both renderers."""

import logging
import re
from datetime import date

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.safestring import mark_safe

from immapp import form_rendering
from immapp.date_input import DateWidget
from immapp.form_rendering import DRAWN, DrawnWidgetsRenderer
from tests.applications import drafting
from tests.applications import wizard_client as wc


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


STOCK = "django.forms.renderers.DjangoTemplates"
OURS = "immapp.form_rendering.DrawnWidgetsRenderer"
AWKWARD = 'O\'Brien & <Sons> "Ltd"'

WIDGETS = [
    forms.TextInput(attrs={"class": "input", "autocomplete": "name", "spellcheck": "false"}),
    forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "maxlength": 20}),
    forms.EmailInput(attrs={"class": "input"}),
    forms.NumberInput(attrs={"min": 1, "step": "any"}),
    forms.PasswordInput(render_value=True),
    forms.URLInput(),
    forms.HiddenInput(attrs={"data-signature-data": ""}),
    forms.CheckboxInput(),
    forms.Textarea(attrs={"class": "textarea", "rows": 3, "autocomplete": "street-address"}),
    forms.RadioSelect(choices=[("yes", "Yes"), ("no", AWKWARD), ("", "Not known")]),
    forms.CheckboxSelectMultiple(choices=[("a", "A & B"), ("b", "<b>")]),
    forms.Select(choices=[("", "Choose a level"), ("bachelor", "Bachelor's degree")]),
    forms.Select(choices=[("Group <1>", [("1", "One"), ("2", AWKWARD)]), ("3", "Three")]),
    forms.SelectMultiple(choices=[("1", "One"), ("2", "Two")]),
    forms.FileInput(attrs={"accept": "image/png,application/pdf"}),
    forms.ClearableFileInput(),
    MultipleFileInput(attrs={"accept": "image/png"}),
    forms.SplitHiddenDateTimeWidget(),
]
VALUES = [None, "", AWKWARD, mark_safe("<i>kept</i>"), "2", 7, True, False, ["1", "2"]]
MULTI_VALUES = [None, ["2026-12-04", AWKWARD]]
ATTRS = [None, {"id": "id_x", "required": True, "aria-describedby": "id_x_helptext", "x": False}]


def test_every_drawn_template_is_found_by_djangos_renderer():
    names = set(DRAWN)
    engine = DjangoTemplates().engine
    for name in names:
        assert engine.get_template(name) is not None


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda widget: type(widget).__name__)
def test_each_widget_renders_the_same_bytes_as_djangos_templates(widget):
    stock, ours = DjangoTemplates(), DrawnWidgetsRenderer()
    compared = 0
    for value in VALUES if not isinstance(widget, forms.MultiWidget) else MULTI_VALUES:
        for attrs in ATTRS:
            expected = widget.render("field", value, attrs=attrs, renderer=stock)
            assert widget.render("field", value, attrs=attrs, renderer=ours) == expected
            compared += 1
    assert compared >= 4


DATE_WIDGETS = [
    DateWidget(),
    DateWidget(parts=("month", "year")),
    DateWidget(attrs={"aria-describedby": "id_x_helptext"}, autocomplete="bday"),
]
DATE_VALUES = [None, "", "1990-03-27", "not a date", date(2015, 5, 1), ["27", AWKWARD, ""]]


@pytest.mark.parametrize("language", ["en", "zh-hant"])
@pytest.mark.parametrize("widget", DATE_WIDGETS, ids=lambda widget: "-".join(widget.parts))
def test_the_date_input_renders_the_same_bytes_as_its_template(widget, language):
    stock, ours = DjangoTemplates(), DrawnWidgetsRenderer()
    compared = 0
    with translation.override(language):
        for value in DATE_VALUES:
            for attrs in ATTRS:
                expected = widget.render("when", value, attrs=attrs, renderer=stock)
                assert widget.render("when", value, attrs=attrs, renderer=ours) == expected
                assert widget.render("when", value, attrs=attrs, renderer=ours) == expected
                compared += 1
    assert compared == 12
    assert 'class="date-input__label"' in expected
    drawn = ours.engine.engine.template_loaders[0].drawn  # none given up for its template
    assert {t.name for t in drawn.values() if t.draw is not None} >= {"immapp/date_input.html"}


def test_a_date_box_that_is_not_a_text_input_is_left_to_the_template():
    widget = DateWidget()
    widget.widgets[1] = forms.NumberInput()
    stock, ours = DjangoTemplates(), DrawnWidgetsRenderer()
    for _ in range(2):
        expected = widget.render("when", "1990-03-27", renderer=stock)
        assert widget.render("when", "1990-03-27", renderer=ours) == expected
    assert 'type="number"' in expected


@pytest.mark.parametrize("wrap_label", [True, False])
def test_radio_and_checkbox_options_render_as_their_templates(wrap_label):
    stock, ours = DjangoTemplates(), DrawnWidgetsRenderer()

    class Choose(forms.Form):
        radio = forms.ChoiceField(choices=[("a", AWKWARD), ("b", "B")], widget=forms.RadioSelect)
        boxes = forms.MultipleChoiceField(
            choices=[("a", "A"), ("b", "<B>")], widget=forms.CheckboxSelectMultiple
        )

    for data in (None, {"radio": "a", "boxes": ["b"]}):
        outputs = []
        for renderer in (stock, ours):
            form = Choose(data=data, renderer=renderer)
            outputs.append(
                [choice.tag(wrap_label=wrap_label) for name in form.fields for choice in form[name]]
            )
        assert outputs[0] == outputs[1]
        assert len(outputs[0]) == 4


def test_a_template_included_by_name_is_drawn_with_its_closing_newlines():
    stock, ours = DjangoTemplates().engine, DrawnWidgetsRenderer().engine
    context = {
        "widget": {
            "type": "text",
            "name": "a",
            "value": AWKWARD,
            "attrs": {"id": "id_a", "required": True},
            "template_name": "django/forms/widgets/text.html",
        }
    }
    for name in ("text", "input", "attrs", "hidden", "checkbox"):
        source = '{% include "django/forms/widgets/' + name + '.html" %}|'
        expected = stock.from_string(source).render(context)
        drawn = ours.from_string(source).render(context)
        assert drawn == expected and expected.endswith("|")


def test_a_drawing_that_differs_from_its_template_gives_way_to_the_template(caplog, monkeypatch):
    name = "django/forms/widgets/textarea.html"
    monkeypatch.setitem(DRAWN, name, lambda widget, context: "<textarea>wrong</textarea>\n")
    renderer = DrawnWidgetsRenderer()
    widget = forms.Textarea()

    with caplog.at_level(logging.WARNING, logger=form_rendering.__name__):
        first = widget.render("a", "text", renderer=renderer)
        second = widget.render("a", "other", renderer=renderer)

    assert first == widget.render("a", "text", renderer=DjangoTemplates())
    assert second == widget.render("a", "other", renderer=DjangoTemplates())
    assert "differs from its template" in caplog.text


# --- whole pages: the wizard's forms (every widget type they use), under both renderers ---------

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page(client, url: str, settings, renderer: str, data: dict | None = None) -> str:
    settings.FORM_RENDERER = renderer  # Django forgets the default renderer on this change
    assert type(get_default_renderer()).__name__ == renderer.rsplit(".", 1)[1]
    response = client.post(url, data) if data is not None else client.get(url)
    assert response.status_code in (200, 400), (url, response.status_code)
    return CSRF.sub("", response.content.decode())


@pytest.fixture
def eight(client, db):
    trade = drafting.trade_with_pool()
    group = wc.open_draft(client, trade)
    rows = [wc.dependant("spouse", travel_document_place_of_issue=AWKWARD)]
    rows += [
        wc.dependant("child", wc.years_ago(2 + n), given_names="Child " + "ABCDEFG"[n])
        for n in range(7)
    ]
    wc.fill_to(client, group, trade, "check", rows=rows)
    return group


STEPS = (
    "applicant", "qualifications", "employment", "employer", "company", "dependants",
    "documents", "check", "declarations",
)  # fmt: skip


@pytest.mark.django_db
def test_every_wizard_page_with_eight_dependants_is_the_same_under_both_renderers(
    client, settings, eight
):
    for step in STEPS:
        url = wc.url(eight, step)
        assert page(client, url, settings, OURS) == page(client, url, settings, STOCK), step


@pytest.mark.django_db
def test_pages_with_errors_and_kept_input_are_the_same_under_both_renderers(
    client, settings, eight
):
    wrong_applicant = wc.applicant(surname="<b>", email="not an address", date_of_birth_0="31")
    wrong_dependants = wc.dependants(
        [wc.dependant("spouse", surname="", nationality="XX"), wc.dependant("child")]
    )
    for step, values in (("applicant", wrong_applicant), ("dependants", wrong_dependants)):
        data = {**wc.management(eight, step), **wc.prefixed(step, values)}
        url = wc.url(eight, step)
        assert page(client, url, settings, OURS, data) == page(client, url, settings, STOCK, data)
        back = {**data, "wizard_goto_step": "employer"}  # kept as typed, shown without errors
        assert client.post(url, back).status_code == 302
        assert page(client, url, settings, OURS) == page(client, url, settings, STOCK), step


# --- field templates filled in per shape (immapp.field_shapes) -----------------------------------


class Person(forms.Form):
    surname = forms.CharField(label=AWKWARD, help_text="As on the <passport>")
    given = forms.CharField(label="Given names")
    other = forms.CharField(label="Other names", required=False)
    sex = forms.ChoiceField(choices=[("F", "Female"), ("M", "Male")], widget=forms.RadioSelect)
    relation = forms.ChoiceField(choices=[("a", "A & B"), ("c", "C")], widget=forms.RadioSelect)


def shaped(source: str):
    from immapp.field_shapes import ShapedTemplate

    template = DjangoTemplates().engine.engine.from_string(source)
    return ShapedTemplate(template), template


def both(source: str, form: forms.Form) -> tuple[list[str], list[str], object]:
    from django.template import Context

    wrapper, template = shaped(source)
    ours = [wrapper.render(Context({"field": form[name]})) for name in form.fields]
    plain = [template.render(Context({"field": form[name]})) for name in form.fields]
    return ours, plain, wrapper


FIELD = (
    '<label for="{{ field.id_for_label }}">{{ field.label }}</label>'
    "{% if field.help_text %}<p>{{ field.help_text }}</p>{% endif %}"
    "{% for error in field.errors %}<p>{{ error }}</p>{% endfor %}"
    '{% if field.widget_type == "radioselect" %}{% for choice in field %}{{ choice.tag }}'
    '<label for="{{ choice.id_for_label }}">{{ choice.choice_label }}</label>{% endfor %}'
    "{% else %}{{ field }}{% endif %}"
)


@pytest.mark.parametrize("data", [None, {"surname": "<b>", "sex": "X"}])
def test_fields_of_one_shape_are_filled_in_with_their_own_texts(data, monkeypatch):
    ours, plain, wrapper = both(FIELD, Person(data=data))

    assert ours == plain
    assert any(shape is not None for shape in wrapper.shapes.values())
    # The second field of a shape is not rendered by the template.
    monkeypatch.setattr(wrapper.template, "render", lambda context: "by the template")
    from django.template import Context

    form = Person(data=data)
    assert wrapper.render(Context({"field": form["relation"]})) == plain[4]
    assert wrapper.render(Context({"field": form["given"]})) == plain[1]


@pytest.mark.parametrize(
    "source",
    [
        "{{ field.label|upper }}|{{ field }}",  # a text changed by a filter
        "{{ field.name }}: {{ field }}",  # something else than the texts of the shape
        '{% if field.label == "Given names" %}given{% endif %}{{ field }}',  # a text compared
        "{{ field.field.required }}{{ field }}",
    ],
)
def test_a_template_that_depends_on_more_than_the_shape_is_rendered_as_it_is(source):
    ours, plain, _wrapper = both(source, Person())

    assert ours == plain
    assert "given" in "".join(plain) or "Given" not in source
