"""The access matrix: for every URL pattern, who gets what, on which object.

One ``Url`` per pattern the resolver knows (``namespace:name``; a name with several routes is
keyed ``name(kwarg,...)``, an unnamed route by the route itself), plus *variants*
(``variant="param"``) where a page also takes an object through its query string. Each says
how to build the URL for an object in a given *place* and, per method, the answer every role
must get there:

* places of unit-owned rows: "own" (基建处, the unit of ``owner``), "sibling" (财务处, the unit
  of ``sibling``), "other" (the other organisation); organisation-wide rows: "org" and
  "other"; ``None`` for a page about no object (or about the user's own organisation).
* roles: ``anonymous``; ``norole`` (a person of 基建处 with no role); ``stranger`` (office
  staff of the other organisation: no role here); ``sibling`` (head of 财务处); ``owner``
  (head of 基建处, responsible for its measures); ``office`` (party office, writes the whole
  organisation); ``leader`` (in charge of 基建处, read-only); ``principal`` (principal leader,
  reads everything, writes nothing); ``inspector`` (纪检); ``admin`` (the organisation's
  系统管理员: units and people); ``secadmin`` (安全管理员: roles and passwords, on the admin
  site only); ``auditor`` (安全审计员: reads every record, its history and the audit log,
  changes nothing).
* answers: a status code, ``LOGIN`` (302 to the portal's login page), ``ADMIN_LOGIN`` (302 to
  the admin site's login page) or ``REDIRECT`` (302 anywhere else).

The rules come from accountability/access.py: a row outside one's scope is not found (404);
a row one may read but not change answers 403; write views of the class-based kind refuse a
role that may write nothing at all at the door (403, whatever the object).
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

ROLES = (
    "anonymous",
    "norole",
    "stranger",
    "sibling",
    "owner",
    "office",
    "leader",
    "principal",
    "inspector",
    "admin",
    "secadmin",
    "auditor",
)
(
    ANON,
    NOROLE,
    STRANGER,
    SIBLING,
    OWNER,
    OFFICE,
    LEADER,
    PRINCIPAL,
    INSPECTOR,
    ADMIN,
    SECADMIN,
    AUDITOR,
) = ROLES
USERS = frozenset(ROLES) - {ANON}

LOGIN, ADMIN_LOGIN, REDIRECT = "login", "admin-login", "redirect"

UNIT = ("own", "sibling", "other")
ORG = ("org", "other")

# -- who, per place ---------------------------------------------------------------------------
WHOLE_ORG = frozenset({OFFICE, PRINCIPAL, INSPECTOR, ADMIN, AUDITOR})
MEMBERS = frozenset(
    {SIBLING, OWNER, OFFICE, LEADER, PRINCIPAL, INSPECTOR, ADMIN, SECADMIN, AUDITOR}
)
# Roles that may change nothing anywhere: class-based write views refuse them at the door.
READ_ONLY = frozenset({NOROLE, LEADER, PRINCIPAL, INSPECTOR, ADMIN, SECADMIN, AUDITOR})

UNIT_READERS = {
    "own": {OWNER, LEADER} | WHOLE_ORG,
    "sibling": {SIBLING} | WHOLE_ORG,
    "other": {STRANGER},
}
UNIT_WRITERS = {"own": {OWNER, OFFICE}, "sibling": {SIBLING, OFFICE}, "other": {STRANGER}}
# The responsible person (the unit's head here) or whoever may write the unit.
REPORTERS = UNIT_WRITERS
OFFICE_OF = {
    "own": {OFFICE},
    "sibling": {OFFICE},
    "other": {STRANGER},
    "org": {OFFICE},
    None: {OFFICE, STRANGER},
}
INSPECTOR_OF = {"own": {INSPECTOR}, "sibling": {INSPECTOR}, "other": set()}
ORG_MEMBERS = {"org": MEMBERS, "other": {STRANGER}, None: MEMBERS | {STRANGER}}
ORG_READERS = {"org": WHOLE_ORG, "other": {STRANGER}, None: WHOLE_ORG | {STRANGER}}
# The leaders' cockpit: not for unit heads, nor for the security administrator and auditor.
DASHBOARD = {
    "org": MEMBERS - {OWNER, SIBLING, SECADMIN, AUDITOR},
    "other": {STRANGER},
    None: (MEMBERS - {OWNER, SIBLING, SECADMIN, AUDITOR}) | {STRANGER},
}
PRINCIPAL_OF = {"org": {PRINCIPAL}, "other": set()}
ADMINS_OF = {"org": {ADMIN}, "other": set(), "own": {ADMIN}, "sibling": {ADMIN}, None: {ADMIN}}
RECIPIENT = {"own": {OWNER}, "sibling": {SIBLING}, "other": {STRANGER}}
BATCH_OWNER = {"org": {OFFICE}, "other": {STRANGER}}

# 报送 and 督办 (supervision): a body's office, leaders and inspectors (the principal leader is
# a leader); its office alone acts for it.
BODY_PEOPLE = {"org": {OFFICE, LEADER, PRINCIPAL, INSPECTOR}, "other": {STRANGER}}
BODY_OFFICE = {"org": {OFFICE}, "other": {STRANGER}}
SUPERVISION = ("org", "below", "other")
SUPERVISION_READERS = {"org": WHOLE_ORG, "below": BODY_PEOPLE["org"], "other": {STRANGER}}
# The city body above "org" and "other" has none of the matrix's people.
BODY_OFFICE_OF = {"org": set(), "below": {OFFICE}, "other": set()}
NOTICE_REPLIERS = {"org": {OFFICE}, "below": set(), "other": {STRANGER}}

# The roll-up (oversight): whoever supervises an organisation (the organisation's office, leaders
# and inspectors supervise the committee below it; the other organisation's office, ``stranger``,
# the committee below that). Everyone else is refused at the door.
SUPERVISORS = frozenset({OFFICE, LEADER, PRINCIPAL, INSPECTOR, STRANGER})
DRILL = ("below", "org", "other")  # an organisation's pages: only "below" is below anyone here
DRILL_ROWS = ("below", "own", "other")  # a record of the committee, of the organisation, other's
DRILL_READERS = {"below": BODY_PEOPLE["org"], "org": set(), "own": set(), "other": set()}


Policy = Callable[[str, object], object]


def access(ok=200, *, readers=None, writers=None, door=frozenset(), anon=LOGIN) -> Policy:
    """Anonymous -> ``anon``; a role in ``door`` -> 403 whatever the object; not among the
    place's ``readers`` -> 404; a reader not among its ``writers`` -> 403; else ``ok``."""

    def expect(role, place):
        if role == ANON:
            return anon
        if role in door:
            return 403
        if readers is not None and role not in readers[place]:
            return 404
        if writers is not None and role not in writers[place]:
            return 403
        return ok

    return expect


