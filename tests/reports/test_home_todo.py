"""The home page: every count opens a list with the same number; 我的待办 lists one's own work."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountability.models import DutyLetter, ResponsibilityItem, ResponsibilityList, User
from rectification import services
from rectification.models import Measure
from reports.services import outline_apply_preset
from tests.rectification.factories import FindingFactory, MeasureFactory, pdf

# Tiles whose list counts something else on purpose (units and people on the unit tree).
NOT_LISTS = ("accountability:unit-list",)


def _figures(response):
    for card in response.context["cards"]:
        for label, value, url in card.figures:
            yield card, str(label), value, url


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    paginator = response.context.get("paginator")
    if paginator is not None:
        return paginator.count
    return len(response.context["object_list"])


@pytest.fixture
def busy(rect):
    """Closed, closure-requested and overdue measures beside the open ones."""
    today = timezone.localdate()
    closed = MeasureFactory(
        finding=rect.finding,
        unit=rect.works,
        responsible_person=rect.head,
        lead_leader=rect.leader,
        number=7,
    )
    Measure.objects.filter(pk=closed.pk).update(
        state=Measure.State.CLOSED,
        closed_at=timezone.now(),
        closed_by=rect.inspector,
        followup_due_on=today - timedelta(days=1),
    )
    Measure.objects.filter(pk=rect.measure.pk).update(deadline=today - timedelta(days=3))
    services.measure_request_closure(
        measure=rect.finance_measure, by=rect.outsider, note="已完成", files=[pdf()]
    )
    return rect


@pytest.mark.parametrize("who", ["office", "head", "inspector", "leader", "principal"])
def test_every_home_count_opens_a_list_of_the_same_number(login, busy, who):
    client = login(getattr(busy, who))
    response = client.get(reverse("home"))
    checked = 0
    for card, label, value, url in _figures(response):
        if any(url.startswith(reverse(name)) for name in NOT_LISTS):
            continue
        assert _listed(client, url) == value, f"{card.title} · {label}: {url}"
        checked += 1
    assert checked


def test_the_open_measures_tile_leaves_out_closed_measures(login, busy):
    client = login(busy.inspector)
    response = client.get(reverse("home"))
    tile = next(f for f in _figures(response) if f[1] == "未销号整改措施")
    assert tile[2] == 2
    assert _listed(client, tile[3]) == 2


def test_a_returned_measure_is_on_its_responsible_persons_todo(login, rect):
    services.measure_request_closure(measure=rect.measure, by=rect.head, note="x", files=[pdf()])
    services.measure_return_closure(measure=rect.measure, by=rect.inspector, reason="缺少文件")
    response = login(rect.head).get(reverse("home"))
    assert "缺少文件" in response.text
    group = next(g for g in response.context["todo"] if g.key == "measures")
    assert group.rows[0].url == reverse("rectification:measure-detail", args=[rect.measure.pk])


def test_an_overdue_measure_is_on_the_todo_with_its_days(login, rect):
    Measure.objects.filter(pk=rect.measure.pk).update(
        deadline=timezone.localdate() - timedelta(days=4)
    )
    response = login(rect.head).get(reverse("home"))
    assert "逾期4天" in response.text


def test_a_closure_request_is_on_the_inspectors_todo_not_the_requesters(login, rect):
    services.measure_request_closure(measure=rect.measure, by=rect.head, note="x", files=[pdf()])
    inspector = login(rect.inspector).get(reverse("home"))
    assert [g.key for g in inspector.context["todo"]] == ["closures"]
    head = login(rect.head).get(reverse("home"))
    assert "closures" not in [g.key for g in head.context["todo"]]


def test_an_unsigned_letter_is_on_the_unit_heads_todo(login, world):
    today = timezone.localdate()
    DutyLetter.objects.create(
        organisation=world.org,
        unit=world.works,
        year=today.year,
        title="基建处党风廉政建设责任书",
        issued_on=today,
        due_on=today + timedelta(days=5),
    )
    response = login(world.head).get(reverse("home"))
    group = next(g for g in response.context["todo"] if g.key == "letters")
    assert group.rows[0].text == "基建处党风廉政建设责任书"
    assert "5天后到期" in response.text


def test_an_overdue_unsigned_letter_is_on_the_offices_todo_as_the_card_counts_it(login, world):
    today = timezone.localdate()

    def letter(title, due, **fields):
        return DutyLetter.objects.create(
            organisation=world.org,
            unit=fields.pop("unit", world.works),
            year=today.year,
            title=title,
            issued_on=today - timedelta(days=30),
            due_on=due,
            **fields,
        )

    letter("基建处党风廉政建设责任书", today - timedelta(days=4))
    letter("财务处党风廉政建设责任书", today - timedelta(days=9), unit=world.finance)
    letter("尚未到期的责任书", today + timedelta(days=3), unit=world.root)
    letter(
        "已签订的责任书",
        today - timedelta(days=9),
        kind="notice",
        signed_on=today,
        signatory="张处长",
    )
    response = login(world.office).get(reverse("home"))
    group = next(g for g in response.context["todo"] if g.key == "overdue_letters")
    assert [row.text for row in group.rows] == [
        f"{world.finance.name}：财务处党风廉政建设责任书",
        f"{world.works.name}：基建处党风廉政建设责任书",
    ]
    assert "逾期9天" in response.text
    card = next(c for c in response.context["cards"] if c.role == "office")
    (figure,) = [value for label, value, _url in card.figures if str(label) == "逾期未签责任书"]
    assert figure == group.total == 2
    # The unit head signs, the office follows up: neither sees the other's row.
    head = login(world.head).get(reverse("home"))
    assert "overdue_letters" not in [g.key for g in head.context["todo"]]


def _year_setup(client):
    response = client.get(reverse("home"))
    groups = {group.key: group for group in response.context["todo"]}
    return groups.get("year_setup")


def test_the_years_groundwork_is_on_the_offices_todo_until_it_is_laid(login, world):
    """A party office that has just installed the portal (or starts a new year) is told what to
    set up first: the year's responsibility list, its duty letters, the report's outline."""
    year = timezone.localdate().year
    office = login(world.office)
    group = _year_setup(office)
    assert [row.text for row in group.rows] == [
        f"尚未制定{year}年度主体责任清单",
        f"尚未下发{year}年度责任书",
        "尚未建立年度报告提纲",
    ]
    for row in group.rows:
        assert office.get(row.url).status_code == 200, row.url

    # Last year's list and a withdrawn letter lay nothing for this year.
    last = ResponsibilityList.objects.create(organisation=world.org, year=year - 1)
    ResponsibilityItem.objects.create(list=last, area="理论学习", title="每月学习")
    letter = DutyLetter.objects.create(
        organisation=world.org, unit=world.works, year=year, title="责任书", issued_on=date.today()
    )
    DutyLetter.objects.filter(pk=letter.pk).update(withdrawn_at=timezone.now())
    assert len(_year_setup(office).rows) == 3

    this = ResponsibilityList.objects.create(organisation=world.org, year=year)
    ResponsibilityItem.objects.create(list=this, area="理论学习", title="每月学习")
    DutyLetter.objects.create(
        organisation=world.org, unit=world.works, year=year, title="责任书", issued_on=date.today()
    )
    assert [row.action for row in _year_setup(office).rows] == ["建立"]
    outline_apply_preset(organisation=world.org, preset="three_parts")
    assert _year_setup(office) is None


def test_only_the_party_office_is_asked_for_the_years_groundwork(login, world):
    for who in (world.head, world.leader, world.inspector):
        assert _year_setup(login(who)) is None


def test_nothing_to_do_says_so(login, world):
    response = login(world.leader).get(reverse("home"))
    assert 'data-testid="todo-empty"' in response.text


def test_the_home_page_query_count_does_not_grow_with_the_data(login, rect):
    client = login(rect.head)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    finding = FindingFactory(inspection=rect.inspection, number=30)
    for n in range(12):
        MeasureFactory(
            finding=finding,
            unit=rect.works,
            responsible_person=rect.head,
            lead_leader=rect.leader,
            number=n + 1,
            deadline=timezone.localdate() - timedelta(days=n + 1),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("home"))
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]
    assert User.objects.exists()
