from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, gettext_noop

from accountability.templatetags.portal import _csrf_input

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


def _shown(context, value):
    """``{{ value }}``: escaped and localised, "" for none."""
    return "" if value is None else render_value_in_context(value, context)


def _url_maker(route, arity=1):
    """reverse(route, args=[...]) for many rows at the cost of one reverse(): the URLs of a
    route differ only by their numbers."""
    markers = [987654321 + index for index in range(arity)]
    rest, pieces = reverse(route, args=markers), []
    for marker in markers:
        piece, rest = rest.split(str(marker), 1)
        pieces.append(piece)
    pieces.append(rest)

    def url(*args):
        return "".join(piece + str(arg) for piece, arg in zip(pieces, args, strict=False)) + rest

    return url


@register.simple_tag(takes_context=True)
def ledger_rows(context, measures, route="rectification:measure-detail"):
    """The ledger's table rows, written here for the same reason as the light and the badge: a
    template loop over fifty rows, with a lookup chain, a filter and a URL in each cell, was
    most of the ledger's time. Every value is escaped (and localised) as ``{{ }}`` would."""
    detail = _url_maker(route)

    def shown(value):
        return _shown(context, value)

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
            f'      <td style="max-width: 26rem;"><a href="{detail(measure.pk)}">'
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


# The review queue (twenty cards, each with its timeline and files) and a measure's timeline:
# written here for the same reason as the ledger's rows. The template includes they replace took
# most of the queue's time (a context push, a URL and a dozen lookups per card and per update).
# tests/rectification/test_timeline_html.py holds the HTML to those templates.
TIMELINE_ICONS = {
    "accepted": "bi-check-circle-fill text-success",
    "followup_held": "bi-check-circle-fill text-success",
    "returned": "bi-arrow-counterclockwise text-danger",
    "reopened": "bi-arrow-counterclockwise text-danger",
    "closure_request": "bi-send-check text-primary",
}

EVIDENCE_ACTIONS = "includes/evidence_actions.html"  # a reader who may remove or replace files
NOTE_PREFIXES = {"returned": gettext_noop("退回原因："), "reopened": gettext_noop("重新打开原因：")}
# The queue card's fixed words (translated when drawn; marked here for makemessages).
QUEUE_LABELS = {
    "measure": gettext_noop("整改措施："),
    "unit": gettext_noop("责任处室"),
    "person": gettext_noop("责任人"),
    "leader": gettext_noop("牵头领导"),
    "deadline": gettext_noop("整改时限"),
    "timeline": gettext_noop("进展与审核记录"),
    "request": gettext_noop("申请说明"),
    "accept": gettext_noop("同意销号"),
    "reason": gettext_noop("退回原因"),
    "reason_hint": gettext_noop("退回时必须填写原因"),
    "return": gettext_noop("退回"),
    # Between a label and its value: full-width in Chinese, ": " in English.
    "sep": gettext_noop("："),
}


def _when(value, pattern):
    """``{{ value|date:pattern }}``: in the reader's time zone, "" for none."""
    return date_filter(template_localtime(value), pattern) if value else ""


def _evidence_links(context, measure, files, urls):
    """rectification/includes/evidence_links.html: the files' links (and, for a reader who
    reports on the measure, their remove-or-replace buttons)."""
    if not files:
        return ""
    items = []
    for file in files:
        if file.removed_at:
            continue
        url = urls["evidence"](measure.pk, file.pk)
        item = (
            f'<li class="list-inline-item"><a href="{url}"><i class="bi bi-paperclip"></i> '
            f"{_shown(context, file.original_name)}</a> "
            f'<span class="text-muted">({_shown(context, filesizeformat(file.size))})</span>'
        )
        if file.can_view_inline:
            view = escape(gettext("查看"))
            item += f' <a href="{url}?inline=1" target="_blank" rel="noopener">{view}</a>'
        if context.get("can_report"):
            actions = context.template.engine.get_template(EVIDENCE_ACTIONS)
            with context.push(url=urls["remove"](measure.pk, file.pk), file=file):
                item += actions.render(context)
        items.append(item + "</li>")
    return f'<ul class="list-inline mb-0 small">{"".join(items)}</ul>'


def _timeline(context, measure, updates, urls):
    items = []
    for update in updates:
        icon = TIMELINE_ICONS.get(update.kind, "bi-pencil-square text-secondary")
        by = update.by.get_full_name() if update.by_id else None
        note = ""
        if update.note:
            prefix = NOTE_PREFIXES.get(update.kind)
            prefix = escape(gettext(prefix)) if prefix else ""
            note = (
                f'<div class="mt-1 timeline-note">{prefix}'
                f"{linebreaksbr(update.note, autoescape=True)}</div>"
            )
        items.append(
            '\n  <li class="list-group-item small">\n    <div>\n'
            f'      <i class="bi {icon}"></i>\n'
            f"      <strong>{_shown(context, update.get_kind_display())}</strong> · "
            f"{_shown(context, by)} · "
            f'<time datetime="{_when(update.at, "c")}">{_when(update.at, "Y-m-d H:i")}</time>\n'
            f"    </div>\n    {note}\n"
            f"    {_evidence_links(context, measure, update.evidence.all(), urls)}\n  </li>"
        )
    if not items:
        none = escape(gettext("暂无进展记录。"))
        items.append(f'\n  <li class="list-group-item small text-muted">{none}</li>')
    return f'\n<ol class="list-group list-group-flush timeline">{"".join(items)}\n</ol>\n'


