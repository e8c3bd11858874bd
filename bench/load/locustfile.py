"""The portal's users (DOMAIN.md) as locust users, for ``bench/bench_load.py``: the four
journeys of a bureau (party-office staff, unit heads, leaders, inspectors) and the supervising
body's (机关工委: its office, leaders and inspectors).

Each simulated user logs in once with its own account (read from the JSON file named by
``LOAD_ACCOUNTS``: ``{"password": ..., "office": [...], "unit_head": [...], "leader": [...],
"inspector": [...], "body_office": [...], "body_leader": [...], "body_inspector": [...]}``,
written by bench/load/prepare.py), fetches the stylesheets and scripts once as a browser would
(they are cached for ever afterwards), then works through its journey with 1-5 s of thinking
between pages. Class weights give the mix for 50 users: 21 unit heads, 10 party-office staff,
9 leaders, 7 inspectors and 3 people of the supervising body (its office, a leader and an
inspector, in turn); four times as many of each for 200 (84, 40, 36, 28 and 12). JOURNEYS, at
the end, lists the journeys.

Every request is checked, not only its status: a page that is the login page or carries an
error message counts as a failure, and a write is a real form POST (CSRF token and choices read
from the page, as a browser submits it) that must answer 302 and lead to a page with the
success message. Requests are named by URL pattern so that the statistics group by page.

The users are locust's FastHttpUser (geventhttpclient), which costs the load generator less CPU
per request than HttpUser (python-requests): on a 2-core machine shared with gunicorn and
PostgreSQL, what locust spends is taken from the server (20 users for 50 s, 30 Nov 2026: locust
1.5 CPU-seconds for 706 requests against 2.2 for 686 with HttpUser, about 0.5 of either being
its start-up; the HTML reading of pages.py is the same in both). Its client differs from
requests' in ways the checks rely on, handled here: ``response.url`` is the last URL of the
redirects followed (the request is redirected in place), and a form's fields are encoded here
(``urlencode(..., doseq=True)``), since geventhttpclient's own encoding writes a list value (a
multiple choice) as its Python repr; multipart forms go through its ``files`` encoding, which
sends each value of a list as a field of its own and an empty file as a browser does.
"""

import atexit
import csv
import itertools
import json
import os
import random
import threading
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from locust import FastHttpUser, between, events, task
from pages import (
    form_posting_to,
    has_error_message,
    has_success_message,
    is_login_page,
    links,
    static_assets,
)

# The refusal of a review that another inspector made first (rectification/models/measures.py):
# with 200 simulated users, several share an organisation's inspector account and its queue.
CONFLICT = "该整改措施已不在待销号状态（可能已被其他人审核）"


