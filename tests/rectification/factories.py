"""Factories for inspections, findings and measures inside the shared ``world``."""

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from rectification.models import Finding, Inspection, Measure

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf(name="整改报告.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = Inspection

    kind = Inspection.Kind.INSPECTION
    source = "市委第三巡察组"
    title = factory.Sequence(lambda n: f"市委第三巡察组巡察反馈（第{n}轮）")
    started_on = datetime.date(2026, 3, 1)
    feedback_on = datetime.date(2026, 5, 10)


class FindingFactory(DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    aspect = "落实全面从严治党主体责任方面"
    aspect_order = 1
    number = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"反馈问题{n}：主体责任落实不到位")


class MeasureFactory(DjangoModelFactory):
    class Meta:
        model = Measure

    finding = factory.SubFactory(FindingFactory)
    description = factory.Sequence(lambda n: f"整改措施{n}：建立健全工作台账")
    deadline = datetime.date(2026, 12, 31)
