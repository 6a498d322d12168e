"""The error summary of the pages before the wizard (applications/entry/_error_summary.html)."""

from django import forms, template

from ..wizard.fields import error_anchor

register = template.Library()


@register.simple_tag
def error_links(form: forms.BaseForm) -> list[dict[str, str]]:
    """Each error of `form` as {"href", "message"}: a message about the form as a whole has no
    link (""); a field's links to its input, for a date to the first box left empty."""
    entries = [{"href": "", "message": str(message)} for message in form.non_field_errors()]
    errors = form.errors.as_data()
    for name in form.fields:  # in the page's order
        bound = form[name]
        for error in errors.get(name, []):
            for message in error:
                entries.append({"href": "#" + error_anchor(bound, error), "message": message})
    return entries
