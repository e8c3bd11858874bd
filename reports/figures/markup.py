"""Figure tokens in plain narrative text.

The narrative is plain text typed by the office: it is always escaped, never interpreted as
HTML, so ``<img src="file:///etc/passwd">`` prints as those characters. Paragraphs are separated
by line breaks. A token is ``{{metric}}`` or ``{{metric:kind_code}}``.

A passage the office must write itself is marked ``【请填写：what to write】`` (full-width
brackets; the colon may be half- or full-width). The preview highlights it, a draft prints it as
it is, and the final export refuses while one is left.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

TOKEN_RE = re.compile(r"\{\{\s*([a-z_]+)(?:\s*:\s*([A-Za-z0-9_\-]+))?\s*\}\}")
PLACEHOLDER_RE = re.compile(r"【请填写[：:]?\s*([^【】]*)】")
# Figures and placeholders in one pass, in the order they appear.
_PIECE_RE = re.compile(f"{TOKEN_RE.pattern}|{PLACEHOLDER_RE.pattern}")


@dataclass(frozen=True)
class Token:
    metric: str
    arg: str = ""

    @property
    def key(self):
        return f"{self.metric}:{self.arg}" if self.arg else self.metric

    def __str__(self):
        return "{{" + self.key + "}}"


def tokens_in(text):
    return [Token(m.group(1), m.group(2) or "") for m in TOKEN_RE.finditer(text or "")]


def placeholders_in(text):
    """What each marked passage asks for ("本单位特色做法"), in order."""
    return [m.group(1).strip() for m in PLACEHOLDER_RE.finditer(text or "")]


def runs(line, values):
    """``line`` as [(kind, text)], kind "text" / "figure" / "placeholder", figures filled in from
    ``values`` (key -> printed text; a key missing there keeps its token)."""
    out, last = [], 0
    for match in _PIECE_RE.finditer(line or ""):
        if match.start() > last:
            out.append(("text", line[last : match.start()]))
        if match.group(1):
            key = Token(match.group(1), match.group(2) or "").key
            out.append(("figure", values.get(key, match.group(0))))
        else:
            out.append(("placeholder", match.group(0)))
        last = match.end()
    if last < len(line or ""):
        out.append(("text", line[last:]))
    return out


def paragraphs(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _render(line, figure_html, placeholder_html=escape):
    out, last = [], 0
    for match in _PIECE_RE.finditer(line):
        out.append(escape(line[last : match.start()]))
        if match.group(1):
            out.append(figure_html(Token(match.group(1), match.group(2) or "")))
        else:
            out.append(placeholder_html(match.group(0)))
        last = match.end()
    out.append(escape(line[last:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece above is escaped)


def render_html(text, figures, *, links=True):
    """Paragraphs of ``text`` as safe HTML strings, figures filled in from ``figures``.

    ``figures`` maps a token key to a ``Resolved``. In the preview (``links=True``) a figure is a
    link to the records behind it; an unresolved one is flagged, never given a number.
    """

    def figure_html(token):
        resolved = figures.get(token.key)
        if resolved is None or not resolved.ok:
            reason = resolved.error if resolved is not None else _("无法取得数值")
            label = resolved.label if resolved is not None and resolved.label else _("数据项")
            return format_html(
                '<mark class="report-figure report-figure-missing" data-token="{}" title="{}">'
                "【{}：{}】</mark>",
                token.key,
                reason,
                label,
                reason,
            )
        classes = "report-figure"
        title = resolved.label
        if resolved.zero_warning:
            classes += " report-figure-zero"
            title = _("%(label)s为0：这句话写的是已开展的工作，请核实记录或改写") % {
                "label": resolved.label
            }
        if links and resolved.url:
            return format_html(
                '<a class="{}" data-token="{}" href="{}" title="{}">{}</a>',
                classes,
                token.key,
                resolved.url,
                title,
                resolved.text,
            )
        return format_html(
            '<span class="{}" data-token="{}" title="{}">{}</span>',
            classes,
            token.key,
            title,
            resolved.text,
        )

    def placeholder_html(text):
        return format_html(
            '<mark class="report-placeholder" title="{}">{}</mark>',
            _("待办公室填写，定稿前须改写"),
            text,
        )

    return [_render(line, figure_html, placeholder_html) for line in paragraphs(text)]


def render_plain(text, values):
    """The text with tokens replaced by frozen printed values (``values``: key -> text)."""
    return TOKEN_RE.sub(
        lambda m: values.get(Token(m.group(1), m.group(2) or "").key, m.group(0)), text or ""
    )