def by_role(answers, default) -> Policy:
    return lambda role, place: answers.get(role, default)


SUPERVISING = access(door=USERS - SUPERVISORS)
BELOW_BODY = access(readers=DRILL_READERS, door=USERS - SUPERVISORS)


def org_code(m, place):
    return {"code": (m.below if place == "below" else m.org[place]).code}


def post_only(anon=LOGIN) -> Policy:
    """A GET to a POST-only view: 405 (anonymous: sent to log in first, unless the method is
    checked before the login)."""
    return by_role({ANON: anon}, 405)


@dataclass(frozen=True)
class Url:
    key: str
    get: Policy
    post: Policy | None = None  # set for every view that changes data on POST
    places: tuple = (None,)
    kwargs: Callable | None = None  # (matrix, place) -> URL kwargs (or args, a tuple)
    query: Callable | None = None  # (matrix, place) -> query string dict
    path: Callable | None = None  # (matrix, place) -> the path, for a route with no name
    variant: str = ""  # the query parameter that names the object, for a variant

    @property
    def label(self):
        return f"{self.key}?{self.variant}=" if self.variant else self.key

    @property
    def state_changing(self):
        return self.post is not None

    def methods(self):
        return ("GET", "POST") if self.post is not None else ("GET",)

    def expected(self, method, role, place):
        return (self.post if method == "POST" else self.get)(role, place)

    def url(self, m, place):
        if self.path is not None:
            url = self.path(m, place)
        else:
            built = self.kwargs(m, place) if self.kwargs else {}
            name = self.key.split("(")[0]
            if isinstance(built, tuple):
                url = reverse(name, args=built)
            else:
                url = reverse(name, kwargs=built)
        query = self.query(m, place) if self.query else {}
        return f"{url}?{urlencode(query)}" if query else url


def pk(attr, name="pk"):
    return lambda m, place: {name: getattr(m, attr)[place].pk}


def org_query(m, place):
    return {} if place is None else {"org": m.org[place].pk}


def org_code_query(m, place):
    return {} if place is None else {"org": m.org[place].code}


def unit_query(m, place):
    return {} if place is None else {"unit": m.unit[place].pk}


# -- the portal's own pages --------------------------------------------------------------------
EVERYONE = access()
# The security administrator reads no unit (their work is on the admin site).
MONTH_DEFAULT = {None: USERS - {NOROLE, SECADMIN}}

