"""Who places an organisation below a supervising body: a superuser only, on the admin site."""

from django.urls import reverse

from accountability.models import Organisation
from tests.factories import UserFactory


def change_url(org):
    return reverse("admin:accountability_organisation_change", args=[org.pk])


def form(org, **changes):
    data = {
        "code": org.code,
        "name": org.name,
        "short_name": org.short_name,
        "body_type": org.body_type,
        "sector": org.sector,
        "principal_leader": org.principal_leader_id or "",
        "supervisor": org.supervisor_id or "",
    }
    data.update(changes)
    return data


def superuser():
    return UserFactory(username="root", is_superuser=True, is_staff=True)


def test_a_superuser_places_an_organisation_below_a_body(login, city):
    other_body = Organisation.objects.create(code="qu", name="区委", short_name="区委")
    response = login(superuser()).post(
        change_url(city.org), form(city.org, supervisor=other_body.pk)
    )
    assert response.status_code == 302
    city.org.refresh_from_db()
    assert city.org.supervisor == other_body
    assert city.org.path == f"{other_body.path}{city.org.pk:06d}."


def test_an_organisation_made_its_own_ancestor_is_refused_in_chinese(login, city):
    before = Organisation.objects.values_list("pk", "supervisor_id", "path").order_by("pk")
    before = list(before)
    response = login(superuser()).post(
        change_url(city.body), form(city.body, supervisor=city.org.pk)
    )
    assert response.status_code == 200
    assert "不能把本党组织或它下属的党组织设为它的上级党组织" in response.content.decode()
    after = Organisation.objects.values_list("pk", "supervisor_id", "path").order_by("pk")
    assert list(after) == before


def test_an_organisation_cannot_be_its_own_supervisor(login, city):
    response = login(superuser()).post(change_url(city.org), form(city.org, supervisor=city.org.pk))
    assert response.status_code == 200
    assert "不能把本党组织" in response.content.decode()
    city.org.refresh_from_db()
    assert city.org.supervisor == city.body


def test_an_organisations_own_administrator_cannot_move_it(login, city):
    client = login(city.admin)
    page = client.get(change_url(city.org)).content.decode()
    assert 'name="supervisor"' not in page and "市直机关工委" in page  # shown, not editable
    response = client.post(change_url(city.org), form(city.org, supervisor="", name="测试水利局"))
    assert response.status_code == 302
    city.org.refresh_from_db()
    assert city.org.supervisor == city.body  # still below its body


def test_the_bodys_administrator_cannot_reach_an_organisation_below(login, city):
    client = login(city.body_admin)
    assert 'name="supervisor"' not in client.get(change_url(city.body)).content.decode()
    response = client.post(change_url(city.org), form(city.org, name="改名"))
    assert response.status_code == 302 and response["Location"].endswith("/admin/")
    city.org.refresh_from_db()
    assert city.org.name == "测试水利局"
