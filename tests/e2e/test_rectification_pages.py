"""The rectification pages on the demo data, as the people who use them see them."""

import io

from openpyxl import Workbook
from playwright.sync_api import expect

from accountability import demo as accountability_demo
from rectification import demo


def _login(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(accountability_demo.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_ledger_and_inspection_on_demo_data(db, page, screenshot):
    demo.seed(accountability_demo.seed())
    _login(page, "dangban")
    page.goto("/r/measures/")
    expect(page.get_by_role("heading", name="整改台账")).to_be_visible()
    screenshot("rectification-ledger")
    page.get_by_label("逾期").select_option("yes")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator(".light-red").first).to_be_visible()
    screenshot("rectification-ledger-overdue")
    page.goto("/r/inspections/")
    page.get_by_role("link", name="市委第三巡察组巡察反馈问题整改").click()
    expect(page.get_by_text("落实全面从严治党主体责任方面")).to_be_visible()
    screenshot("rectification-inspection")


def test_inspector_workspace_on_demo_data(db, page, screenshot):
    demo.seed(accountability_demo.seed())
    _login(page, "jijian")
    page.goto("/r/review/")
    expect(page.get_by_text("开展在建水利工程招投标专项检查")).to_be_visible()
    screenshot("rectification-review-queue")
    page.goto("/r/followups/")
    expect(page.get_by_text("已到期").first).to_be_visible()
    screenshot("rectification-followups")


def test_import_lists_every_bad_row(db, page, screenshot, tmp_path):
    demo.seed(accountability_demo.seed())
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "问题方面",
            "问题序号",
            "问题描述",
            "整改措施",
            "牵头领导",
            "责任处室",
            "责任人",
            "整改时限",
        ]
    )
    sheet.append(
        [
            "作风建设方面",
            20,
            "会风文风不实",
            "精简会议文件",
            "李志强",
            "不存在的处",
            "张海涛",
            "2027-03-31",
        ]
    )
    sheet.append(
        ["作风建设方面", 21, "督查考核过多", "统筹督查检查", "查无此人", "办公室", "王丽", "明年"]
    )
    path = tmp_path / "清单.xlsx"
    stream = io.BytesIO()
    workbook.save(stream)
    path.write_bytes(stream.getvalue())
    _login(page, "dangban")
    page.goto("/r/inspections/")
    page.get_by_role("link", name="市委第三巡察组巡察反馈问题整改").click()
    page.get_by_role("link", name="导入问题清单").click()
    page.get_by_label("问题清单（Excel）").set_input_files(path)
    page.get_by_role("button", name="上传并预览").click()
    problems = page.locator(".import-problems li")
    expect(problems).to_have_count(2)
    expect(problems.first).to_contain_text("第 2 行")
    expect(problems.nth(1)).to_contain_text("“整改时限”不是有效日期：明年")
    screenshot("rectification-import-problems")