def shanghai_today():
    """The portal's date (Asia/Shanghai), whatever the clock of the machine running locust."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


# A valid one-page PDF: evidence must parse as what it claims (common/evidence.py).
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _accounts():
    with open(os.environ["LOAD_ACCOUNTS"], encoding="utf-8") as handle:
        return json.load(handle)


ACCOUNTS = _accounts()
_pools = {role: itertools.cycle(names) for role, names in ACCOUNTS.items() if role != "password"}
_pool_lock = threading.Lock()
# The supervising body's users take its office's, a leader's and an inspector's account in turn.
BODY_ROLES = ("body_office", "body_leader", "body_inspector")
_body_roles = itertools.cycle([role for role in BODY_ROLES if ACCOUNTS.get(role)])


def _sample_writer():
    """Every request as ``name,milliseconds,failed,start`` in LOAD_SAMPLES (when set), for exact
    percentiles over any subset of requests (locust's CSV has them per name and overall)."""
    path = os.environ.get("LOAD_SAMPLES")
    if not path:
        return
    handle = open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115 (closed at exit)
    atexit.register(handle.close)
    writer = csv.writer(handle)

    @events.request.add_listener
    def record(name, response_time, exception, start_time=None, **kwargs):
        started = f"{start_time:.3f}" if start_time else ""
        writer.writerow([name, f"{response_time:.1f}", "1" if exception else "0", started])


_sample_writer()


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = between(1, 5)
    role = ""

    # -- plumbing ----------------------------------------------------------------------------
    def account(self):
        """(role, username) of the next account of the user's role."""
        with _pool_lock:
            return self.role, next(_pools[self.role])

    def on_start(self):
        self.role, self.username = self.account()
        self.last_url = ""
        login = self.page("/accounts/login/", name="/accounts/login/", login_page=True)
        form = form_posting_to(login, r"^(/accounts/login/)?$")
        if form is None:
            self.stop()
            return
        data = {**form.values, "username": self.username, "password": ACCOUNTS["password"]}
        with self.client.post(
            "/accounts/login/",
            data=data,
            headers={"Referer": self.url("/accounts/login/"), "Origin": self.host},
            name="login (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/accounts/login/" in response.headers.get(
                "Location", ""
            ):
                response.failure(f"login refused for {self.username}: {response.status_code}")
                self.stop()
                return
        home = self.page("/", name="/")
        for asset in static_assets(home):
            self.client.get(asset, name="/static/[asset]")
        self.after_login()

    def after_login(self):
        """What the journey needs to know once logged in (nothing, but for the body's)."""

    def url(self, path):
        return f"{self.host}{path}"

    def page(self, path, name, login_page=False):
        """GET a page; anything but the page itself (login page, error) is a failure."""
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}")
                return ""
            if is_login_page(response) and not login_page:
                response.failure(f"sent to the login page from {path}")
                return ""
            text = response.text  # decoded on every access: once here
            if has_error_message(text):
                response.failure(f"error message on {path}")
                return ""
            self.last_url = response.url  # after the redirects followed, as a browser shows it
            return text

    def submit(self, page_path, form, data, name, files=None, then_name=None):
        """POST ``form`` as the browser would; success is a 302 to a page that says so.

        ``data``'s values are strings, or lists of strings for a multiple choice (one field per
        value, as a browser sends ticked checkboxes)."""
        headers = {"Referer": self.url(page_path), "Origin": self.host}
        if form.multipart:
            # A browser sends every file input of a multipart form, empty when nothing is chosen.
            empty = {field: ("", b"", "application/octet-stream") for field in form.file_fields}
            files = {**empty, **(files or {})}
        if not files:
            # Encoded here: geventhttpclient would write a list as its repr ("['1', '2']").
            data = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.post(
            form.action or page_path,
            data=data,
            files=files,
            headers=headers,
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302:
                response.failure(f"{response.status_code} instead of a redirect")
                return None
            if "/accounts/login/" in location:
                response.failure("redirected to the login page")
                return None
            # The page the browser lands on carries the outcome (refusals redirect too).
            with self.client.get(
                location, name=then_name or location, catch_response=True
            ) as landed:
                text = landed.text if landed.status_code == 200 else ""
                if text and CONFLICT in text:
                    # Another simulated user of the same account reviewed that measure first:
                    # the portal refused the second review as it must (row lock, state check).
                    # Counted apart ("... (conflict)"), neither an error nor a write.
                    response.request_meta["name"] = f"{name} (conflict)"
                    landed.request_meta["name"] = f"{then_name or location} (conflict)"
                    response.success()
                    landed.success()
                    return None
                if not text or has_error_message(text) or not has_success_message(text):
                    landed.failure("no success message after the write")
                    response.failure(f"write refused: landed on {location} without success")
                    return None
            return location


class OfficeStaff(PortalUser):
    """党办工作人员: the year's records, the responsibility list and the duty letters."""

    weight = 10
    role = "office"

    @task(3)
    def home(self):
        self.page("/", name="/")

    @task(3)
    def records(self):
        html = self.page("/a/records/", name="/a/records/")
        found = links(html, r"/a/records/\d+/")
        if found and random.random() < 0.7:
            self.page(random.choice(found), name="/a/records/[id]/")

    @task(1)
    def records_filtered(self):
        this_year = shanghai_today().year
        year = random.choice([this_year, this_year - 1])
        page = random.choice(["", "&page=2"])
        self.page(f"/a/records/?year={year}{page}", name="/a/records/?year=[y]")

    @task(2)
    def month(self):
        html = self.page("/a/records/month/", name="/a/records/month/")
        units = links(html, r"/a/records/month/\?unit=\d+&(amp;)?month=[\d-]+")
        if units:
            self.page(random.choice(units), name="/a/records/month/?unit=[u]&month=[m]")

    @task(1)
    def create_record(self):
        path = "/a/records/new/"
        html = self.page(path, name=path)
        form = form_posting_to(html, r"^(/a/records/new/)?$")
        if form is None:
            return
        data = dict(form.values)
        data.update(
            date=shanghai_today().isoformat(),
            unit=random.choice(form.choices["unit"]),
            kind=random.choice(form.choices["kind"]),
            title=f"负载测试：{self.username} 工作记实",
            participant_count=str(random.randint(1, 30)),
            description="专题学习，形成会议纪要。",
        )
        if form.choices.get("leader") and random.random() < 0.6:
            data["leader"] = random.choice(form.choices["leader"])
        self.submit(path, form, data, name="/a/records/new/ (POST)", then_name="/a/records/[id]/")

    @task(1)
    def responsibilities(self):
        self.page("/a/responsibilities/", name="/a/responsibilities/")

    @task(1)
    def letters(self):
        self.page("/a/letters/", name="/a/letters/")


class UnitHead(PortalUser):
    """处室负责人 / 责任人: their measures, progress reports, closure requests, the inbox."""

    weight = 21
    role = "unit_head"

    @task(2)
    def home(self):
        self.page("/", name="/")

    @task(3)
    def my_measures(self):
        html = self.page("/r/measures/?open=yes", name="/r/measures/?open=yes")
        found = links(html, r"/r/measures/\d+/")
        if found:
            self.page(random.choice(found), name="/r/measures/[id]/")

    def _measure_in_progress(self):
        html = self.page("/r/measures/?state=in_progress", name="/r/measures/?state=[s]")
        found = links(html, r"/r/measures/\d+/")
        if not found:
            return None, None
        path = random.choice(found)
        return path, self.page(path, name="/r/measures/[id]/")

    @task(2)
    def report_progress(self):
        path, html = self._measure_in_progress()
        form = form_posting_to(html or "", r"/progress/$")
        if form is None:
            return
        data = {**form.values, "note": "本月已完成阶段性整改任务，正在巩固。"}
        self.submit(
            path,
            form,
            data,
            name="/r/measures/[id]/progress/ (POST)",
            then_name="/r/measures/[id]/",
        )

    @task(1)
    def request_closure(self):
        path, html = self._measure_in_progress()
        form = form_posting_to(html or "", r"/request-closure/$")
        if form is None:
            return
        data = {**form.values, "note": "整改已完成，附佐证材料，申请销号。"}
        files = {"files": ("整改佐证.pdf", PDF, "application/pdf")}
        self.submit(
            path,
            form,
            data,
            files=files,
            name="/r/measures/[id]/request-closure/ (POST)",
            then_name="/r/measures/[id]/",
        )

    @task(2)
    def inbox(self):
        self.page("/reminders/", name="/reminders/")


class Leader(PortalUser):
    """领导班子成员: read-only: the dashboard, the home page, the ledger."""

    weight = 9
    role = "leader"

    @task(2)
    def home(self):
        self.page("/", name="/")

    @task(3)
    def dashboard(self):
        html = self.page("/reports/dashboard/", name="/reports/dashboard/")
        found = links(html, r"/r/measures/\?[^\"]+")
        if found and random.random() < 0.6:
            self.page(random.choice(found), name="/r/measures/?[filter] (ledger)")

    @task(2)
    def ledger(self):
        html = self.page("/r/measures/", name="/r/measures/")
        found = links(html, r"/r/measures/\d+/")
        if found and random.random() < 0.5:
            self.page(random.choice(found), name="/r/measures/[id]/")


class Inspector(PortalUser):
    """纪检监督: the review queue, a measure's history, close (对账销号) or return it."""

    weight = 7
    role = "inspector"

    @task(1)
    def home(self):
        self.page("/", name="/")

    @task(2)
    def queue(self):
        self.page("/r/review/", name="/r/review/")

    @task(3)
    def review_one(self):
        html = self.page("/r/review/", name="/r/review/")
        found = links(html, r"/r/measures/\d+/")
        if not found:
            return
        path = random.choice(found[:10])
        detail = self.page(path, name="/r/measures/[id]/")
        if random.random() < 0.75:
            form = form_posting_to(detail, r"/accept/$")
            data = {**(form.values if form else {}), "note": "佐证材料齐全，同意销号。"}
            name = "/r/measures/[id]/accept/ (POST)"
        else:
            form = form_posting_to(detail, r"/return/$")
            data = {**(form.values if form else {}), "reason": "佐证材料不足，请补充后再申请。"}
            name = "/r/measures/[id]/return/ (POST)"
        if form is not None:
            self.submit(path, form, data, name=name, then_name="/r/measures/[id]/")

    @task(1)
    def followups(self):
        self.page("/r/followups/", name="/r/followups/")


class SupervisingBody(PortalUser):
    """机关工委 (the supervising body): its office, leaders and inspectors read the roll-up of the
    organisations below, drill into one of them (its figures, a list, a record), follow the 报送
    of the year's reports and the 督办 they issued; the office, now and then, issues a 督办."""

    weight = 3

    def account(self):
        with _pool_lock:
            role = next(_body_roles)
            return role, next(_pools[role])

    def after_login(self):
        # The menu's 报送督办 (/supervision/) leads the body's people to their body's page.
        self.page("/supervision/", name="/supervision/ (to /supervision/bodies/[id]/)")
        path = urlsplit(self.last_url).path
        self.body_path = path if path.startswith("/supervision/bodies/") else ""

    @task(1)
    def home(self):
        self.page("/", name="/")

    @task(5)
    def rollup(self):
        """下级单位汇总, this year (the menu) or last year (the year picker), then into one
        organisation (a row's link): its figures, one of its lists, one record of it."""
        if random.random() < 0.6:
            html = self.page("/oversight/", name="/oversight/")
        else:
            year = shanghai_today().year - 1
            html = self.page(f"/oversight/?year={year}", name="/oversight/?year=[y]")
        found = links(html, r"/oversight/org/[\w-]+/\?year=\d+")
        if not found or random.random() < 0.3:
            return
        html = self.page(random.choice(found), name="/oversight/org/[code]/")
        sections = {}
        for path in links(html, r"/oversight/org/[\w-]+/(records|letters|measures)/\?[^#]*"):
            sections.setdefault(path.split("/")[4], []).append(path)
        if not sections or random.random() < 0.4:
            return
        section = random.choice(sorted(sections))
        html = self.page(
            random.choice(sections[section]), name=f"/oversight/org/[code]/{section}/?[filter]"
        )
        found = links(html, rf"/oversight/{section}/\d+/")
        if found and random.random() < 0.5:
            self.page(random.choice(found), name=f"/oversight/{section}/[id]/")

    def body_page(self):
        return self.page(self.body_path, name="/supervision/bodies/[id]/") if self.body_path else ""

    @task(2)
    def submissions(self):
        """报送: which organisations have sent their report, last year's (the page's default)
        or this year's."""
        if random.random() < 0.7:
            self.body_page()
        elif self.body_path:
            year = shanghai_today().year
            self.page(f"{self.body_path}?year={year}", name="/supervision/bodies/[id]/?year=[y]")

    @task(2)
    def notices(self):
        """督办: the body's notices (on its page, open ones first) and one of them."""
        found = links(self.body_page(), r"/supervision/notices/\d+/")
        if found:
            self.page(random.choice(found[:10]), name="/supervision/notices/[id]/")

    @task(1)
    def issue_notice(self):
        """The office issues a 督办 to an organisation of the board (its row's 督办 button),
        with up to three of its overdue measures; a leader or inspector reads the notices."""
        if self.role != "body_office":
            self.notices()
            return
        found = links(self.body_page(), r"/supervision/bodies/\d+/notices/new/\?org=\d+")
        if not found:
            return
        path = random.choice(found)
        html = self.page(path, name="/supervision/bodies/[id]/notices/new/?org=[o]")
        form = form_posting_to(html, r"^$")  # the form posts to its own page
        if form is None or not form.values.get("organisation"):
            return
        overdue = form.checkboxes.get("measures", [])
        data = dict(form.values)
        data.update(
            subject="负载测试：整改措施逾期未完成",
            body="部分整改措施已超过整改时限，请说明原因、报送整改进展，并附佐证材料。",
            weak_area="整改措施逾期未完成",
            reply_due=(shanghai_today() + timedelta(days=14)).isoformat(),
            measures=random.sample(overdue, min(len(overdue), random.randint(0, 3))),
        )
        self.submit(
            path,
            form,
            data,
            name="/supervision/bodies/[id]/notices/new/ (POST)",
            then_name="/supervision/notices/[id]/",
        )


# The journeys of a run: every locust user class above, and only those. Locust runs each
# non-abstract user class of this module in proportion to its ``weight``, so a new journey is a
# class here, its ``weight``, its role's accounts (bench/load/prepare.py ROLES or BODY_ROLES,
# the role name as ``role`` or from ``account()``) and its line in this list.
JOURNEYS = [
    OfficeStaff,
    UnitHead,
    Leader,
    Inspector,
    SupervisingBody,
]
