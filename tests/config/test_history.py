from datetime import UTC, datetime

import pytest

from common.history import history_rows


@pytest.mark.django_db
def test_history_shows_changed_fields_with_old_and_new_values(world):
    world.finance.name = "计划财务处"
    world.finance.save()
    newest = history_rows(world.finance)[0]
    assert newest.action == "修改"
    assert [(c.field, c.old, c.new) for c in newest.changes] == [("名称", "财务处", "计划财务处")]


@pytest.mark.django_db
def test_history_shows_datetimes_in_local_time_without_microseconds(world):
    world.head.last_login = None
    world.head.save()
    world.head.date_joined = datetime(2026, 3, 1, 1, 2, 3, 456789, tzinfo=UTC)
    world.head.save()
    change = next(
        c for c in history_rows(world.head)[0].changes if c.field in ("date joined", "加入日期")
    )
    assert change.new == "2026-03-01 09:02"  # Asia/Shanghai


@pytest.mark.django_db
def test_history_names_who_changed_what_newest_first_for_this_object_only(world):
    finance, works = world.finance, world.works
    finance.name = "计划财务处"
    finance._history_user = world.head  # as HistoryRequestMiddleware sets it for a request
    finance.save()
    world.head.full_name = ""  # a person without a name shows their user name
    world.head.save()
    finance.name = "财务审计处"
    finance._history_user = world.head
    finance.save()
    works.name = "基建管理处"
    works.save()
    rows = history_rows(finance)
    assert [row.action for row in rows[:2]] == ["修改", "修改"] and rows[-1].action == "创建"
    assert rows[0].who == world.head.username and rows[1].who == world.head.username
    assert rows[-1].who == "系统"  # created by the fixtures, outside any request
    assert [(c.old, c.new) for c in rows[0].changes] == [("计划财务处", "财务审计处")]
    theirs = [c.new for row in history_rows(works) for c in row.changes]
    assert theirs[0] == "基建管理处" and "财务审计处" not in theirs
    assert len(history_rows(finance, limit=2)) == 2
    assert history_rows(finance, limit=2)[1].changes  # the row past the limit still diffs it
