"""Every URL the project resolves, for every role, on rows in and out of scope (spec.py).

The first test keeps the spec complete: a new view, or a new model on the admin site, fails
it until its row is written. The second asks every cell and reports every wrong answer at once.
"""

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse

from accountability import person_cache

from ..conftest import note_figure, storages_at
from .spec import ADMIN_LOGIN, LOGIN, REDIRECT, ROLES, all_urls


def resolved_patterns(resolver=None, prefix="", namespace=""):
    """(name or None, route, kwarg names) of every pattern, includes followed."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from resolved_patterns(pattern, route, inner)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield name, route, tuple(sorted(pattern.pattern.regex.groupindex))


def resolver_keys():
    """The spec's key for every pattern: its name; ``name(kwarg,...)`` when several routes
    share a name; the route itself when it has none."""
    patterns = list(resolved_patterns())
    names = [name for name, _route, _kwargs in patterns if name]
    keys = []
    for name, route, kwargs in patterns:
        if name is None:
            keys.append(route)
        elif names.count(name) > 1 and kwargs:
            keys.append(f"{name}({','.join(kwargs)})")
        else:
            keys.append(name)
    return keys


def outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
        return REDIRECT
    return response.status_code


def ask(client, method, url):
    """One request, undone afterwards, so that no cell depends on another."""
    savepoint = transaction.savepoint()
    try:
        response = client.post(url) if method == "POST" else client.get(url)
    finally:
        transaction.savepoint_rollback(savepoint)
    return response


def test_every_resolved_url_has_exactly_one_entry_in_the_matrix():
    keys = resolver_keys()
    assert len(keys) == len(set(keys)), "two routes share a key"
    spec = [url.key for url in all_urls() if not url.variant]
    assert len(spec) == len(set(spec)), "the spec lists a key twice"
    missing = sorted(set(keys) - set(spec))
    extra = sorted(set(spec) - set(keys))
    assert not missing and not extra, (
        f"URL patterns without an access-matrix entry: {missing}; "
        f"entries for patterns that no longer exist: {extra} (tests/access/spec.py)"
    )


# The matrix is asked in shards so that pytest-xdist can spread it over the workers; each shard
# asks every SHARDS-th URL of the spec. A worker builds the matrix world once for the shards it
# takes (every request is undone by ``ask``, and each shard's transaction is rolled back).
SHARDS = 12


@pytest.fixture
def matrix(shared_matrix, settings, db):
    settings.REPORT_ASYNC_ROWS = -1
    # As when each shard built its own world: the cached people and scopes of an earlier shard
    # (whose requests were rolled back) are retired.
    person_cache.replace_generation()
    return shared_matrix


@pytest.fixture
def evidence_storage(settings, matrix_storage):
    settings.STORAGES = storages_at(matrix_storage)
    return matrix_storage


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_url_answers_every_role_as_the_matrix_says(matrix, client_for, request, shard):
    urls = all_urls()
    wrong, cells, by_method = [], 0, {"GET": 0, "POST": 0}
    for url in urls[shard::SHARDS]:
        for place in url.places:
            address = url.url(matrix, place)
            for method in url.methods():
                for role in ROLES:
                    expected = url.expected(method, role, place)
                    response = ask(client_for(role), method, address)
                    got = outcome(response)
                    cells += 1
                    by_method[method] += 1
                    if got != expected:
                        error = getattr(response, "exc_info", None)
                        detail = f" ({error[1]!r})" if error else ""
                        wrong.append(
                            f"{method} {address} [{url.label}, {place or '-'}] as {role}: "
                            f"expected {expected}, got {got}{detail}"
                        )
    patterns = sum(not url.variant for url in urls)
    places = max(len(url.places) for url in urls)
    note_figure(
        request.node,
        f"access matrix: {patterns} URL patterns (+{len(urls) - patterns} query variants) "
        f"x {len(ROLES)} roles x up to {places} objects",
    )
    note_figure(request.node, "access matrix: {n} cells checked", count=cells)
    note_figure(request.node, "access matrix: {n} GET cells", count=by_method["GET"])
    note_figure(request.node, "access matrix: {n} POST cells", count=by_method["POST"])
    assert not wrong, f"{len(wrong)} of {cells} cells answer wrongly:\n" + "\n".join(wrong)
