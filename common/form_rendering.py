"""Template tags of the project's widget templates (templates/django/forms/, FORM_RENDERER).

Registered as the ``form_rendering`` library in the TEMPLATES options: the widget templates are
the project's, not an app's.
"""

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


@register.simple_tag(takes_context=True)
def select_options(context, options):
    """The ``<option>`` elements of one group of a select, character for character what
    Django's select.html writes by including select_option.html once per option; built here
    because those includes were most of the time of a filter bar (a unit list has dozens of
    options). An option with another template is rendered by that template, as Django does."""
    parts = []
    for option in options:
        if option["template_name"] == OPTION_TEMPLATE:
            html = _option(option, context)
        else:
            with context.push(widget=option):
                html = context.template.engine.get_template(option["template_name"]).render(context)
        parts.append(f"\n  {html}")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped as the template would)


def _formatted(value, context):
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe value safe."""
    text = stringformat(value, "s")
    if isinstance(value, SafeData):
        text = mark_safe(text)  # noqa: S308 (it was safe before formatting)
    return render_value_in_context(text, context)


def _option(option, context):
    # select_option.html and attrs.html: `{% if value is not False %} {{ name }}{% if value is
    # not True %}="{{ value|stringformat:'s' }}"{% endif %}{% endif %}` for each attribute.
    attrs = "".join(
        f" {render_value_in_context(name, context)}"
        + ("" if value is True else f'="{_formatted(value, context)}"')
        for name, value in option["attrs"].items()
        if value is not False
    )
    value = _formatted(option["value"], context)
    label = render_value_in_context(option["label"], context)
    return f'<option value="{value}"{attrs}>{label}</option>\n'
