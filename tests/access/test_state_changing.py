"""Views that change data refuse a GET and refuse a POST without a CSRF token.

The state-changing views are the spec's entries with a POST rule; a guard keeps that list
honest (a class-based view with ``post`` or a function view that reads POST must be in it,
and a POST to any other page changes nothing). For each one, a user who may act on the
object (the spec says who):

* a GET, carrying the same data in its query string, answers 405 or changes nothing;
* a POST without a token answers the portal's CSRF page (403) and changes nothing;
* the same POST with a token is let through: for the views below that take a few fields it
  really changes the database, for the others it gets the answer the matrix gives that user.

"Changes nothing" compares a fingerprint of every table (sessions by key only: each request
renews its session's expiry) taken before and after, inside the test's transaction.
"""

import inspect
from urllib.parse import urlencode

from django.db import connection, transaction
from django.urls import URLResolver, get_resolver
from django.utils.crypto import get_random_string

from tests.factories import PASSWORD

from .spec import ROLES, all_urls
from .test_url_matrix import outcome

CSRF_PAGE = "页面已过期"
NEW_PASSWORD = "Matrix#2026-changed"

# key -> (role, place, data): a POST that changes the database once it carries a token.
CHANGES = {
    "login": ("anonymous", None, lambda m: {"username": "office", "password": PASSWORD}),
    "logout": ("owner", None, lambda m: {}),
    "password_change": (
        "owner",
        None,
        lambda m: {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    ),
    "accountability:workrecord-delete": ("owner", "own", lambda m: {}),
    "accountability:workrecord-restore": ("office", "own", lambda m: {}),
    "accountability:workrecordkind-list": ("office", None, lambda m: {"name": "新类别"}),
    "accountability:workrecordkind-toggle": ("office", "org", lambda m: {}),
    "accountability:workrecordkind-rename": ("office", "org", lambda m: {"name": "改名后的类别"}),
    "accountability:responsibilitylist-copy": (
        "office",
        None,
        lambda m: {"year": m.today.year + 1},
    ),
    "accountability:riskpoint-create": (
        "owner",
        None,
        lambda m: {
            "unit": m.unit["own"].pk,
            "post": "新岗位",
            "description": "新风险",
            "level": "high",
            "measures": "新措施",
            "is_active": "on",
        },
    ),
    "rectification:measure-progress": ("owner", "own", lambda m: {"note": "正在推进"}),
    "rectification:measure-accept": ("inspector", "own", lambda m: {"note": "同意"}),
    "rectification:measure-return": ("inspector", "own", lambda m: {"reason": "材料不全"}),
    "rectification:import-preview": ("office", "org", lambda m: {}),
    "reminders:digest-read": ("owner", "own", lambda m: {}),
    "reminders:notice-read": ("owner", "own", lambda m: {}),
    "reminders:digest-read-all": ("owner", None, lambda m: {}),
    "reminders:preference-update": ("owner", None, lambda m: {"webhook": "on"}),
    "reminders:delivery-retry": ("admin", "own", lambda m: {}),
    "reports:report-draft": (
        "office",
        None,
        lambda m: {"year": m.today.year + 1, "outline": m.outline["org"].pk},
    ),
    "reports:export-create": ("office", "org", lambda m: {}),
    "reports:outline-preset": ("office", None, lambda m: {"preset": "three_parts"}),
    "tokens:apitoken-list": ("owner", None, lambda m: {"name": "新令牌", "expires_in": "30"}),
    "tokens:apitoken-revoke": ("owner", None, lambda m: {}),
    "api:workrecord-list": (
        "owner",
        None,
        lambda m: {
            "date": m.today.isoformat(),
            "unit": m.unit["own"].pk,
            "kind": m.kind["org"].pk,
            "title": "接口新增",
        },
    ),
    "api:measure-progress": ("owner", "own", lambda m: {"note": "接口报告进展"}),
}

# Who acts when the spec does not say: the first of these the matrix lets through.
ACTORS = (
    "office",
    "owner",
    "sibling",
    "inspector",
    "admin",
    "stranger",
    "leader",
    "principal",
    "norole",
    "anonymous",
)
REFUSED = {403, 404, 405, "admin-login"}
# Views a POST reaches without a CSRF token on purpose (a POST without one must still change
# nothing here, and they get the matrix's answer).
CSRF_EXEMPT = {
    # The CAS server's single-logout request comes server to server, with no browser token: the
    # service ticket it names is the proof (sso/slo.py, tests/sso/test_cas.py).
    "sso:cas-callback",
}


def actor(url):
    """(role, place, data) for a POST the spec lets through, when it lets one through."""
    if url.key in CHANGES:
        return CHANGES[url.key]
    for place in url.places:
        for role in ACTORS:
            answer = url.post(role, place)
            if answer not in REFUSED and not (role == "anonymous" and answer == "login"):
                return role, place, lambda m: {}
    # No one may (an admin page of a model the administrator may not touch): the CSRF check
    # still comes first, and the administrator is then refused as the matrix says.
    return "admin", url.places[0], lambda m: {}


def fingerprint():
    """One hash per table of its rows, in one query; sessions by key only."""
    # The audit log records reads too (exports, downloads): it is a log, not state.
    skip = {"django_session", "django_migrations", "audit_auditevent"}
    tables = sorted(set(connection.introspection.table_names()) - skip)
    quote = connection.ops.quote_name
    # Table names come from the database's own catalogue, not from any input.
    parts = [
        f"SELECT '{table}', md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "  # noqa: S608
        f"FROM {quote(table)} t"
        for table in tables
    ]
    parts.append(
        "SELECT 'django_session', "
        "md5(coalesce(string_agg(session_key, '|' ORDER BY session_key), '')) "
        "FROM django_session"
    )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return dict(cursor.fetchall())


def changed(before, after):
    return sorted(table for table in after if before.get(table) != after[table])


def with_query(address, data):
    if not data:
        return address
    return f"{address}{'&' if '?' in address else '?'}{urlencode(data)}"


def accepts_post(callback):
    """Whether a view can act on a POST, as far as its code tells."""
    actions = getattr(callback, "actions", None)  # a REST framework viewset's route
    if actions is not None:
        return "post" in actions
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return "post" in view_class.http_method_names and hasattr(view_class, "post")
    source = inspect.getsource(inspect.unwrap(callback))
    return "POST" in source


def portal_patterns():
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "admin":
            continue  # the admin site is a group in the spec
        yield from _walk(pattern, "")


def _walk(pattern, namespace):
    if isinstance(pattern, URLResolver):
        inner = pattern.namespace or namespace
        for child in pattern.url_patterns:
            yield from _walk(child, inner)
    else:
        yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern.callback


def test_every_view_that_reads_a_post_is_a_state_changing_entry():
    declared = {url.key.split("(")[0] for url in all_urls() if url.state_changing}
    posting = {name for name, callback in portal_patterns() if accepts_post(callback)}
    assert posting, "the introspection found no view at all"
    assert not posting - declared, (
        f"views that accept POST but have no POST rule in the spec: {sorted(posting - declared)}"
    )


def test_state_changing_views_refuse_get_and_a_post_without_csrf_token(matrix, client_for):
    wrong, checked = [], 0
    token = get_random_string(32)
    for url in all_urls():
        if not url.state_changing:
            continue
        role, place, make_data = actor(url)
        address, data = url.url(matrix, place), make_data(matrix)
        expected = url.post(role, place)
        savepoint = transaction.savepoint()
        try:
            # GET, with the data in the query string: 405, or nothing changes.
            before = fingerprint()
            response = client_for(role).get(with_query(address, data))
            after = fingerprint()
            if response.status_code != 405 and changed(before, after):
                wrong.append(
                    f"GET {address} [{url.label}] as {role} changed {changed(before, after)}"
                )
            # POST without a token: the CSRF page, and nothing changes.
            before = after
            client = client_for(role, enforce_csrf_checks=True)
            response = client.post(address, data)
            text = response.content.decode()
            exempt = url.key in CSRF_EXEMPT
            if not exempt and (response.status_code != 403 or CSRF_PAGE not in text):
                wrong.append(
                    f"POST {address} [{url.label}] as {role} without token: "
                    f"{response.status_code}, not the CSRF refusal"
                )
            after = fingerprint()
            if changed(before, after):
                wrong.append(
                    f"POST {address} [{url.label}] as {role} without token "
                    f"changed {changed(before, after)}"
                )
            # The same POST with a token goes through.
            client = client_for(role, enforce_csrf_checks=True)
            client.cookies["csrftoken"] = token
            response = client.post(address, {**data, "csrfmiddlewaretoken": token})
            got = outcome(response)
            if url.key in CHANGES and not changed(before, fingerprint()):
                wrong.append(f"POST {address} [{url.label}] as {role} with token changed nothing")
            elif url.key not in CHANGES and got != expected:
                wrong.append(
                    f"POST {address} [{url.label}] as {role} with token: "
                    f"expected {expected}, got {got}"
                )
            checked += 1
        finally:
            transaction.savepoint_rollback(savepoint)
    assert checked >= len(CHANGES)
    assert not wrong, f"{len(wrong)} problems in {checked} state-changing views:\n" + "\n".join(
        wrong
    )


def test_a_post_to_a_page_that_changes_nothing_changes_nothing(matrix, client_for):
    """The other direction of the guard: every page without a POST rule, posted to (with a
    token) by everyone who may open it, leaves the database as it was."""
    wrong, checked = [], 0
    for url in all_urls():
        if url.state_changing or url.variant:
            continue
        for place in url.places:
            roles = [role for role in ROLES if url.get(role, place) == 200]
            address = url.url(matrix, place)
            savepoint = transaction.savepoint()
            try:
                before = fingerprint()
                for role in roles:
                    client_for(role).post(address, {"name": "x", "note": "x"})
                    checked += 1
                after = fingerprint()
                if changed(before, after):
                    wrong.append(
                        f"POST {address} [{url.label}] as {roles} changed {changed(before, after)}"
                    )
            finally:
                transaction.savepoint_rollback(savepoint)
    assert checked > 100
    assert not wrong, "\n".join(wrong)
