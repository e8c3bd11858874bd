"""Every case of the hostile corpus against every upload endpoint (issue #7).

A refused case: the user sees the Chinese message, no row of any table changes (history
included) and no file is left in storage. An accepted case: the file is stored under a random
name of its checked type, byte for byte, and the page that lists it shows the sanitised name,
escaped.
"""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape

from accountability import person_cache
from common.evidence import EvidenceFileBase, inspect_upload
from rectification.models import FindingImport

from .conftest import CHECKED, row_counts, stored_files
from .corpus import ACCEPT, CASES
from .endpoints import ENDPOINTS
from .files import PDF, multipart

PAIRS = [
    pytest.param(endpoint, case, id=f"{endpoint.id}:{case.id}")
    for endpoint in ENDPOINTS
    for case in CASES
    if case.outcome(endpoint.kind) is not None
]
EVIDENCE_MODELS = [m for m in apps.get_models() if issubclass(m, EvidenceFileBase)]
RANDOM_NAME = re.compile(r"evidence/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|png|jpg|jpeg|docx)")


@pytest.fixture
def world(shared_world, db):
    # Each pair adds its rows and files around the world and changes none of its rows (each
    # test's transaction is rolled back): one world for the module's 366 pairs. As when each
    # built its own, the cached people and scopes of an earlier test are retired.
    person_cache.replace_generation()
    return shared_world


def _page(client, response):
    """The page the user ends up on after the post."""
    while response.status_code == 302:
        response = client.get(response["Location"])
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("endpoint", "case"), PAIRS)
def test_hostile_upload(endpoint, case, world, client, kinds, evidence_storage):
    target = endpoint.setup(world)
    kind = kinds[endpoint.kind]
    sent = case.uploads(kind)
    body, content_type = multipart(
        target.data, [(endpoint.field, name.encode(), data) for name, data in sent]
    )
    client.force_login(world.office)
    rows, stored = row_counts(), stored_files(evidence_storage)

    response = client.generic("POST", target.url, body, content_type=content_type)

    assert response.status_code in (200, 302)
    outcome = case.outcome(endpoint.kind)
    if outcome == ACCEPT:
        assert response.status_code == 302
        if endpoint.kind == "evidence":
            _check_stored_evidence(client, target, case, sent, rows, stored, evidence_storage)
        else:
            _check_staged_import(client, target, rows, stored, evidence_storage)
    else:
        page = _page(client, response)
        assert escape(case.message(endpoint.kind, kind.ext)) in page
        assert row_counts() == rows, "a refused upload changed the database"
        assert stored_files(evidence_storage) == stored, "a refused upload left a file behind"
    CHECKED["pairs"].add((endpoint.id, case.id))


def _check_stored_evidence(client, target, case, sent, rows, stored, root):
    after = row_counts()
    grown = [m for m in EVIDENCE_MODELS if after[m._meta.db_table] != rows[m._meta.db_table]]
    assert len(grown) == 1
    table = grown[0]._meta.db_table
    assert after[table] == rows[table] + 1
    evidence = grown[0].objects.latest("pk")
    shown = case.shown_name("pdf")
    assert evidence.original_name == shown
    assert RANDOM_NAME.fullmatch(evidence.file.name), evidence.file.name
    assert stored_files(root) == stored | {evidence.file.name}
    assert (root / evidence.file.name).read_bytes() == sent[0][1]
    page = client.get(target.shown_at()).content.decode()
    assert escape(shown) in page
    if "<" in shown:
        assert shown not in page


def _check_staged_import(client, target, rows, stored, root):
    after = row_counts()
    changed = {table for table in after if after[table] != rows[table]}
    assert changed == {FindingImport._meta.db_table}, "the import wrote more than its preview"
    assert stored_files(root) == stored, "the import keeps no file"
    batch = FindingImport.objects.latest("pk")
    name = batch.file_name
    assert name and len(name) <= 200
    assert "/" not in name and "\\" not in name and name.isprintable()
    page = client.get(target.shown_at()).content.decode()
    assert escape(name) in page


def test_a_nul_in_the_name_is_refused_outside_a_request_too():
    """Files that reach ``inspect_upload`` without Django's multipart parser (a management
    command, a script) are checked for a NUL byte themselves."""
    with pytest.raises(ValidationError) as error:
        inspect_upload(SimpleUploadedFile("evil.php\x00.pdf", PDF))
    assert error.value.messages == ["文件名包含非法字符，请重命名后再上传。"]


def test_a_flood_of_files_stops_at_the_parser_and_saves_nothing(world, client, evidence_storage):
    """Past DATA_UPLOAD_MAX_NUMBER_FILES Django refuses the request before any view runs (400);
    below it the form answers in Chinese (the too-many-files case of the corpus)."""
    target = ENDPOINTS[0].setup(world)
    count = settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1
    assert count > settings.EVIDENCE_MAX_FILES + 1
    uploads = [("evidence", f"{i}.pdf".encode(), PDF) for i in range(count)]
    body, content_type = multipart(target.data, uploads)
    client.force_login(world.office)
    rows = row_counts()

    response = client.generic("POST", target.url, body, content_type=content_type)

    assert response.status_code == 400
    assert "没有保存任何内容" in response.content.decode()  # in Chinese, not Django's bare page
    assert row_counts() == rows
    assert stored_files(evidence_storage) == set()
