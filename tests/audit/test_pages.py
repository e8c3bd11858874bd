"""The security auditor's log page and export; the role grants page for inspectors."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from accountability.models import Role, RoleAssignment
from audit.models import AuditEvent
from audit.services import Action, record

LOG = reverse("accountability:auditevent-list")
GRANTS = reverse("accountability:rolegrant-list")


def client_as(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def events(world, auditor):
    own = record(Action.LOGIN_FAILED, username="mxOWNevent", organisation_id=world.org.pk)
    other = record(Action.LOGIN_FAILED, username="mxOTHevent", organisation_id=world.other_org.pk)
    return own, other


@pytest.mark.django_db
class TestAuditLogPage:
    def test_the_auditor_reads_their_organisations_events_only(self, auditor, events):
        body = client_as(auditor).get(LOG).content.decode()
        assert "mxOWNevent" in body
        assert "mxOTHevent" not in body

    @pytest.mark.parametrize("who", ["office", "admin", "inspector", "principal", "head"])
    def test_nobody_else_reads_it(self, world, events, who):
        response = client_as(getattr(world, who)).get(LOG)
        assert response.status_code == 403

    def test_the_security_administrator_does_not_read_it(self, secadmin, events):
        assert client_as(secadmin).get(LOG).status_code == 403

    def test_filters(self, auditor, events, world):
        record(Action.LOGIN, username="mxOWNlogin", organisation_id=world.org.pk)
        body = client_as(auditor).get(LOG, {"action": "login"}).content.decode()
        assert "mxOWNlogin" in body and "mxOWNevent" not in body
        body = client_as(auditor).get(LOG, {"username": "OWNEV"}).content.decode()
        assert "mxOWNevent" in body and "mxOWNlogin" not in body

    def test_a_malformed_filter_is_not_an_error(self, auditor, events):
        response = client_as(auditor).get(LOG, {"day_from": "not-a-date", "address": "x"})
        assert response.status_code == 200

    def test_the_export_holds_the_filtered_events_and_is_itself_logged(self, auditor, events):
        response = client_as(auditor).get(LOG, {"export": "xlsx"})
        assert response.status_code == 200
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        cells = {str(c.value) for row in workbook.active.iter_rows() for c in row}
        assert "mxOWNevent" in cells and "mxOTHevent" not in cells
        assert AuditEvent.objects.filter(action="export", actor=auditor).exists()

    def test_the_auditor_reads_every_records_history_and_changes_nothing(self, world, auditor):
        from accountability.access import scope_for

        scope = scope_for(auditor)
        assert scope.can_read_unit(world.works) and scope.can_read_unit(world.finance)
        assert not scope.can_write_anything


@pytest.mark.django_db
class TestRoleGrantsPage:
    def test_inspectors_see_who_granted_a_business_role(self, world, secadmin):
        grant = RoleAssignment(user=world.head, organisation=world.org, role=Role.INSPECTOR)
        grant._history_user = secadmin
        grant.save()
        body = client_as(world.inspector).get(GRANTS, {"business": "1"}).content.decode()
        assert "张处长" in body and "周安全" in body and "纪检监督" in body

    def test_other_organisations_grants_do_not_show(self, world):
        body = client_as(world.inspector).get(GRANTS).content.decode()
        assert "钱外局" not in body

    @pytest.mark.parametrize("who", ["office", "admin", "head", "leader"])
    def test_others_are_refused(self, world, who):
        assert client_as(getattr(world, who)).get(GRANTS).status_code == 403


@pytest.mark.django_db
class TestExportsAndDownloadsAreLogged:
    def test_an_excel_ledger(self, world):
        client_as(world.office).get(reverse("rectification:measure-list"), {"export": "xlsx"})
        event = AuditEvent.objects.get(action="export")
        assert event.actor == world.office and "/r/measures/" in event.detail

    def test_an_evidence_download(self, world):
        from accountability.models import WorkRecord, WorkRecordEvidence, WorkRecordKind
        from tests.access.conftest import marked_pdf

        kind = WorkRecordKind.ensure_presets(world.org)["theory_study"]
        record_ = WorkRecord.objects.create(
            organisation=world.org, unit=world.works, kind=kind, date="2026-01-05", title="学习"
        )
        evidence = WorkRecordEvidence.from_upload(marked_pdf("x"), by=world.head, record=record_)
        evidence.save()
        response = client_as(world.head).get(
            reverse("accountability:workrecord-evidence", args=[evidence.pk])
        )
        assert response.status_code == 200
        event = AuditEvent.objects.get(action="download")
        assert event.actor == world.head and event.object_id == str(evidence.pk)
        assert response["Cache-Control"] == "private, no-store"
