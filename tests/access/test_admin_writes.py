"""An organisation's administrator writes in their organisation only, through every field.

The matrix shows that another organisation's rows do not open; these tests post forms that
point a new row at another organisation (or at one of its units or people), and check that
the form refuses it while the same form pointed at one's own organisation is accepted.
"""

from django.urls import reverse

from accountability.models import Role, RoleAssignment, Unit, User
from tests.factories import PASSWORD


def unit_form(organisation, parent, name):
    return {
        "organisation": organisation.pk,
        "parent": parent.pk,
        "name": name,
        "kind": Unit.Kind.DEPARTMENT,
        "order": 0,
        "is_active": "on",
    }


def user_form(organisation, unit, username, role_in=None):
    """The add form; ``role_in``: also give the person a role in that organisation."""
    form = {
        "username": username,
        "full_name": "新同事",
        "organisation": organisation.pk,
        "unit": unit.pk,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role_assignments-TOTAL_FORMS": 0,
        "role_assignments-INITIAL_FORMS": 0,
    }
    if role_in is not None:
        form.update(
            {
                "role_assignments-TOTAL_FORMS": 1,
                "role_assignments-0-organisation": role_in.pk,
                "role_assignments-0-role": Role.OFFICE,
            }
        )
    return form


def test_administrator_adds_a_unit_to_their_organisation_only(matrix, client_for):
    w, url = matrix.world, reverse("admin:accountability_unit_add")
    client = client_for("admin")

    for form in (
        unit_form(w.other_org, w.other_root, "越权处甲"),  # another organisation
        unit_form(w.org, w.other_root, "越权处乙"),  # below another organisation's unit
    ):
        response = client.post(url, form)
        assert response.status_code == 200, form  # the form again, with its error
        assert not Unit.objects.filter(name=form["name"]).exists()

    response = client.post(url, unit_form(w.org, w.root, "新设处"))
    assert response.status_code == 302
    assert Unit.objects.get(name="新设处").organisation == w.org


def test_administrator_adds_a_person_to_their_organisation_only(matrix, client_for):
    w, url = matrix.world, reverse("admin:accountability_user_add")
    client = client_for("admin")

    for form in (
        user_form(w.other_org, w.other_unit, "intruder1"),
        user_form(w.org, w.other_unit, "intruder2"),  # a unit of another organisation
    ):
        response = client.post(url, form)
        assert response.status_code == 200, form
        assert not User.objects.filter(username=form["username"]).exists()

    # A role posted with the new person is ignored: granting roles is the security
    # administrator's (三员分立).
    response = client.post(url, user_form(w.org, w.works, "newcomer", role_in=w.org))
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.unit == w.works
    assert not RoleAssignment.objects.filter(user=newcomer).exists()
    assert not newcomer.has_usable_password()


def test_security_administrator_grants_roles_in_their_organisation_only(matrix, client_for):
    w = matrix.world
    url = reverse("admin:accountability_user_change", args=[w.norole.pk])
    client = client_for("secadmin")

    def roles_form(organisation):
        return {
            "role_assignments-TOTAL_FORMS": 1,
            "role_assignments-INITIAL_FORMS": 0,
            "role_assignments-0-user": w.norole.pk,
            "role_assignments-0-organisation": organisation.pk,
            "role_assignments-0-role": Role.OFFICE,
        }

    response = client.post(url, roles_form(w.other_org))
    assert response.status_code == 200  # the form again: not one of the choices
    assert not RoleAssignment.objects.filter(user=w.norole).exists()

    response = client.post(url, roles_form(w.org))
    assert response.status_code == 302
    assert set(
        RoleAssignment.objects.filter(user=w.norole).values_list("organisation", "role")
    ) == {(w.org.pk, Role.OFFICE)}
