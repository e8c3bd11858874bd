"""Reading the portal's HTML the way a browser would: its forms (with their current values and
choices) and its links. Standard library only, so that the locustfile needs nothing else."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    # What the browser would submit untouched: hidden inputs (the CSRF token), pre-filled
    # inputs and textareas, the selected option of each select.
    values: dict[str, str] = field(default_factory=dict)
    # Every select's non-empty option values, to choose from.
    choices: dict[str, list[str]] = field(default_factory=dict)
    # Every checkbox's value, ticked or not, by name (a multiple choice shown as checkboxes).
    checkboxes: dict[str, list[str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    file_fields: list[str] = field(default_factory=list)

    @property
    def multipart(self):
        return self.enctype == "multipart/form-data"


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form = None
        self._select = None
        self._select_multiple = False
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = Form(
                action=attrs.get("action") or "",
                method=(attrs.get("method") or "get").lower(),
                enctype=attrs.get("enctype") or "application/x-www-form-urlencoded",
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                form.file_fields.append(name)
                return
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind == "checkbox":
                form.checkboxes.setdefault(name, []).append(attrs.get("value") or "on")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            form.values[name] = attrs.get("value") or ("on" if kind == "checkbox" else "")
            if "required" in attrs:
                form.required.add(name)
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in attrs
            form.choices.setdefault(name, [])
            if "required" in attrs:
                form.required.add(name)
        elif tag == "option" and self._select:
            value = attrs.get("value")
            if value:
                form.choices[self._select].append(value)
            if "selected" in attrs and not self._select_multiple:
                form.values[self._select] = value or ""
        elif tag == "textarea" and name:
            self._textarea = name
            form.values[name] = ""
            if "required" in attrs:
                form.required.add(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form.values[self._textarea] += data


def forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, action_pattern: str) -> Form | None:
    """The first POST form whose action matches ``action_pattern`` (a regular expression)."""
    pattern = re.compile(action_pattern)
    for form in forms(html):
        if form.method == "post" and pattern.search(form.action):
            return form
    return None


def links(html: str, pattern: str) -> list[str]:
    """Every distinct ``href`` matching ``pattern`` (a regular expression), in page order."""
    seen = {}
    for href in re.findall(r'href="([^"]+)"', html):
        if re.fullmatch(pattern, href):
            seen.setdefault(href.replace("&amp;", "&"), None)
    return list(seen)


def static_assets(html: str) -> list[str]:
    """The page's own stylesheets and scripts under /static/ (hashed names, cached for ever)."""
    found = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    return list(dict.fromkeys(found))


def has_error_message(html: str) -> bool:
    return 'class="alert alert-danger' in html


def has_success_message(html: str) -> bool:
    return 'class="alert alert-success' in html


def is_login_page(response) -> bool:
    return "/accounts/login/" in response.url
