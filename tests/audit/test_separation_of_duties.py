"""三员分立 (issue 13, holes 3 and 4): who grants roles, who resets passwords, who closes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accountability.models import Role, RoleAssignment
from audit.models import AuditEvent
from rectification import services
from rectification.models import Measure, RectificationError
from tests.factories import PASSWORD, UserFactory
from tests.rectification.factories import FindingFactory, InspectionFactory, MeasureFactory


def client_as(user):
    client = Client()
    client.force_login(user)
    return client


def person_form(person, extra_roles=()):
    """The admin change form of ``person`` as posted, with ``extra_roles`` as new rows:
    [(organisation, role), ...]."""
    rows = list(RoleAssignment.objects.filter(user=person).order_by("pk"))
    data = {
        "username": person.username,
        "full_name": person.full_name,
        "title": person.title,
        "organisation": person.organisation_id or "",
        "unit": person.unit_id or "",
        "email": person.email,
        "phone": person.phone,
        "is_active": "on",
        "role_assignments-TOTAL_FORMS": len(rows) + len(extra_roles),
        "role_assignments-INITIAL_FORMS": len(rows),
        "role_assignments-MIN_NUM_FORMS": 0,
        "role_assignments-MAX_NUM_FORMS": 1000,
    }
    for n, row in enumerate(rows):
        data.update(
            {
                f"role_assignments-{n}-id": row.pk,
                f"role_assignments-{n}-user": person.pk,
                f"role_assignments-{n}-organisation": row.organisation_id,
                f"role_assignments-{n}-role": row.role,
            }
        )
    for n, (organisation, role) in enumerate(extra_roles, start=len(rows)):
        data.update(
            {
                f"role_assignments-{n}-user": person.pk,
                f"role_assignments-{n}-organisation": organisation.pk,
                f"role_assignments-{n}-role": role,
            }
        )
    return data


def change_url(person):
    return reverse("admin:accountability_user_change", args=[person.pk])


def roles_of(person):
    return set(RoleAssignment.objects.filter(user=person).values_list("role", flat=True))


@pytest.mark.django_db
class TestThreeSeparateAdministrators:
    def test_the_database_refuses_two_administrator_roles_for_one_person(self, world):
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleAssignment.objects.create(user=world.admin, organisation=world.org, role="auditor")

    @pytest.mark.parametrize("role", [Role.SECURITY_ADMIN, Role.AUDITOR])
    def test_the_model_says_why_in_chinese(self, world, role):
        assignment = RoleAssignment(user=world.admin, organisation=world.org, role=role)
        with pytest.raises(ValidationError) as error:
            assignment.full_clean()
        assert "三员分立" in str(error.value)

    def test_business_roles_beside_one_administrator_role_are_fine(self, world):
        RoleAssignment(user=world.admin, organisation=world.org, role=Role.OFFICE).full_clean()

    def test_the_admin_form_refuses_a_second_administrator_role(self, world, secadmin):
        response = client_as(secadmin).post(
            change_url(world.admin), person_form(world.admin, [(world.org, Role.AUDITOR)])
        )
        assert response.status_code == 200
        assert "三员分立" in response.content.decode()
        assert roles_of(world.admin) == {Role.ADMIN}

    def test_two_administrator_roles_in_one_post_are_refused_too(self, world, secadmin):
        response = client_as(secadmin).post(
            change_url(world.office),
            person_form(world.office, [(world.org, Role.ADMIN), (world.org, Role.AUDITOR)]),
        )
        assert response.status_code == 200
        assert "三员分立" in response.content.decode()
        assert roles_of(world.office) == {Role.OFFICE}


@pytest.mark.django_db
class TestSystemAdministrator:
    def test_cannot_make_himself_an_inspector(self, world):
        client = client_as(world.admin)
        client.post(change_url(world.admin), person_form(world.admin, [(world.org, "inspector")]))
        assert roles_of(world.admin) == {Role.ADMIN}

    def test_cannot_grant_a_role_to_anyone(self, world):
        client_as(world.admin).post(
            change_url(world.head), person_form(world.head, [(world.org, Role.OFFICE)])
        )
        assert roles_of(world.head) == {Role.UNIT_HEAD}

    def test_still_edits_people(self, world):
        data = person_form(world.head, [])
        data["title"] = "处长"
        response = client_as(world.admin).post(change_url(world.head), data)
        assert response.status_code == 302
        world.head.refresh_from_db()
        assert world.head.title == "处长"

    def test_cannot_reset_another_members_password(self, world):
        url = reverse("admin:auth_user_password_change", args=[world.head.pk])
        client = client_as(world.admin)
        assert client.get(url).status_code == 403
        response = client.post(url, {"password1": "Other@2026-pw", "password2": "Other@2026-pw"})
        assert response.status_code == 403
        world.head.refresh_from_db()
        assert world.head.check_password(PASSWORD)

    def test_adds_people_without_a_password(self, world):
        response = client_as(world.admin).post(
            reverse("admin:accountability_user_add"),
            {
                "username": "xinren",
                "full_name": "新同事",
                "organisation": world.org.pk,
                "unit": world.works.pk,
                "role_assignments-TOTAL_FORMS": 0,
                "role_assignments-INITIAL_FORMS": 0,
            },
        )
        assert response.status_code == 302
        from accountability.models import User

        assert not User.objects.get(username="xinren").has_usable_password()


@pytest.mark.django_db
class TestSecurityAdministrator:
    def test_grants_a_business_role_and_it_is_recorded(self, world, secadmin):
        response = client_as(secadmin).post(
            change_url(world.head), person_form(world.head, [(world.org, Role.INSPECTOR)])
        )
        assert response.status_code == 302
        assert roles_of(world.head) == {Role.UNIT_HEAD, Role.INSPECTOR}
        event = AuditEvent.objects.get(action="role_granted")
        assert (event.actor, event.object_id) == (secadmin, str(world.head.pk))
        assert event.organisation_id == world.org.pk
        history = RoleAssignment.history.filter(
            user=world.head, role=Role.INSPECTOR, history_type="+"
        ).get()
        assert history.history_user == secadmin

    def test_a_revocation_is_recorded(self, world, secadmin):
        data = person_form(world.head, [])
        data["role_assignments-0-DELETE"] = "on"
        response = client_as(secadmin).post(change_url(world.head), data)
        assert response.status_code == 302
        assert roles_of(world.head) == set()
        assert AuditEvent.objects.filter(action="role_revoked").count() == 1

    def test_cannot_grant_a_role_to_himself(self, world, secadmin):
        client_as(secadmin).post(
            change_url(secadmin), person_form(secadmin, [(world.org, Role.INSPECTOR)])
        )
        assert roles_of(secadmin) == {Role.SECURITY_ADMIN}

    def test_cannot_edit_the_person_only_their_roles(self, world, secadmin):
        data = person_form(world.head, [])
        data["full_name"] = "改名"
        client_as(secadmin).post(change_url(world.head), data)
        world.head.refresh_from_db()
        assert world.head.full_name == "张处长"

    def test_resets_another_members_password_and_it_is_recorded(self, world, secadmin):
        url = reverse("admin:auth_user_password_change", args=[world.head.pk])
        response = client_as(secadmin).post(
            url, {"password1": "Other@2026-pw", "password2": "Other@2026-pw"}
        )
        assert response.status_code == 302
        world.head.refresh_from_db()
        assert world.head.check_password("Other@2026-pw")
        assert AuditEvent.objects.filter(action="password_reset", actor=secadmin).count() == 1

    def test_cannot_reset_his_own_password_in_the_admin(self, world, secadmin):
        url = reverse("admin:auth_user_password_change", args=[secadmin.pk])
        assert client_as(secadmin).get(url).status_code == 403

    def test_cannot_touch_another_organisation(self, world, secadmin):
        url = reverse("admin:auth_user_password_change", args=[world.stranger.pk])
        assert client_as(secadmin).get(url).status_code == 404


@pytest.mark.django_db
def test_own_password_change_is_recorded(world):
    client = client_as(world.head)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mine@2026-new",
            "new_password2": "Mine@2026-new",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="password_changed", actor=world.head).count() == 1


# -- rectification ----------------------------------------------------------------------------


@pytest.fixture
def measure(world):
    finding = FindingFactory(inspection=InspectionFactory(organisation=world.org))
    return MeasureFactory(
        finding=finding,
        unit=world.works,
        lead_leader=world.leader,
        responsible_person=world.head,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )


@pytest.mark.django_db
class TestReadOnlyLeaderAsResponsiblePerson:
    def test_a_read_only_leader_cannot_be_chosen(self, world, measure):
        measure.responsible_person = world.leader
        with pytest.raises(ValidationError) as error:
            measure.full_clean()
        assert "responsible_person" in error.value.message_dict

    def test_a_leader_with_a_writing_role_can(self, world, measure):
        RoleAssignment.objects.create(user=world.leader, organisation=world.org, role="unit_head")
        measure.responsible_person = world.leader
        measure.full_clean()

    def test_a_leader_named_earlier_cannot_report_progress(self, world, measure):
        Measure.objects.filter(pk=measure.pk).update(responsible_person=world.leader)
        client = client_as(world.leader)
        response = client.post(
            reverse("rectification:measure-progress", args=[measure.pk]), {"note": "已整改"}
        )
        assert response.status_code == 403
        assert not measure.updates.exists()

    def test_a_leader_named_earlier_cannot_request_closure(self, world, measure):
        Measure.objects.filter(pk=measure.pk).update(responsible_person=world.leader)
        from tests.access.conftest import marked_pdf

        response = client_as(world.leader).post(
            reverse("rectification:measure-request-closure", args=[measure.pk]),
            {"note": "已整改", "files": [marked_pdf("x")]},
        )
        assert response.status_code == 403
        measure.refresh_from_db()
        assert measure.state == Measure.State.OPEN


@pytest.mark.django_db
class TestNobodyReviewsTheirOwnWork:
    def test_an_inspector_who_reported_progress_cannot_accept(self, world, measure):
        # An inspector who is also party-office staff reported progress on the measure.
        RoleAssignment.objects.create(user=world.inspector, organisation=world.org, role="office")
        services.measure_report_progress(measure=measure, by=world.inspector, note="进展")
        from tests.access.conftest import marked_pdf

        services.measure_request_closure(
            measure=measure, by=world.head, note="完成", files=[marked_pdf("y")]
        )
        with pytest.raises(RectificationError):
            services.measure_accept_closure(measure=measure, by=world.inspector)
        with pytest.raises(RectificationError):
            services.measure_return_closure(measure=measure, by=world.inspector, reason="不行")
        measure.refresh_from_db()
        assert measure.state == Measure.State.CLOSURE_REQUESTED
        # Another inspector may.
        other = UserFactory(username="jijian2", unit=world.root, roles=[Role.INSPECTOR])
        services.measure_accept_closure(measure=measure, by=other)
        measure.refresh_from_db()
        assert measure.state == Measure.State.CLOSED


@pytest.mark.django_db
def test_an_import_cannot_name_a_read_only_leader_responsible(world):
    from rectification import importer
    from tests.rectification.test_import import good_rows, xlsx

    inspection = InspectionFactory(organisation=world.org)
    rows = good_rows()
    rows[0][6] = "李分管"  # the leader in charge: reads only
    result = importer.parse(xlsx(rows), inspection)
    assert result.rows == []
    assert any("李分管" in p.message and "只读" in p.message for p in result.problems)
