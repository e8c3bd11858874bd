from django import template
from django.template.base import render_value_in_context
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
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


@register.simple_tag(takes_context=True)
def ledger_rows(context, measures, route="rectification:measure-detail"):
    """The ledger's table rows, written here for the same reason as the light and the badge: a
    template loop over fifty rows, with a lookup chain, a filter and a URL in each cell, was
    most of the ledger's time. Every value is escaped (and localised) as ``{{ }}`` would."""
    # One reverse() for the page: the detail URL differs only by the measure's number.
    marker = 987654321
    url = reverse(route, args=[marker])
    before, after = url.split(str(marker), 1)

    def shown(value):
        return "" if value is None else render_value_in_context(value, context)

    rows = []
    for measure in measures:
        finding = measure.finding
        source = finding.inspection.source if finding.inspection_id else None
        leader, person = measure.lead_leader, measure.responsible_person
        rows.append(
            "\n    <tr>\n"
            f'      <td class="small" style="max-width: 22rem;"><span class="text-muted">'
            f"{shown(source)}</span><br>{shown(finding.number)}. "
            f"{shown(Truncator(finding.description).chars(60))}</td>\n"
            f'      <td style="max-width: 26rem;"><a href="{before}{measure.pk}{after}">'
            f"{shown(Truncator(measure.description).chars(80))}</a></td>\n"
            f'      <td class="text-nowrap">{shown(leader.full_name if leader else None)}</td>\n'
            f'      <td class="text-nowrap">{shown(measure.unit.name)}</td>\n'
            f'      <td class="text-nowrap">{shown(person.full_name if person else None)}</td>\n'
            f'      <td class="text-nowrap">{shown(measure.deadline_display)}</td>\n'
            f'      <td class="text-nowrap">{measure_colour(context, measure)}\n</td>\n'
            f'      <td class="text-nowrap">{measure_state_badge(context, measure)}\n</td>\n'
            "    </tr>\n  "
        )
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped above)
