"""Lists, dashboards, exports and downloads show no row from outside the viewer's scope.

Every row of the matrix world carries its place's marker (conftest.MARK). For each page or
file below, and each role that may open it, the markers of places the role may not read must
be absent — from the HTML, from every cell of an exported workbook, from the text of a PDF,
from the bytes of a download — and, where the page lists rows, the markers of places the role
may read must be present (so that an empty page cannot pass for a safe one).
"""

import io
import subprocess
from dataclasses import dataclass

import openpyxl
from django.urls import reverse

from reports.models import ReportExport
from reports.services import export_create, export_render

from .conftest import MARK
from .spec import (
    ADMIN,
    AUDITOR,
    BATCH_OWNER,
    INSPECTOR,
    OFFICE,
    ORG_MEMBERS,
    ORG_READERS,
    OWNER,
    PRINCIPAL,
    ROLES,
    SIBLING,
    STRANGER,
    UNIT_READERS,
    USERS,
    WHOLE_ORG,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Page:
    name: str
    shows: dict  # place -> roles that may see its rows here (others must not)
    kwargs: object = None  # (matrix) -> URL kwargs
    query: str = ""
    lists: bool = True  # the page lists rows: readable markers must be present

    def url(self, m):
        url = reverse(self.name, kwargs=self.kwargs(m) if self.kwargs else None)
        return f"{url}?{self.query}" if self.query else url


MEMBERS_SEE_ALL = {
    "own": ORG_MEMBERS["org"],
    "sibling": ORG_MEMBERS["org"],
    "other": {STRANGER},
}
NOTHING_OUTSIDE = {"other": {STRANGER}}  # pages that list no marked row of their own org
# A form may offer any row of one's organisation (items, people), none of another.
FORM_CHOICES = {**MEMBERS_SEE_ALL, "org": ORG_MEMBERS["org"]}
ORG_WIDE = {"org": ORG_READERS["org"], "other": {STRANGER}}
INSPECTORS = {"own": {INSPECTOR}, "sibling": {INSPECTOR}, "other": set()}
ADMINS = {"own": {ADMIN}, "sibling": {ADMIN}, "other": set()}
AUDIT_LOG = {"org": {AUDITOR}, "other": set()}
# 我的待办 and the inbox hold one's own items (a unit's head: the unit's measures and letters)
# and, for an inspector, the closure requests of the whole organisation; for the principal
# leader, the report versions waiting for sign-off; for the office, the 定稿 to submit to the
# body above and the 督办 to answer.
MY_WORK = {
    "org": {PRINCIPAL, OFFICE},
    "own": {OWNER, INSPECTOR},
    "sibling": {SIBLING, INSPECTOR},
    "other": {STRANGER},
}
# The home page's 我的待办 also lists, for the office, its organisation's letters overdue and
# unsigned (the office follows them up).
MY_HOME = {**MY_WORK, "own": {OWNER, INSPECTOR, OFFICE}, "sibling": {SIBLING, INSPECTOR, OFFICE}}


def _place(attr, place, name="pk"):
    return lambda m: {name: getattr(m, attr)[place].pk}


# The committee below the organisation: its supervising body's people read its rows (oversight).
BELOW = {"below": {"office", "leader", "principal", "inspector"}}
# Its pages also name it, and its name carries the organisation's marker (tests/access/conftest).
BELOW_NAMED = {**BELOW, "org": BELOW["below"]}


def BELOW_CODE(m):  # noqa: N802 (used as a constant)
    return {"code": m.below.code}


def _admin(label):
    return lambda m: {"object_id": m.admin_object[label]["org"].pk}


PAGES = [
    Page("home", MY_HOME, lists=False),
    Page("accountability:unit-list", NOTHING_OUTSIDE, lists=False),
    Page("accountability:workrecord-list", UNIT_READERS),
    Page("accountability:workrecord-list", UNIT_READERS, query="export=xlsx"),
    Page("accountability:workrecord-list", UNIT_READERS, query="deleted=yes"),
    Page("accountability:workrecord-list", UNIT_READERS, query="deleted=yes&export=xlsx"),
    Page("accountability:dutyletter-list", UNIT_READERS),
    Page("accountability:dutyletter-list", UNIT_READERS, query="export=xlsx"),
    # The division of work is open to every member of the organisation.
    Page("accountability:responsibilityitem-list", MEMBERS_SEE_ALL),
    Page("accountability:responsibilityitem-list", MEMBERS_SEE_ALL, query="export=xlsx"),
    Page("accountability:riskpoint-list", UNIT_READERS),
    Page("accountability:riskpoint-list", UNIT_READERS, query="export=xlsx"),
    Page("rectification:inspection-list", UNIT_READERS),
    Page("rectification:finding-list", UNIT_READERS),
    Page("rectification:measure-list", UNIT_READERS),
    Page("rectification:measure-list", UNIT_READERS, query="export=xlsx"),
    Page("rectification:review-queue", INSPECTORS),
    Page("rectification:followup-list", INSPECTORS),
    Page(
        "rectification:import-template",
        NOTHING_OUTSIDE,
        kwargs=_place("inspection", "own", "inspection_pk"),
        lists=False,
    ),
    Page(
        "rectification:import-preview",
        {"own": BATCH_OWNER["org"], "org": BATCH_OWNER["org"], "other": set()},
        kwargs=lambda m: {"token": m.batch["org"].token},
    ),
    # 三员分立: the audit log to its organisation's auditor only; the role grants page.
    # (Filtered to the marked events: the pages before this one add events of their own.)
    Page("accountability:auditevent-list", AUDIT_LOG, query="username=guess"),
    Page("accountability:auditevent-list", AUDIT_LOG, query="username=guess&export=xlsx"),
    Page("accountability:rolegrant-list", {"other": set()}, lists=False),
    Page("reminders:digest-list", {k: v for k, v in MY_WORK.items() if k != "org"}),
    Page("reminders:delivery-list", ADMINS),
    Page("reminders:delivery-list", ADMINS, query="log=notices"),
    Page("reminders:policy-update", NOTHING_OUTSIDE, lists=False),
    Page("reports:dashboard", UNIT_READERS),
    Page("reports:report-list", ORG_WIDE),
    # The report (the HTML its PDF is printed from) is organisation-wide: both units' rows.
    Page(
        "reports:report-detail",
        {"own": WHOLE_ORG, "sibling": WHOLE_ORG, "org": WHOLE_ORG, "other": set()},
        kwargs=_place("report", "org"),
    ),
    Page("reports:export-detail", {"other": set()}, kwargs=_place("export", "org"), lists=False),
    Page(
        "reports:export-download",
        {"org": WHOLE_ORG, "other": set()},
        kwargs=_place("export", "org"),
    ),
    # Files of one row: the right bytes to its readers, nothing of any other place.
    *(
        Page(name, {place: UNIT_READERS[place]}, kwargs=_place(attr, place))
        for name, attr in (
            ("accountability:workrecord-evidence", "record_evidence"),
            ("accountability:dutyletter-scan", "scan"),
        )
        for place in ("own", "sibling", "other")
    ),
    *(
        Page(
            "rectification:measure-evidence",
            {place: UNIT_READERS[place]},
            kwargs=lambda m, place=place: {
                "pk": m.measure[place].pk,
                "evidence_pk": m.measure_evidence[place].pk,
            },
        )
        for place in ("own", "sibling", "other")
    ),
    # Forms: their choices (units, people, items, kinds) come from one's own organisation.
    *(
        Page(name, FORM_CHOICES, kwargs=kwargs, query=query, lists=False)
        for name, kwargs, query in (
            ("accountability:workrecord-create", None, ""),
            ("accountability:workrecord-update", _place("record", "own"), ""),
            ("accountability:workrecord-month", None, ""),
            ("accountability:dutyletter-issue", None, ""),
            ("accountability:dutyletter-detail", _place("letter", "own"), ""),
            ("accountability:responsibilityitem-create", None, ""),
            ("accountability:riskpoint-create", None, ""),
            ("rectification:inspection-create", None, ""),
            ("rectification:finding-create", _place("inspection", "own", "inspection_pk"), ""),
            ("rectification:measure-create", _place("finding", "own", "finding_pk"), ""),
            ("rectification:measure-update", _place("measure", "own"), ""),
            ("rectification:measure-detail", _place("measure", "own"), ""),
            ("reports:report-edit", _place("report", "org"), ""),
            ("reports:outline-edit", _place("outline", "org"), ""),
            ("admin:accountability_unit_add", None, ""),
            ("admin:accountability_unit_change", _admin("accountability.unit"), ""),
            ("admin:accountability_user_add", None, ""),
            ("admin:accountability_user_change", _admin("accountability.user"), ""),
            ("admin:rectification_warningpolicy_add", None, ""),
        )
    ),
    # The supervising body reads the committee below it, on its own pages only; the roll-up
    # names the committee (whose name carries the organisation's marker), no row.
    Page("oversight:rollup", {"org": BELOW["below"], "other": {STRANGER}}, lists=False),
    *(
        Page(name, BELOW if query else BELOW_NAMED, kwargs=BELOW_CODE, query=query)
        for name in (
            "oversight:organisation",
            "oversight:workrecord-list",
            "oversight:dutyletter-list",
            "oversight:measure-list",
        )
        for query in ("", "export=xlsx")
        if not (query and name == "oversight:organisation")
    ),
    *(
        Page(f"oversight:{name}", shows, kwargs=_place(attr, "below"))
        for name, attr, shows in (
            ("workrecord-detail", "record", BELOW_NAMED),
            ("workrecord-evidence", "record_evidence", BELOW),
            ("dutyletter-detail", "letter", BELOW_NAMED),
            ("dutyletter-scan", "scan", BELOW),
            ("measure-detail", "measure", BELOW_NAMED),
        )
    ),
    # The admin site, for the organisation's administrator.
    Page("admin:index", {"other": set()}, lists=False),
    Page("admin:accountability_organisation_changelist", {"other": set()}, lists=False),
    Page("admin:accountability_unit_changelist", {"other": set()}, lists=False),
    Page("admin:accountability_user_changelist", {"other": set()}, lists=False),
    Page("admin:rectification_warningpolicy_changelist", {"other": set()}, lists=False),
    *(
        Page(
            "admin:autocomplete",
            {"other": set()},
            query=f"app_label=accountability&model_name={model}&field_name={field}",
            lists=False,
        )
        for model, field in (("unit", "parent"), ("unit", "head"), ("user", "organisation"))
    ),
]


def body_text(response):
    """What a reader of the response sees: HTML, a workbook's cells, a file's bytes."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX):
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode("utf-8", errors="replace")


def pdf_text(data):
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_no_page_export_or_download_shows_a_row_out_of_scope(matrix, client_for):
    wrong, checked = [], 0
    for page in PAGES:
        url = page.url(matrix)
        for role in sorted(USERS, key=ROLES.index):
            response = client_for(role).get(url)
            if response.status_code != 200:
                continue  # the matrix says who may open what
            checked += 1
            text = body_text(response)
            for place, mark in MARK.items():
                may_see = role in page.shows.get(place, set())
                if mark in text and not may_see:
                    wrong.append(f"{url} as {role} shows a row of '{place}' ({mark})")
                elif page.lists and place in page.shows and may_see and mark not in text:
                    wrong.append(f"{url} as {role} misses its row of '{place}' ({mark})")
    assert checked > len(PAGES), "the pages did not open at all"
    assert not wrong, "\n".join(wrong)


def test_annual_report_pdf_holds_its_own_organisation_only(matrix, client_for):
    """The real PDF: its text (and the document it is printed from) has the organisation's
    rows, the ledger appendix included, and not one row of the other organisation."""
    report = matrix.report["org"]
    export = export_render(export_create(report=report, by=matrix.users["office"]).pk).pk
    assert ReportExport.objects.get(pk=export).state == ReportExport.State.DONE
    frozen = str(ReportExport.objects.get(pk=export).frozen)
    response = client_for("office").get(reverse("reports:export-download", args=[export]))
    assert response.status_code == 200
    text = pdf_text(b"".join(response.streaming_content))
    for source in (frozen, text):
        assert MARK["other"] not in source
        # The ledger appendix lists both units' measures: the text is really there.
        assert f"措施{MARK['own']}" in source.replace(" ", "")
        assert f"措施{MARK['sibling']}" in source.replace(" ", "")
    for role in ("stranger", "owner", "leader"):
        url = reverse("reports:export-download", args=[export])
        assert client_for(role).get(url).status_code == 404, role
