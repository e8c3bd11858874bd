"""A unit head types a two-character word into the navigation's search box and opens a result."""

import datetime

from accountability.models import WorkRecord, WorkRecordKind


def test_a_person_searches_for_a_two_character_word_and_opens_a_result(
    page, world, login_as, screenshot
):
    kinds = WorkRecordKind.ensure_presets(world.org)
    mine = WorkRecord.objects.create(
        organisation=world.org,
        unit=world.works,
        kind=kinds["heart_talk"],
        date=datetime.date(2026, 3, 5),
        title="基建处谈心谈话",
        description="处长与新任科长谈心谈话，提醒<b>廉洁自律</b>。",
    )
    WorkRecord.objects.create(
        organisation=world.org,
        unit=world.finance,
        kind=kinds["heart_talk"],
        date=datetime.date(2026, 3, 6),
        title="财务处谈心谈话",
    )
    login_as(world.head)
    box = page.get_by_role("searchbox", name="搜索")
    box.fill("谈心")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator(".search-result")
    assert results.count() == 1  # 财务处's record is outside the unit head's scope
    assert results.first.locator(".badge").inner_text() == "工作记实"
    assert results.first.locator("mark").first.inner_text() == "谈心"
    assert "<b>廉洁自律</b>" in results.first.inner_text()  # shown as text, not markup
    screenshot("search_results")
    results.first.get_by_role("link").click()
    page.wait_for_url(f"**/a/records/{mine.pk}/")
    assert "基建处谈心谈话" in page.content()
