"""Template tags for rendering forms: the project's widget templates (templates/django/forms/,
FORM_RENDERER) and the cached filter bar (templates/includes/filter_form.html).

Registered as the ``form_rendering`` library in the TEMPLATES options: the widget templates are
the project's, not an app's.
"""

import hashlib

from django import template
from django.forms import ModelChoiceField
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.templatetags.l10n import unlocalize
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

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


def _attrs(attrs, context):
    """attrs.html: `{% if value is not False %} {{ name }}{% if value is not True %}="{{
    value|stringformat:'s' }}"{% endif %}{% endif %}` for each attribute."""
    return "".join(
        f" {render_value_in_context(name, context)}"
        + ("" if value is True else f'="{_formatted(value, context)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _option(option, context):
    """select_option.html, with attrs.html for its attributes."""
    attrs = _attrs(option["attrs"], context)
    value = _formatted(option["value"], context)
    label = render_value_in_context(option["label"], context)
    return f'<option value="{value}"{attrs}>{label}</option>\n'


# Models a change to any row of which replaces the access generation (accountability.apps,
# accountability.person_cache): see ``versioned_choices``.
_VERSIONED = set()


def versioned_choices(*models):
    """Declare that saving or deleting any row of ``models`` replaces the access generation.

    A filter bar's choice list over one of them is then named in ``filter_fingerprint`` by the
    generation instead of being read: it is drawn from the reader's scope and those rows alone,
    so the same person on the same page under the same generation has the same choices. Declare
    a model only if every filter's choices over it depend on nothing else (no rows of another,
    undeclared model: the inspections a unit head sees depend on measures, so they are read).
    """
    _VERSIONED.update(models)


@register.filter
def fingerprint(form):
    """A digest of everything a form's fields render from, for ``{% cache %}``'s vary-on: each
    field's name, id, kind, widget and its attributes, label, help text, flags, bound value,
    errors and choices (the reader's own: a choice list comes from their scope), in the active
    language. Two forms with the same fingerprint render the same HTML, so a fragment cached
    under it cannot show anything its reader would not have been shown anyway; when a unit is
    renamed or a choice added, the fingerprint changes with it and nothing needs invalidating."""
    return _digest(form, None)


@register.simple_tag(takes_context=True)
def filter_fingerprint(context, form):
    """``fingerprint`` for a filter bar, without reading the choice lists it can name instead.

    Reading them was most of a list page's filter bar: three queries and a model per unit,
    leader or kind, to look the cached fragment up (bench/bench_page_cpu.py). A choice list over
    a model of ``versioned_choices`` is named by the access generation the request read
    (``request.access_generation``, set by accountability.person_cache) and the page's full
    path (the supervising body's drill-down reads another organisation's scope on its own
    path); the rest of the digest is ``fingerprint``'s. Without a generation (no shared cache,
    or it did not answer) every list is read, as ``fingerprint`` does."""
    request = context.get("request")
    generation = getattr(request, "access_generation", None)
    if generation is None:
        return _digest(form, None)
    return _digest(form, (generation, request.get_full_path()))


def _digest(form, versioned):
    parts = [type(form).__qualname__, form.prefix, get_language()]
    for field in form:
        spec = field.field
        parts += [
            field.html_name,
            field.auto_id,
            type(spec).__qualname__,
            type(spec.widget).__qualname__,
            spec.widget.attrs,
            str(spec.label),
            str(spec.help_text),
            spec.required,
            spec.disabled,
            field.value(),
            [str(error) for error in field.errors],
        ]
        if (
            versioned is not None
            and isinstance(spec, ModelChoiceField)
            and spec.queryset.model in _VERSIONED
        ):
            parts.append((spec.queryset.model._meta.label, str(spec.empty_label), *versioned))
        elif hasattr(spec, "choices"):
            parts.append([(str(value), _label(label)) for value, label in spec.choices])
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _label(label):
    if isinstance(label, (list, tuple)):  # an option group
        return [(str(value), str(text)) for value, text in label]
    return str(label)


ERRORS_BLOCK = "bootstrap5/layout/field_errors_block.html"


@register.simple_tag(takes_context=True)
def check_options(context, field, options, inline_class, last_group):
    """The check boxes or radio buttons of one group, as crispy-bootstrap5's
    radio_checkbox_select.html writes them with a loop and an attrs include per option; built
    here because a list of hundreds of choices (a 督办 naming overdue measures) took a tenth of
    a second to render that way."""
    html_name = render_value_in_context(field.html_name, context)
    invalid = " is-invalid" if field.errors else ""
    inline = " form-check-inline" if inline_class else ""
    parts = []
    for position, option in enumerate(options, start=1):
        attrs = _attrs(option["attrs"], context)
        value = render_value_in_context(unlocalize(option["value"]), context)
        label = render_value_in_context(unlocalize(option["label"]), context)
        label_for = render_value_in_context(option["attrs"].get("id", ""), context)
        errors = ""
        if field.errors and position == len(options) and not inline_class and last_group:
            errors = context.template.engine.get_template(ERRORS_BLOCK).render(context)
        parts.append(
            f'\n      <div class="form-check{inline}">\n'
            f'        <input type="{option["type"]}" class="form-check-input{invalid}"  '
            f'name="{html_name}" value="{value}" {attrs}>\n'
            f'        <label for="{label_for}" class="form-check-label">\n'
            f"            {label}\n"
            f"        </label>\n        {errors}\n     </div>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped as the template would)