def _evidence_urls(context):
    return {
        "evidence": _url_maker(
            context.get("measure_evidence_route") or "rectification:measure-evidence", 2
        ),
        "remove": _url_maker("rectification:measure-evidence-remove", 2),
    }


@register.simple_tag(takes_context=True)
def measure_timeline(context, measure, updates):
    """A measure's progress and review updates, newest first, each with its files."""
    return mark_safe(_timeline(context, measure, updates, _evidence_urls(context)))  # noqa: S308


@register.simple_tag(takes_context=True)
def review_queue_items(context, measures):
    """The review queue's cards: the measure, its request, its timeline and the two forms."""
    urls = _evidence_urls(context)
    detail = _url_maker("rectification:measure-detail")
    accept = _url_maker("rectification:measure-accept")
    back_to = _url_maker("rectification:measure-return")
    csrf = _csrf_input(context)
    request = context["request"]
    here = escape(request.get_full_path())
    confirm = escape(gettext("同意销号后该措施即告完成，进入回头看。确定同意销号吗？"))
    labels = {key: escape(gettext(text)) for key, text in QUEUE_LABELS.items()}
    sep = labels["sep"]
    cards = []
    for measure in measures:
        pk = measure.pk
        finding = measure.finding
        accept_url, return_url = accept(pk), back_to(pk)
        requester = measure.closure_requested_by
        title = gettext("问题%(n)s · 措施%(m)s") % {
            "n": _shown(context, finding.number),
            "m": _shown(context, measure.number),
        }
        requested = gettext("%(who)s 于 %(when)s 申请") % {
            "who": _shown(context, requester.get_full_name() if requester else None),
            "when": _when(measure.closure_requested_at, "Y-m-d H:i"),
        }
        person, leader = measure.responsible_person, measure.lead_leader
        updates = measure.updates.all()
        request_update = updates[0] if updates else None
        request_html = ""
        if request_update is not None and request_update.kind == "closure_request":
            files = _evidence_links(context, measure, request_update.evidence.all(), urls)
            request_html = (
                '\n        <div class="border rounded p-2 mt-2 bg-light small">\n'
                f'          <div class="fw-semibold">{labels["request"]}</div>\n'
                f"          <div>{linebreaksbr(request_update.note, autoescape=True)}</div>\n"
                f"          {files}"
                "\n        </div>\n        "
            )
        cards.append(
            f'\n<article class="card mb-3 queue-item" id="measure-{pk}">\n'
            '  <div class="card-header d-flex flex-wrap gap-2 align-items-center">\n'
            f'    <span class="fw-semibold me-auto"><a href="{detail(pk)}">'
            f"{_shown(context, finding.inspection.source)} · {title}</a></span>\n"
            f'    <span class="small text-muted">{requested}</span>\n'
            "  </div>\n"
            '  <div class="card-body">\n    <div class="row g-3">\n      <div class="col-lg-7">\n'
            '        <p class="small text-muted mb-1">'
            f"{_shown(context, Truncator(finding.description).chars(120))}</p>\n"
            f'        <p class="mb-2"><strong>{labels["measure"]}</strong>'
            f"{_shown(context, measure.description)}</p>\n"
            f'        <p class="small mb-2">{labels["unit"]}{sep}'
            f"{_shown(context, measure.unit.name)}"
            f" · {labels['person']}{sep}{_shown(context, person.full_name if person else None)}"
            f" · {labels['leader']}{sep}{_shown(context, leader.full_name if leader else None)}"
            f" · {labels['deadline']}{sep}{_shown(context, measure.deadline_display)}</p>\n"
            f'        <details>\n          <summary class="small">{labels["timeline"]}</summary>\n'
            f"          {_timeline(context, measure, updates, urls)}\n        </details>\n"
            f"        {request_html}\n      </div>\n"
            '      <div class="col-lg-5">\n'
            f'        <form method="post" action="{accept_url}" hx-post="{accept_url}" '
            f'hx-target="#measure-{pk}" hx-swap="outerHTML" class="mb-2" hx-confirm="{confirm}" '
            f'data-confirm="{confirm}">{csrf}\n'
            f'          <input type="hidden" name="next" value="{here}">\n'
            '          <button type="submit" class="btn btn-success btn-sm">'
            f'<i class="bi bi-check2-circle"></i> {labels["accept"]}</button>\n'
            "        </form>\n"
            f'        <form method="post" action="{return_url}" hx-post="{return_url}" '
            f'hx-target="#measure-{pk}" hx-swap="outerHTML">{csrf}\n'
            f'          <input type="hidden" name="next" value="{here}">\n'
            f'          <label class="form-label small" for="reason-{pk}">{labels["reason"]}'
            "</label>\n"
            f'          <textarea class="form-control form-control-sm mb-2" id="reason-{pk}" '
            f'name="reason" rows="2" placeholder="{labels["reason_hint"]}"></textarea>\n'
            '          <button type="submit" class="btn btn-outline-danger btn-sm">'
            f'<i class="bi bi-arrow-counterclockwise"></i> {labels["return"]}</button>\n'
            "        </form>\n      </div>\n    </div>\n  </div>\n</article>\n"
        )
    return mark_safe("".join(cards))  # noqa: S308 (every value escaped above)
