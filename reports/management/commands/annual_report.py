from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accountability.models import Organisation
from reports.document import ExportBlocked, report_problems
from reports.models import Report, ReportOutline
from reports.services import (
    export_create,
    export_render,
    final_version,
    outline_apply_preset,
    report_generate_draft,
)


class Command(BaseCommand):
    help = (
        "Write an organisation's year-end report as a PDF or, when the output ends in .docx, "
        "a Word document (and keep the export, frozen)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="organisation code, e.g. sw")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument(
            "--output", required=True, help="path of the file to write: .pdf or .docx"
        )
        parser.add_argument(
            "--final",
            action="store_true",
            help=(
                "the 定稿 (the version the principal leader approved in the portal); "
                "without it, the report as it stands, marked 征求意见稿"
            ),
        )
        parser.add_argument(
            "--preset",
            default="seven_areas",
            help="outline preset for a first draft when the year has no report yet",
        )

    def final_version(self, report):
        """The approved version, or CommandError saying what is missing before there is one."""
        version = final_version(report)
        if version is not None:
            return version
        problems = report_problems(report)
        if problems:
            raise CommandError(
                f"{report}尚无定稿，且还有{len(problems)}处未完成：" + "；".join(problems)
            )
        raise CommandError(
            f"{report}尚无定稿：请在平台报告页“提交审签”，由主要负责人签发后再导出定稿；"
            "不加 --final 导出征求意见稿。"
        )

    def handle(self, *args, org, year, output, preset, final=False, **options):
        organisation = Organisation.objects.filter(code=org).first()
        if organisation is None:
            raise CommandError(f"未找到代码为“{org}”的党组织。")
        report = Report.objects.filter(organisation=organisation, year=year).first()
        if report is None:
            outline = ReportOutline.objects.filter(
                organisation=organisation, preset=preset
            ).first() or outline_apply_preset(organisation=organisation, preset=preset)
            report, _ = report_generate_draft(organisation=organisation, year=year, outline=outline)
            self.stdout.write(f"已按提纲“{outline}”生成{year}年度报告初稿。")
        # The format follows the extension: .docx is Word, anything else the PDF.
        fmt = "docx" if Path(output).suffix.lower() == ".docx" else "pdf"
        version = None
        if final:
            version = self.final_version(report)
        try:
            export = export_create(report=report, by=None, format=fmt, version=version)
        except ExportBlocked as blocked:
            raise CommandError(blocked.message) from blocked
        export = export_render(export.pk)
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        with export.file.open("rb") as source:
            target.write_bytes(source.read())
        pages = f"{export.pages} 页, " if export.pages else ""
        self.stdout.write(self.style.SUCCESS(f"{target}: {pages}{export.size // 1024} KB"))
