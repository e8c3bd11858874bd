"""The API's rows of the access matrix again, each role calling with its personal token instead
of the session: the same answers (spec.API), and no marker of a place the role may not read."""

from django.db import transaction
from django.test import Client

from api.services import apitoken_create

from .conftest import MARK
from .spec import ANON, API, ROLES, UNIT_READERS
from .test_url_matrix import outcome


def token_clients(matrix):
    clients = {ANON: Client(raise_request_exception=False)}
    for role, user in matrix.users.items():
        if user is not None:
            _token, raw = apitoken_create(user=user, name="matrix")
            clients[role] = Client(
                raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}"
            )
    return clients


def test_every_api_url_answers_every_token_as_the_matrix_says(matrix, capsys):
    clients = token_clients(matrix)
    wrong, cells = [], 0
    for url in API:
        if url.key.startswith("tokens:"):
            continue  # a page of the portal: the session's matrix covers it
        for place in url.places:
            address = url.url(matrix, place)
            for method in url.methods():
                for role in ROLES:
                    expected = url.expected(method, role, place)
                    savepoint = transaction.savepoint()
                    try:
                        client = clients[role]
                        response = client.post(address) if method == "POST" else client.get(address)
                    finally:
                        transaction.savepoint_rollback(savepoint)
                    cells += 1
                    got = outcome(response)
                    if got != expected:
                        wrong.append(
                            f"{method} {address} [{url.label}, {place or '-'}] token of {role}: "
                            f"expected {expected}, got {got}"
                        )
    with capsys.disabled():
        print(f"\nAPI access matrix with personal tokens: {cells} cells checked")
    assert not wrong, f"{len(wrong)} of {cells} cells answer wrongly:\n" + "\n".join(wrong)


def test_api_lists_show_no_row_out_of_the_tokens_scope(matrix):
    clients = token_clients(matrix)
    lists = [url for url in API if url.key.endswith("-list") and url.key.startswith("api:")]
    wrong = []
    for url in lists:
        address = url.url(matrix, None)
        for role in ROLES:
            if role == ANON:
                continue
            text = clients[role].get(f"{address}?page_size=200").content.decode()
            for place in ("own", "sibling", "other"):
                if MARK[place] in text and role not in UNIT_READERS[place]:
                    organisation_wide = "responsibility" in address and place != "other"
                    if not organisation_wide:
                        wrong.append(f"{address}: token of {role} sees a row of {place}")
    assert not wrong, "\n".join(wrong)
