from django import template
from django.template.base import render_value_in_context
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def absolute(value):
    """|absolute: days overdue from a negative ``days_left``."""
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return value


# The ledger shows a light and a state badge on each of its fifty rows: written in Python, the
# same HTML as rectification/includes/colour.html and state_badge.html once were (those
# includes now call these tags), without a template include per row.
LIGHTS = {"red": "text-danger small", "yellow": "small", "green": "small"}
BADGES = {
    "closed": "text-bg-success",
    "closure_requested": "text-bg-primary",
    "in_progress": "text-bg-info",
}


@register.simple_tag(takes_context=True)
def measure_colour(context, measure):
    """The three-colour light and the days left (or overdue) of a measure with_colour()."""
    colour = getattr(measure, "colour", "")
    if colour not in LIGHTS:
        return mark_safe('<span class="text-muted small">—</span>')
    if colour == "red":
        days = render_value_in_context(absolute(measure.days_left), context)
        text = gettext("逾期%(n)s天") % {"n": days}
    else:
        days = render_value_in_context(measure.days_left, context)
        text = gettext("%(n)s天后到期") % {"n": days}
    # The catalogue's text is the template's own, as in {% blocktranslate %}; the number is
    # escaped.
    return mark_safe(  # noqa: S308
        f'<span class="light light-{colour}" aria-hidden="true"></span> '
        f'<span class="{LIGHTS[colour]}">{text}</span>'
    )


@register.simple_tag(takes_context=True)
def measure_state_badge(context, measure):
    """The state's badge, and "已退回" on a measure returned and being worked on again."""
    badge = BADGES.get(measure.state, "text-bg-secondary")
    html = format_html('<span class="badge {}">{}</span>', badge, measure.get_state_display())
    if measure.return_reason and measure.state == "in_progress":
        html += format_html(
            ' <span class="badge text-bg-warning" title="{}">{}</span>',
            measure.return_reason,
            gettext("已退回"),
        )
    return html
