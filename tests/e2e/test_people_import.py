"""A new organisation's system administrator downloads the template, fills in its units and
people, sees one mistake named with its row, fixes it, checks the preview and imports."""

from openpyxl import load_workbook

from accountability.models import Unit, User


def test_download_fill_upload_fix_preview_and_import(world, login_as, page, screenshot, tmp_path):
    login_as(world.admin)
    page.goto("/a/units/")
    page.get_by_role("link", name="导入单位和人员").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载模板").click()
    filled = tmp_path / "名单.xlsx"
    download.value.save_as(filled)

    book = load_workbook(filled)
    units, people = book["单位"], book["人员"]
    units.delete_rows(2, units.max_row)
    units.append(["科技教育处", "处室", "局机关", 7, "kejiao"])
    units.append(["市中心医院", "直属单位", "局机关", 20])
    people.delete_rows(2, people.max_row)
    people.append(["kejiao", "赵科", "科技教育处", "处长"])
    people.append(["Office", "重名", "市中心医院", "院长"])  # 刘党办's, capitals aside
    book.save(filled)
    page.get_by_label("单位和人员名单（Excel）").set_input_files(str(filled))
    page.get_by_role("button", name="上传并预览").click()
    page.get_by_text("“人员”第3行：用户名“Office”已被使用（不区分大小写），请换一个。").wait_for()
    assert not Unit.objects.filter(name="市中心医院").exists()
    screenshot("people_import_problem")

    people["A3"] = "zhongxin"
    book.save(filled)
    page.get_by_label("单位和人员名单（Excel）").set_input_files(str(filled))
    page.get_by_role("button", name="上传并预览").click()
    preview = page.get_by_test_id("import-preview")
    preview.get_by_text("将新增 2 个单位、2 名人员").wait_for()
    screenshot("people_import_preview")
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入 2 个单位、2 名人员。").wait_for()
    assert "市中心医院" in page.locator("main").inner_text()
    screenshot("people_import_done")

    unit = Unit.objects.get(organisation=world.org, name="科技教育处")
    assert (unit.parent, unit.head.username) == (world.root, "kejiao")
    assert User.objects.get(username="zhongxin").unit.name == "市中心医院"
