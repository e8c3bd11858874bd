"""One measure walked through the closure review in a real browser, by the three roles:
the office registers it, the responsible person requests closure, the inspector returns it
with a reason, the request comes again and is accepted, and the follow-up check holds. The
history shows every step with who and when."""

import re

from playwright.sync_api import expect

from rectification.models import Measure, ProgressUpdate
from tests.samples import ONE_PAGE_PDF

PDF = ONE_PAGE_PDF


def _switch(page, login_as, user):
    page.context.clear_cookies()
    return login_as(user)


def test_measure_goes_through_request_return_accept_and_follow_up(
    world, page, login_as, screenshot, tmp_path
):
    evidence = tmp_path / "整改报告.pdf"
    evidence.write_bytes(PDF)

    # The party office registers the inspection, a finding and its measure.
    login_as(world.office)
    page.goto("/r/inspections/new/")
    page.get_by_label("类型").select_option(label="巡察")
    page.get_by_label("反馈单位").fill("市委第三巡察组")
    page.get_by_label("名称").fill("市委第三巡察组巡察反馈问题整改")
    page.get_by_label("进驻日期").fill("2026-03-01")
    page.get_by_label("反馈日期").fill("2026-05-10")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="登记反馈问题").click()
    page.get_by_label("问题方面").fill("落实全面从严治党主体责任方面")
    page.get_by_label("问题描述").fill("主体责任压力传导层层递减")
    page.get_by_role("button", name="保存").click()
    page.get_by_role("link", name="添加措施").click()
    page.get_by_label("整改措施").fill("逐级签订党风廉政建设责任书")
    page.get_by_label("牵头领导").select_option(label="李分管")
    # The 责任人 choices are narrowed to the unit by htmx: choose once they have arrived (the
    # office's 刘党办 is not in 基建处), or the swap may land after the choice and undo it.
    page.get_by_label("责任处室").select_option(label="基建处")
    expect(page.locator("#id_responsible_person option", has_text="刘党办")).to_have_count(0)
    page.get_by_label("责任人").select_option(label="张处长")
    page.get_by_label("整改时限").fill("2026-12-31")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r"/r/measures/\d+/$"))
    measure = Measure.objects.get(description="逐级签订党风廉政建设责任书")
    measure_url = f"/r/measures/{measure.pk}/"
    screenshot("rectification-1-registered")

    # The responsible person requests closure with evidence.
    _switch(page, login_as, world.head)
    page.goto(measure_url)
    page.get_by_label("整改完成情况").fill("责任书已全部签订")
    page.locator("form[action$='request-closure/'] input[type=file]").set_input_files(evidence)
    page.get_by_role("button", name="提交销号申请").click()
    expect(page.get_by_text("已提交销号申请")).to_be_visible()
    screenshot("rectification-2-requested")

    # The inspector returns it from the queue, with a reason (htmx, in place).
    _switch(page, login_as, world.inspector)
    page.goto("/r/review/")
    card = page.locator(f"#measure-{measure.pk}")
    expect(card.get_by_role("link", name="整改报告.pdf")).to_be_visible()
    screenshot("rectification-3-queue")
    card.get_by_role("button", name="退回").click()
    expect(page.get_by_text("退回销号申请必须填写退回原因")).to_be_visible()
    measure.refresh_from_db()
    assert measure.state == Measure.State.CLOSURE_REQUESTED
    page.goto("/r/review/")
    card = page.locator(f"#measure-{measure.pk}")
    card.get_by_label("退回原因").fill("缺少重点岗位责任书扫描件")
    card.get_by_role("button", name="退回").click()
    expect(page.get_by_text("已退回销号申请")).to_be_visible()

    # The responsible person sees the reason and requests again.
    _switch(page, login_as, world.head)
    page.goto(measure_url)
    expect(page.get_by_text("缺少重点岗位责任书扫描件").first).to_be_visible()
    screenshot("rectification-4-returned")
    page.get_by_label("整改完成情况").fill("已补充重点岗位责任书扫描件")
    page.locator("form[action$='request-closure/'] input[type=file]").set_input_files(evidence)
    page.get_by_role("button", name="提交销号申请").click()

    # The inspector accepts; the follow-up check then holds.
    _switch(page, login_as, world.inspector)
    page.goto("/r/review/")
    # 同意销号 asks first (hx-confirm); the inspector confirms.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#measure-{measure.pk}").get_by_role("button", name="同意销号").click()
    expect(page.get_by_text("已同意销号")).to_be_visible()
    page.goto("/r/followups/")
    followup = page.locator(f"#measure-{measure.pk}")
    followup.get_by_label("回头看情况").fill("未发现问题反弹")
    followup.get_by_role("button", name="整改成果巩固").click()
    expect(page.get_by_text("已记录回头看")).to_be_visible()

    # Anyone reading the measure sees each step, with who and when.
    _switch(page, login_as, world.office)
    page.goto(measure_url)
    history = page.locator(".history-list")
    for step in ("申请销号", "退回：缺少重点岗位责任书扫描件", "同意销号", "回头看：整改成果巩固"):
        expect(history.get_by_text(step).first).to_be_visible()
    expect(history.get_by_text("张处长").first).to_be_visible()
    expect(history.get_by_text("陈纪检").first).to_be_visible()
    assert history.locator("time").first.get_attribute("datetime")
    screenshot("rectification-5-history")

    kinds = list(
        ProgressUpdate.objects.filter(measure=measure)
        .order_by("at", "pk")
        .values_list("kind", flat=True)
    )
    assert kinds == ["closure_request", "returned", "closure_request", "accepted", "followup_held"]
