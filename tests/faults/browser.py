"""A user's browser, as far as the server can tell: cookies, CSRF token, form posts, timings."""

import re
import time
from dataclasses import dataclass

import requests


@dataclass
class Answer:
    status: int
    seconds: float
    location: str
    text: str

    def line(self, label):
        where = f" -> {self.location}" if self.location else ""
        return f"{label} {self.status} in {self.seconds:.2f} s{where}"


class Browser:
    def __init__(self, base_url, timeout=20):
        self.base_url = base_url
        self.timeout = timeout  # a hang shows up as a failure, not as a stuck test run
        self.session = requests.Session()

    def _answer(self, method, path, **kwargs):
        started = time.monotonic()
        response = self.session.request(
            method, self.base_url + path, allow_redirects=False, timeout=self.timeout, **kwargs
        )
        return Answer(
            response.status_code,
            time.monotonic() - started,
            response.headers.get("Location", ""),
            response.text,
        )

    def get(self, path):
        return self._answer("GET", path)

    def post(self, path, data=None, files=None):
        token = self.session.cookies.get("csrftoken")
        if token is None:  # a browser would have loaded a page with the form first
            self.get("/accounts/login/")
            token = self.session.cookies.get("csrftoken")
        return self._answer(
            "POST",
            path,
            data={**(data or {}), "csrfmiddlewaretoken": token},
            files=files,
            headers={"Referer": self.base_url + path},
        )

    def login(self, username, password):
        page = self.get("/accounts/login/")
        assert page.status == 200, page.line("GET /accounts/login/")
        answer = self.post("/accounts/login/", {"username": username, "password": password})
        assert answer.status == 302, f"login of {username} failed: {answer.line('POST')}"
        return self


def visible_text(html):
    """The page's text without tags, for "does the page say what happened"."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