PORTAL = [
    Url("home", EVERYONE),
    Url("login", by_role({ANON: 200}, REDIRECT), post=by_role({ANON: 200}, REDIRECT)),
    Url("logout", by_role({}, 405), post=by_role({}, LOGIN)),
    Url("password_change", EVERYONE, post=EVERYONE),
    Url("password_change_done", EVERYONE),
    Url("set_language", by_role({}, REDIRECT), post=by_role({}, REDIRECT)),
    # accountability
    Url("accountability:unit-list", EVERYONE),
    # The system administrator's import of units and people: everyone else 403.
    Url(
        "accountability:unit-import",
        access(door=USERS - {ADMIN}),
        post=access(door=USERS - {ADMIN}),
    ),
    Url("accountability:unit-import-template", access(door=USERS - {ADMIN})),
    Url("accountability:workrecord-list", EVERYONE),
    Url(
        "accountability:workrecord-create",
        access(door=READ_ONLY),
        post=access(door=READ_ONLY),
    ),
    # A variant (same pattern, an object passed in the query string): copying a record.
    Url(
        "accountability:workrecord-create",
        access(readers=UNIT_READERS, door=READ_ONLY),
        variant="from",
        places=UNIT,
        query=lambda m, place: {"from": m.record[place].pk},
    ),
    Url(
        "accountability:workrecord-month",
        # With no unit asked for, the month of one's own unit, or of the first unit one reads
        # (the leader's own 局机关 is outside the units they are in charge of).
        access(readers={**UNIT_READERS, **MONTH_DEFAULT}),
        post=access(
            readers={**UNIT_READERS, **MONTH_DEFAULT},
            writers={**UNIT_WRITERS, None: {OWNER, SIBLING, OFFICE, STRANGER}},
        ),
        places=(None, *UNIT),
        query=unit_query,
    ),
    Url(
        "accountability:workrecord-detail",
        access(readers=UNIT_READERS),
        places=UNIT,
        kwargs=pk("record"),
    ),
    Url(
        "accountability:workrecord-update",
        access(readers=UNIT_READERS, writers=UNIT_WRITERS, door=READ_ONLY),
        post=access(readers=UNIT_READERS, writers=UNIT_WRITERS, door=READ_ONLY),
        places=UNIT,
        kwargs=pk("record"),
    ),
    Url(
        "accountability:workrecord-delete",
        post_only(),
        post=access(REDIRECT, readers=UNIT_READERS, writers=UNIT_WRITERS),
        places=UNIT,
        kwargs=pk("record"),
    ),
    Url(
        "accountability:workrecord-restore",
        post_only(),
        post=access(REDIRECT, readers=UNIT_READERS, writers=OFFICE_OF),
        places=UNIT,
        kwargs=pk("deleted_record"),
    ),
    Url(
        "accountability:workrecord-evidence",
        access(readers=UNIT_READERS),
        places=UNIT,
        kwargs=pk("record_evidence"),
    ),
    Url(
        "accountability:workrecord-evidence-remove",
        post_only(),
        # An empty POST (no confirm) changes nothing and goes back to the record.
        post=access(REDIRECT, readers=UNIT_READERS, writers=UNIT_WRITERS),
        places=UNIT,
        kwargs=pk("record_evidence"),
    ),
    Url(
        "accountability:workrecordkind-list",
        access(readers=ORG_MEMBERS),
        post=access(readers=ORG_MEMBERS, writers=OFFICE_OF),
        places=(None, *ORG),
        query=org_query,
    ),
    Url(
        "accountability:workrecordkind-toggle",
        post_only(),
        post=access(REDIRECT, readers=ORG_MEMBERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("kind"),
    ),
    Url(
        "accountability:workrecordkind-rename",
        post_only(),
        # An empty name is refused with a message on the kinds page.
        post=access(REDIRECT, readers=ORG_MEMBERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("kind"),
    ),
    Url("accountability:dutyletter-list", EVERYONE),
    Url(
        "accountability:dutyletter-issue",
        access(readers=ORG_MEMBERS, writers=OFFICE_OF),
        post=access(readers=ORG_MEMBERS, writers=OFFICE_OF),
        places=(None, *ORG),
        query=org_query,
    ),
    Url(
        "accountability:dutyletter-detail",
        access(readers=UNIT_READERS),
        places=UNIT,
        kwargs=pk("letter"),
    ),
    Url(
        "accountability:dutyletter-sign",
        # A GET only leads back to the letter's page, where the form is.
        access(REDIRECT, readers=UNIT_READERS, writers=UNIT_WRITERS),
        post=access(readers=UNIT_READERS, writers=UNIT_WRITERS),
        places=UNIT,
        kwargs=pk("letter"),
    ),
    Url(
        "accountability:dutyletter-withdraw",
        post_only(),
        # Only whoever writes the whole organisation (the office) withdraws; an empty POST
        # (no reason) is sent back to the letter's page.
        post=access(REDIRECT, readers=UNIT_READERS, writers=OFFICE_OF),
        places=UNIT,
        kwargs=pk("letter"),
    ),
    Url(
        "accountability:dutyletter-scan",
        access(readers=UNIT_READERS),
        places=UNIT,
        kwargs=pk("scan"),
    ),
    Url(
        "accountability:dutyletter-scan-remove",
        post_only(),
        # Whoever registers the signing; an empty POST (no confirm) changes nothing and goes
        # back to the letter.
        post=access(REDIRECT, readers=UNIT_READERS, writers=UNIT_WRITERS),
        places=UNIT,
        kwargs=pk("scan"),
    ),
    Url(
        "accountability:responsibilityitem-list",
        access(readers=ORG_MEMBERS),
        places=(None, *ORG),
        query=org_query,
    ),
    Url(
        "accountability:responsibilityitem-create",
        access(readers=ORG_MEMBERS, writers=OFFICE_OF),
        post=access(readers=ORG_MEMBERS, writers=OFFICE_OF),
        places=(None, *ORG),
        query=org_query,
    ),
    Url(
        "accountability:responsibilityitem-update",
        access(readers=ORG_MEMBERS, writers=OFFICE_OF),
        post=access(readers=ORG_MEMBERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("item"),
    ),
    Url(
        "accountability:responsibilitylist-copy",
        post_only(),
        post=access(REDIRECT, readers=ORG_MEMBERS, writers=OFFICE_OF),
        places=(None, *ORG),
        query=org_query,
    ),
    Url("accountability:riskpoint-list", EVERYONE),
    Url("accountability:riskpoint-create", access(door=READ_ONLY), post=access(door=READ_ONLY)),
    Url(
        "accountability:riskpoint-detail",
        access(readers=UNIT_READERS),
        places=UNIT,
        kwargs=pk("risk"),
    ),
    Url(
        "accountability:riskpoint-update",
        access(readers=UNIT_READERS, writers=UNIT_WRITERS, door=READ_ONLY),
        post=access(readers=UNIT_READERS, writers=UNIT_WRITERS, door=READ_ONLY),
        places=UNIT,
        kwargs=pk("risk"),
    ),
    # 三员分立: the security auditor's log (and its export), the role grants for inspectors
    Url("accountability:auditevent-list", access(door=USERS - {AUDITOR})),
    Url(
        "accountability:auditevent-list",
        access(door=USERS - {AUDITOR}),
        variant="export",
        query=lambda m, place: {"export": "xlsx"},
    ),
    Url("accountability:rolegrant-list", access(door=USERS - {INSPECTOR, AUDITOR})),
    # rectification
    Url("rectification:index", access(REDIRECT)),
    Url("rectification:inspection-list", EVERYONE),
    Url(
        "rectification:inspection-create",
        access(writers=OFFICE_OF),
        post=access(writers=OFFICE_OF),
    ),
    Url(
        "rectification:inspection-detail",
        access(readers=UNIT_READERS),
        places=UNIT,
        kwargs=pk("inspection"),
    ),
    Url(
        "rectification:inspection-update",
        access(readers=UNIT_READERS, writers=OFFICE_OF, door=READ_ONLY),
        post=access(readers=UNIT_READERS, writers=OFFICE_OF, door=READ_ONLY),
        places=UNIT,
        kwargs=pk("inspection"),
    ),
    Url(
        "rectification:finding-create",
        access(readers=UNIT_READERS, writers=OFFICE_OF),
        post=access(readers=UNIT_READERS, writers=OFFICE_OF),
        places=UNIT,
        kwargs=pk("inspection", "inspection_pk"),
    ),
    Url(
        "rectification:import-upload",
        access(readers=UNIT_READERS, writers=OFFICE_OF),
        post=access(readers=UNIT_READERS, writers=OFFICE_OF),
        places=UNIT,
        kwargs=pk("inspection", "inspection_pk"),
    ),
    Url(
        "rectification:import-template",
        access(readers=UNIT_READERS, writers=OFFICE_OF),
        places=UNIT,
        kwargs=pk("inspection", "inspection_pk"),
    ),
    Url(
        "rectification:import-preview",
        access(readers=BATCH_OWNER),
        post=access(REDIRECT, readers=BATCH_OWNER),
        places=ORG,
        kwargs=lambda m, place: {"token": m.batch[place].token},
    ),
    Url("rectification:finding-list", EVERYONE),
    Url(
        "rectification:finding-update",
        access(readers=UNIT_READERS, writers=OFFICE_OF, door=READ_ONLY),
        post=access(readers=UNIT_READERS, writers=OFFICE_OF, door=READ_ONLY),
        places=UNIT,
        kwargs=pk("finding"),
    ),
    Url(
        "rectification:measure-create",
        access(readers=UNIT_READERS, writers=OFFICE_OF),
        post=access(readers=UNIT_READERS, writers=OFFICE_OF),
        places=UNIT,
        kwargs=pk("finding", "finding_pk"),
    ),
    Url("rectification:measure-list", EVERYONE),
    Url(
        "rectification:measure-detail",
        access(readers=UNIT_READERS),
        places=UNIT,
        kwargs=pk("measure"),
    ),
    Url(
        "rectification:measure-update",
        access(readers=UNIT_READERS, writers=OFFICE_OF, door=READ_ONLY),
        post=access(readers=UNIT_READERS, writers=OFFICE_OF, door=READ_ONLY),
        places=UNIT,
        kwargs=pk("measure"),
    ),
    *(
        Url(
            f"rectification:measure-{action}",
            post_only(),
            post=access(REDIRECT, readers=UNIT_READERS, writers=who),
            places=UNIT,
            kwargs=pk("measure"),
        )
        for action, who in (
            ("delete", OFFICE_OF),
            ("progress", REPORTERS),
            ("request-closure", REPORTERS),
            ("accept", INSPECTOR_OF),
            ("return", INSPECTOR_OF),
            ("followup", INSPECTOR_OF),
            ("reopen", INSPECTOR_OF),
        )
    ),
    Url(
        "rectification:measure-evidence",
        access(readers=UNIT_READERS),
        places=UNIT,
        kwargs=lambda m, place: {
            "pk": m.measure[place].pk,
            "evidence_pk": m.measure_evidence[place].pk,
        },
    ),
    Url(
        "rectification:measure-evidence-remove",
        post_only(),
        # The responsible person or whoever writes the unit; an empty POST changes nothing.
        post=access(REDIRECT, readers=UNIT_READERS, writers=REPORTERS),
        places=UNIT,
        kwargs=lambda m, place: {
            "pk": m.measure[place].pk,
            "evidence_pk": m.measure_evidence[place].pk,
        },
    ),
    Url("rectification:review-queue", access(writers={None: {INSPECTOR}})),
    Url("rectification:followup-list", access(writers={None: {INSPECTOR}})),
    # reminders
    Url("reminders:digest-list", EVERYONE),
    Url("reminders:bell", EVERYONE),
    Url(
        "reminders:digest-read",
        post_only(),
        post=access(REDIRECT, readers=RECIPIENT),
        places=UNIT,
        kwargs=pk("digest"),
    ),
    Url(
        "reminders:notice-read",
        post_only(),
        post=access(REDIRECT, readers=RECIPIENT),
        places=UNIT,
        kwargs=pk("notice"),
    ),
    Url("reminders:digest-read-all", post_only(), post=access(REDIRECT)),
    Url("reminders:preference-update", EVERYONE, post=access(REDIRECT)),
    Url(
        "reminders:policy-update",
        access(door=USERS - {ADMIN}),
        post=access(door=USERS - {ADMIN}),
    ),
    Url(
        "reminders:policy-update(organisation)",
        access(door=USERS - {ADMIN}, readers=ADMINS_OF),
        post=access(door=USERS - {ADMIN}, readers=ADMINS_OF),
        places=ORG,
        kwargs=lambda m, place: {"organisation": m.org[place].pk},
    ),
    Url(
        "reminders:sweep-run",
        post_only(),
        post=access(REDIRECT, door=USERS - {ADMIN}, readers=ADMINS_OF),
        places=ORG,
        kwargs=lambda m, place: {"organisation": m.org[place].pk},
    ),
    Url("reminders:delivery-list", access(door=USERS - {ADMIN})),
    Url(
        "reminders:delivery-list",
        access(door=USERS - {ADMIN}),
        variant="log",
        query=lambda m, place: {"log": "notices"},
    ),
    Url(
        "reminders:delivery-retry",
        post_only(),
        post=access(REDIRECT, door=USERS - {ADMIN}, readers=ADMINS_OF),
        places=UNIT,
        kwargs=pk("delivery"),
    ),
    Url(
        "reminders:notice-delivery-retry",
        post_only(),
        post=access(REDIRECT, door=USERS - {ADMIN}, readers=ADMINS_OF),
        places=UNIT,
        kwargs=pk("notice_delivery"),
    ),
    # reports
    Url("reports:index", access(REDIRECT)),
    Url(
        "reports:dashboard",
        access(readers=ORG_MEMBERS, writers=DASHBOARD),
        places=(None, *ORG),
        query=org_code_query,
    ),
    Url(
        "reports:report-list",
        access(readers=ORG_READERS),
        places=(None, *ORG),
        query=org_code_query,
    ),
    Url(
        "reports:report-draft",
        post_only(anon=405),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=(None, *ORG),
        query=org_code_query,
    ),
    Url(
        "reports:outline-preset",
        post_only(anon=405),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=(None, *ORG),
        query=org_code_query,
    ),
    Url(
        "reports:report-detail",
        access(readers=ORG_READERS),
        places=ORG,
        kwargs=pk("report"),
    ),
    Url(
        "reports:report-edit",
        access(readers=ORG_READERS, writers=OFFICE_OF),
        post=access(readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("report"),
    ),
    Url(
        "reports:export-create",
        post_only(anon=405),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("report"),
    ),
    Url(
        "reports:report-submit",
        post_only(anon=405),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("report"),
    ),
    Url(
        "reports:report-new-version",
        post_only(anon=405),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("report"),
    ),
    Url(
        "reports:report-compare",
        access(readers=ORG_READERS),
        places=ORG,
        kwargs=pk("report"),
    ),
    Url(
        "reports:version-detail",
        access(readers=ORG_READERS),
        places=ORG,
        kwargs=pk("version"),
    ),
    # Sign-off: only the organisation's principal leader approves or returns.
    Url(
        "reports:version-approve",
        post_only(anon=405),
        post=access(REDIRECT, readers=ORG_READERS, writers=PRINCIPAL_OF),
        places=ORG,
        kwargs=pk("version"),
    ),
    Url(
        "reports:version-return",
        post_only(anon=405),
        post=access(REDIRECT, readers=ORG_READERS, writers=PRINCIPAL_OF),
        places=ORG,
        kwargs=pk("version"),
    ),
    Url(
        "reports:export-detail",
        access(readers=ORG_READERS),
        places=ORG,
        kwargs=pk("export"),
    ),
    Url(
        "reports:export-download",
        access(readers=ORG_READERS),
        places=ORG,
        kwargs=pk("export"),
    ),
    Url(
        "reports:outline-edit",
        access(readers=ORG_READERS, writers=OFFICE_OF),
        post=access(readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("outline"),
    ),
    # Assessment (考核): a scheme of an organisation's units is read by whoever reads the whole
    # organisation and changed by its office; creating one is for an office (tests/assessment
    # covers the supervising body's schemes, its admin and a sibling organisation's office).
    Url("assessment:scheme-list", EVERYONE),
    Url(
        "assessment:scheme-create",
        by_role({ANON: LOGIN, OFFICE: 200, STRANGER: 200}, 404),
        post=by_role({ANON: LOGIN, OFFICE: 200, STRANGER: 200}, 404),
    ),
    Url("assessment:scheme-detail", access(readers=ORG_READERS), places=ORG, kwargs=pk("scheme")),
    Url("assessment:scheme-export", access(readers=ORG_READERS), places=ORG, kwargs=pk("scheme")),
    Url(
        "assessment:rule-add",
        post_only(),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("scheme"),
    ),
    Url(
        "assessment:rule-update",
        post_only(),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=lambda m, place: {"pk": m.scheme[place].pk, "rule_pk": m.scheme_rule[place].pk},
    ),
    Url(
        "assessment:rule-delete",
        post_only(),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=lambda m, place: {"pk": m.scheme[place].pk, "rule_pk": m.scheme_rule[place].pk},
    ),
    Url(
        "assessment:point-basis",
        access(readers=ORG_READERS),
        places=ORG,
        kwargs=lambda m, place: {
            "pk": m.scheme[place].pk,
            "rule_pk": m.scheme_rule[place].pk,
            "target_pk": m.scheme_target[place].pk,
        },
    ),
    Url(
        "assessment:adjustment-add",
        post_only(),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("scheme"),
    ),
    Url(
        "assessment:adjustment-delete",
        post_only(),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=lambda m, place: {"pk": m.scheme[place].pk, "adjustment_pk": m.adjustment[place].pk},
    ),
    # 报送 and 督办 (supervision). Bodies: the organisation ("org", above a party committee)
    # and the other organisation ("other"); the objects: the organisation's own ("org", sent to
    # a city body none of the matrix's people belongs to), the committee's below it ("below")
    # and the other organisation's ("other": its office, ``stranger``, is a sibling
    # organisation's office). A body's office acts; its leaders and inspectors read; its
    # administrator and auditor, and everyone below it, do not find its pages.
    Url("supervision:index", access(REDIRECT)),
    Url(
        "supervision:organisation",
        access(readers=ORG_READERS),
        places=(None, *ORG),
        query=org_code_query,
    ),
    Url(
        "supervision:report-submit",
        post_only(anon=405),
        post=access(REDIRECT, readers=ORG_READERS, writers=OFFICE_OF),
        places=ORG,
        kwargs=pk("report"),
    ),
    Url("supervision:body", access(readers=BODY_PEOPLE), places=ORG, kwargs=pk("body")),
    Url(
        "supervision:due-set",
        post_only(anon=405),
        post=access(REDIRECT, readers=BODY_PEOPLE, writers=BODY_OFFICE),
        places=ORG,
        kwargs=pk("body"),
    ),
    Url(
        "supervision:notice-create",
        access(readers=BODY_PEOPLE, writers=BODY_OFFICE),
        post=access(readers=BODY_PEOPLE, writers=BODY_OFFICE),
        places=ORG,
        kwargs=pk("body"),
    ),
    Url(
        "supervision:submission-detail",
        access(readers=SUPERVISION_READERS),
        places=SUPERVISION,
        kwargs=pk("submission"),
    ),
    Url(
        "supervision:submission-file",
        access(readers=SUPERVISION_READERS),
        places=SUPERVISION,
        kwargs=lambda m, place: {"pk": m.submission[place].pk, "fmt": "pdf"},
    ),
    *(
        Url(
            f"supervision:submission-{action}",
            post_only(anon=405),
            post=access(REDIRECT, readers=SUPERVISION_READERS, writers=BODY_OFFICE_OF),
            places=SUPERVISION,
            kwargs=pk("submission"),
        )
        for action in ("receive", "return")
    ),
    Url(
        "supervision:notice-detail",
        access(readers=SUPERVISION_READERS),
        places=SUPERVISION,
        kwargs=pk("supervision_notice"),
    ),
    Url(
        "supervision:notice-evidence",
        access(readers=SUPERVISION_READERS),
        places=SUPERVISION,
        kwargs=lambda m, place: {
            "pk": m.supervision_notice[place].pk,
            "evidence_pk": m.notice_evidence[place].pk,
        },
    ),
    Url(
        "supervision:notice-reply",
        post_only(anon=405),
        post=access(REDIRECT, readers=SUPERVISION_READERS, writers=NOTICE_REPLIERS),
        places=SUPERVISION,
        kwargs=pk("supervision_notice"),
    ),
    *(
        Url(
            f"supervision:notice-{action}",
            post_only(anon=405),
            post=access(REDIRECT, readers=SUPERVISION_READERS, writers=BODY_OFFICE_OF),
            places=SUPERVISION,
            kwargs=pk("supervision_notice"),
        )
        for action in ("close", "return")
    ),
    # The supervising body's roll-up and drill-down (oversight), read-only: the organisation's
    # office, leaders and inspectors read the committee below it ("below"); the other
    # organisation's office (``stranger``, a sibling organisation and the body of its own
    # committee) finds nothing of it; nobody finds an organisation that is not below them
    # ("org", "other"); a body's administrator, and whoever supervises nothing, is refused.
    Url("oversight:rollup", SUPERVISING),
    *(
        Url(name, BELOW_BODY, places=DRILL, kwargs=org_code)
        for name in (
            "oversight:organisation",
            "oversight:workrecord-list",
            "oversight:dutyletter-list",
            "oversight:measure-list",
        )
    ),
    *(
        Url(f"oversight:{name}", BELOW_BODY, places=DRILL_ROWS, kwargs=pk(attr))
        for name, attr in (
            ("workrecord-detail", "record"),
            ("workrecord-evidence", "record_evidence"),
            ("dutyletter-detail", "letter"),
            ("dutyletter-scan", "scan"),
            ("measure-detail", "measure"),
        )
    ),
    Url(
        "oversight:measure-evidence",
        BELOW_BODY,
        places=DRILL_ROWS,
        kwargs=lambda m, place: {
            "pk": m.measure[place].pk,
            "evidence_pk": m.measure_evidence[place].pk,
        },
    ),
    # A deleted record is not found there either.
    Url(
        "oversight:workrecord-detail",
        access(readers={"below": set()}, door=USERS - SUPERVISORS),
        variant="deleted",
        places=("below",),
        kwargs=pk("deleted_record"),
    ),
    # Search: every person may search; the results keep to their scope (tests/search).
    Url("search:results", EVERYONE),
    # CAS sign-on: off unless CAS_SERVER_URL is set (tests/sso/test_cas.py covers it when on).
    Url("sso:cas-login", by_role({}, 404)),
    Url("sso:cas-callback", by_role({}, 404), post=by_role({}, 404)),
    # 目录账号: the security administrator checks and deactivates, the auditor reads.
    Url("directory:account-list", access(door=USERS - {SECADMIN, AUDITOR})),
    Url("directory:account-check", post_only(), post=access(REDIRECT, door=USERS - {SECADMIN})),
    Url(
        "directory:account-deactivate",
        post_only(),
        post=access(REDIRECT, readers={"org": {SECADMIN}, "other": set()}, door=USERS - {SECADMIN}),
        places=ORG,
        kwargs=pk("directory_account"),
    ),
]


# -- the REST API (/api/v1/) and the personal tokens page ---------------------------------------
# The API answers an anonymous caller 401 (JSON), never a redirect to the login page; the
# matrix asks it with the session, test_api_matrix.py again with each role's personal token.
API_ANON = 401


def api(ok=200, **kwargs) -> Policy:
    return access(ok, anon=API_ANON, **kwargs)


def owner_token(m, place):
    """The owner's personal token (made once per matrix)."""
    if not hasattr(m, "api_token"):
        from api.services import apitoken_create

        m.api_token, _raw = apitoken_create(user=m.users[OWNER], name="matrix")
    return {"pk": m.api_token.pk}


# resource, matrix attribute, readers, places
API_RESOURCES = (
    ("unit", "unit", UNIT_READERS, UNIT),
    ("person", "head", UNIT_READERS, UNIT),
    ("responsibilityitem", "item", ORG_MEMBERS, ORG),
    ("workrecord", "record", UNIT_READERS, UNIT),
    ("dutyletter", "letter", UNIT_READERS, UNIT),
    ("riskpoint", "risk", UNIT_READERS, UNIT),
    ("inspection", "inspection", UNIT_READERS, UNIT),
    ("finding", "finding", UNIT_READERS, UNIT),
    ("measure", "measure", UNIT_READERS, UNIT),
)
API_GET_ONLY = by_role({ANON: API_ANON}, 405)

API = [
    Url("tokens:apitoken-list", EVERYONE, post=EVERYONE),
    Url(
        "tokens:apitoken-revoke",
        post_only(),
        # Only one's own token exists: anyone else's is not found.
        post=by_role({ANON: LOGIN, OWNER: REDIRECT}, 404),
        kwargs=owner_token,
    ),
    Url("api:schema", api()),
    Url("api:docs", EVERYONE),
    Url("api:not-found", by_role({}, 404), path=lambda m, place: "/api/v1/no-such-endpoint/"),
    Url("^api/", by_role({}, 404), path=lambda m, place: "/api/v0/work-records/"),
    *(
        Url(
            f"api:{name}-list",
            api(),
            **({"post": api(400, door=READ_ONLY)} if name == "workrecord" else {}),
        )
        for name, _attr, _readers, _places in API_RESOURCES
    ),
    *(
        Url(f"api:{name}-{view}", api(readers=readers), places=places, kwargs=pk(attr))
        for name, attr, readers, places in API_RESOURCES
        for view in ("detail", "history")
    ),
    Url("api:measure-timeline", api(readers=UNIT_READERS), places=UNIT, kwargs=pk("measure")),
    Url(
        "api:workrecord-evidence",
        api(readers=UNIT_READERS),
        places=UNIT,
        kwargs=lambda m, place: {
            "pk": m.record[place].pk,
            "evidence_pk": m.record_evidence[place].pk,
        },
    ),
    Url(
        "api:measure-evidence",
        api(readers=UNIT_READERS),
        places=UNIT,
        kwargs=lambda m, place: {
            "pk": m.measure[place].pk,
            "evidence_pk": m.measure_evidence[place].pk,
        },
    ),
    *(
        Url(
            f"api:measure-{action}",
            API_GET_ONLY,
            # Empty: the note (and for closure the evidence) is missing, once the caller passes.
            post=api(400, readers=UNIT_READERS, writers=REPORTERS),
            places=UNIT,
            kwargs=pk("measure"),
        )
        for action in ("progress", "closure-request")
    ),
]


# -- the admin site, as a group ------------------------------------------------------------------
# Who uses the site besides a superuser (三员分立): the system administrator (units, people,
# the warning policy) and the security administrator (people's roles and passwords only).
SITE_USERS = (ADMIN, SECADMIN)
# What each of them (not a superuser) may do with each registered model: v = view, a = add,
# c = change; no one but a superuser deletes. A model registered on the site must be listed
# here (the matrix fails with its name otherwise).
ADMIN_RIGHTS = {
    "accountability.organisation": {ADMIN: "vc", SECADMIN: ""},
    "accountability.unit": {ADMIN: "vac", SECADMIN: ""},
    # The security administrator opens a person to edit their roles (the inline), not them.
    "accountability.user": {ADMIN: "vac", SECADMIN: "vc"},
    "rectification.warningpolicy": {ADMIN: "vac", SECADMIN: ""},
    # Directory mappings (sso): groups grant roles, so the security administrator keeps them;
    # attributes place people in units, which is the system administrator's tree.
    "sso.directoryrolemapping": {ADMIN: "", SECADMIN: "vac"},
    "sso.directoryunitmapping": {ADMIN: "vac", SECADMIN: ""},
}
ADMIN_APPS = {
    ADMIN: {"accountability": 200, "rectification": 200, "sso": 200},
    SECADMIN: {"accountability": 200, "rectification": 404, "sso": 200},
}


def admin_only(answer) -> Policy:
    """Everyone but the site's users is sent to its login. ``answer``: a fixed answer, a
    function of the place, or a dict giving either per site user."""

    def per_role(role):
        given = answer[role] if isinstance(answer, dict) else answer
        return given if callable(given) else (lambda place: given)

    return lambda role, place: per_role(role)(place) if role in SITE_USERS else ADMIN_LOGIN


def admin_urls(admin_site):
    """The site's own pages, then the pages every registered model gets."""
    site_users = dict.fromkeys(SITE_USERS, REDIRECT)
    urls = [
        Url("admin:login", by_role(site_users, 200), post=by_role({}, 200)),
        # Someone who may not use the site is sent to its index (and from there to log in).
        Url(
            "admin:logout",
            by_role(dict.fromkeys(SITE_USERS, 405), REDIRECT),
            post=by_role(dict.fromkeys(SITE_USERS, LOGIN), REDIRECT),
        ),
        Url("admin:index", admin_only(200)),
        Url("admin:password_change", admin_only(200), post=admin_only(200)),
        Url("admin:password_change_done", admin_only(200)),
        Url(
            "admin:autocomplete",
            # Units' autocomplete: only who may see units.
            admin_only({ADMIN: 200, SECADMIN: 403}),
            query=lambda m, place: {
                "app_label": "accountability",
                "model_name": "unit",
                "field_name": "parent",
            },
        ),
        Url("admin:jsi18n", admin_only(200)),
        Url(
            "admin:view_on_site",
            admin_only(404),  # no model has a public page
            places=ORG,
            kwargs=lambda m, place: (
                _content_type(m.admin_object["accountability.unit"][place]),
                m.admin_object["accountability.unit"][place].pk,
            ),
        ),
        Url(
            "admin:app_list",
            admin_only({role: (lambda app, r=role: ADMIN_APPS[r][app]) for role in SITE_USERS}),
            places=tuple(ADMIN_APPS[ADMIN]),
            kwargs=lambda m, app: {"app_label": app},
        ),
        Url("admin/(?P<url>.*)$", admin_only(404), path=lambda m, place: "/admin/no-such-page/"),
    ]
    for model, model_admin in admin_site._registry.items():
        urls += _model_urls(model, model_admin)
    return urls


def _model_urls(model, model_admin):
    from simple_history.admin import SimpleHistoryAdmin

    label = model._meta.label_lower
    all_rights = ADMIN_RIGHTS.get(label)
    if all_rights is None:
        raise AssertionError(f"{label} is registered on the admin site but not in ADMIN_RIGHTS")
    app, name = model._meta.app_label, model._meta.model_name
    prefix = f"admin:{app}_{name}"
    places = ("org", "other") if any(all_rights.values()) else ("org",)
    versioned = isinstance(model_admin, SimpleHistoryAdmin)

    def obj(m, place):
        return m.admin_object[label][place]

    def kwargs(m, place):
        return {"object_id": obj(m, place).pk}

    def can(flag):
        return admin_only({role: 200 if flag in all_rights[role] else 403 for role in SITE_USERS})

    def own_only(other, without_rights=403):
        """200 for a row of one's organisation; ``other`` for one of another organisation;
        ``without_rights`` for a site user with no right on the model."""

        def answer(rights):
            return lambda place: (200 if place == "org" else other) if rights else without_rights

        return admin_only({role: answer(all_rights[role]) for role in SITE_USERS})

    scoped = hasattr(model_admin, "managed_org_ids")  # rows limited to one's organisations
    without_rights_history = REDIRECT if scoped and not versioned else 403

    # Another organisation's row does not exist for this administrator: its change page sends
    # them back to the index, as for a deleted row; a history page says 403.
    urls = [
        Url(f"{prefix}_changelist", can("v"), post=can("v")),
        Url(f"{prefix}_add", can("a"), post=can("a")),
        Url(
            f"{prefix}_change",
            own_only(REDIRECT),
            post=own_only(REDIRECT),
            places=places,
            kwargs=kwargs,
        ),
        Url(
            f"{prefix}_delete", admin_only(403), post=admin_only(403), places=places, kwargs=kwargs
        ),
        Url(
            f"{prefix}_history",
            # Django's own history page looks the row up first: not found (outside one's
            # organisation, or a model one has no right on), back to the index.
            own_only(403 if versioned else REDIRECT, without_rights_history),
            places=places,
            kwargs=kwargs,
        ),
        Url(
            f"admin/{app}/{name}/<path:object_id>/",
            admin_only(REDIRECT),  # to the change page
            places=places,
            path=lambda m, place: f"/admin/{app}/{name}/{obj(m, place).pk}/",
        ),
    ]
    if versioned:
        revert = own_only(403)
        if label == "accountability.user":
            # The security administrator reads a person's earlier versions, never reverts one.
            by_admin = revert

            def revert(role, place):
                return 403 if role == SECADMIN and place == "org" else by_admin(role, place)

        urls.append(
            Url(
                f"{prefix}_simple_history",
                own_only(403),
                post=revert,
                places=places,
                kwargs=lambda m, place: (
                    obj(m, place).pk,
                    obj(m, place).history.latest().history_id,
                ),
            )
        )
    if label == "accountability.user":
        # Resetting another person's password is the security administrator's (三员分立);
        # the system administrator is refused, and another organisation's person is not found.
        reset = {
            ADMIN: lambda place: 403 if place == "org" else 404,
            SECADMIN: lambda place: 200 if place == "org" else 404,
        }
        urls.append(
            Url(
                "admin:auth_user_password_change",
                admin_only(reset),
                post=admin_only(reset),
                places=places,
                kwargs=lambda m, place: {"id": obj(m, place).pk},
            )
        )
    return urls


def _content_type(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def all_urls():
    from django.contrib import admin

    return PORTAL + API + admin_urls(admin.site)
