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
