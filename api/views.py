"""The REST API's endpoints (/api/v1/). Every queryset goes through the same access helper as
the pages (``accountability.access`` and ``rectification.selectors``), so an object outside the
caller's scope is not found (404) and a read-only role that tries a change is refused (403).
Writes go through the same forms (evidence checks included) and services as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from accountability import services as accountability_services
from accountability.access import scope_for
from accountability.forms import WorkRecordForm
from accountability.models import (
    DutyLetter,
    ResponsibilityItem,
    RiskPoint,
    Unit,
    User,
    WorkRecord,
    WorkRecordEvidence,
)
from common.history import history_rows
from rectification import services as rectification_services
from rectification.forms import ClosureRequestForm, ProgressForm
from rectification.models import Finding, Inspection, Measure, MeasureEvidence, ProgressUpdate
from rectification.selectors import visible_findings, visible_inspections, visible_measures

from . import filters, serializers


def doc(zh, en, *, short=None, **kwargs):
    """Bilingual summary and description of one operation; ``short`` = (zh, en) summary when
    the description is long."""
    summary = f"{short[0]} · {short[1]}" if short else f"{zh} · {en}"
    return extend_schema(summary=summary, description=f"{zh}\n\n{en}", **kwargs)


def form_errors(form, rename=None):
    rename = {"__all__": "non_field_errors", **(rename or {})}
    return DjangoValidationError(
        {rename.get(name, name): errors for name, errors in form.errors.items()}
    )


class PortalViewSet(viewsets.GenericViewSet):
    """The caller's scope is built once per request, from the token's (or session's) user."""

    lookup_value_regex = "[0-9]+"
    model = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.scope = scope_for(request.user)
        request._request.scope = self.scope

    def perform_content_negotiation(self, request, force=False):
        # A file download answers with the file's own type, whatever the client accepts; its
        # errors are JSON like every other answer (found by schemathesis: a second renderer
        # for files also answered the errors with it).
        return super().perform_content_negotiation(
            request, force=force or getattr(self, "action", None) == "evidence"
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.scoped_queryset()

    def scoped_queryset(self):
        raise NotImplementedError

    def require_some_write(self, message):
        """A role that may change nothing anywhere is refused before the object is looked up,
        as the pages' write views do."""
        if not self.scope.can_write_anything:
            raise PermissionDenied(message)


def download_doc(zh, en):
    return doc(
        f"下载{zh}的一份佐证材料（原文件，按其类型返回）",
        f"download one evidence file of the {en} (the file itself, with its own type)",
        responses={
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="文件 · the file")
        },
    )


def evidence_action(view):
    return action(
        detail=True,
        methods=["get"],
        url_path=r"evidence/(?P<evidence_pk>[0-9]+)",
        url_name="evidence",
        pagination_class=None,
        filter_backends=[],
    )(view)


class HistoryMixin:
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, *args, **kwargs):
        obj = self.get_object()
        return Response(serializers.HistoryRowSerializer(history_rows(obj), many=True).data)


def history_doc(zh, en):
    return doc(
        f"{zh}的修改记录（谁、何时、改了什么，最新在前）",
        f"the {en}'s change history (who, when, what changed; newest first)",
        responses=serializers.HistoryRowSerializer(many=True),
    )


class ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, HistoryMixin, PortalViewSet):
    pass


@extend_schema_view(
    list=doc("单位列表（本人可查看的单位）", "units in your scope"),
    retrieve=doc("单位详情", "one unit"),
    history=history_doc("单位", "unit"),
)
class UnitViewSet(ReadOnly):
    model = Unit
    serializer_class = serializers.UnitSerializer
    filterset_class = filters.UnitFilter
    ordering_fields = ["id", "name", "path"]
    ordering = ["organisation_id", "path"]

    def scoped_queryset(self):
        return self.scope.readable_units().select_related("organisation")


@extend_schema_view(
    list=doc(
        "人员列表（本党组织全部人员，或本人可查看单位的人员）",
        "people of the organisation, or of the units in your scope",
    ),
    retrieve=doc("人员详情", "one person"),
    history=history_doc("人员", "person"),
)
class PersonViewSet(ReadOnly):
    model = User
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilter
    ordering_fields = ["id", "full_name", "username"]
    ordering = ["full_name", "id"]

    def scoped_queryset(self):
        people = User.objects.filter(is_active=True).select_related("unit")
        return self.scope.filter(people, unit_field="unit", org_field="organisation")


@extend_schema_view(
    list=doc(
        "责任清单事项（含按记实统计的完成次数）",
        "responsibility items, with progress counted from the records",
    ),
    retrieve=doc("责任事项详情", "one responsibility item"),
    history=history_doc("责任事项", "responsibility item"),
)
class ResponsibilityItemViewSet(ReadOnly):
    model = ResponsibilityItem
    serializer_class = serializers.ResponsibilityItemSerializer
    filterset_class = filters.ResponsibilityItemFilter
    ordering_fields = ["id", "area_order", "order", "target_count"]
    ordering = ["-list__year", "area_order", "order", "id"]

    def scoped_queryset(self):
        items = ResponsibilityItem.objects.with_progress(self.scope).select_related(
            "list", "lead_leader", "responsible_unit", "kind"
        )
        if self.scope.is_superuser:
            return items
        return items.filter(list__organisation_id__in=self.scope.organisation_ids)


RECORD_READ_ONLY = _("您的角色只能查看，不能新增或修改工作记实。")


@extend_schema_view(
    list=doc(
        "工作记实台账（可按年度、月份、单位、类别、参加领导筛选）",
        "the work-record ledger (filter by year, month, unit, kind, leader)",
    ),
    retrieve=doc("工作记实详情（含佐证材料）", "one work record, with its evidence"),
    history=history_doc("工作记实", "work record"),
    create=doc(
        "新增工作记实。上传佐证材料时使用 multipart/form-data，文件字段名 evidence（可多个），"
        "与页面相同的检查：类型、大小、内容与扩展名一致。",
        "create a work record; to upload evidence use multipart/form-data with one or more "
        "`evidence` files, checked as the page checks them (type, size, content vs extension).",
        short=("新增工作记实", "create a work record"),
        request=serializers.WorkRecordInputSerializer,
        responses={201: serializers.WorkRecordSerializer},
    ),
    partial_update=doc(
        "修改工作记实（只需提交要改的字段；可追加佐证材料）",
        "change a work record (send only the fields to change; may add evidence)",
        request=serializers.WorkRecordInputSerializer(partial=True),
        responses={200: serializers.WorkRecordSerializer},
    ),
    update=doc(
        "修改工作记实（提交全部必填字段）",
        "replace a work record's fields (all required fields)",
        request=serializers.WorkRecordInputSerializer,
        responses={200: serializers.WorkRecordSerializer},
    ),
)
class WorkRecordViewSet(ReadOnly, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    model = WorkRecord
    serializer_class = serializers.WorkRecordSerializer
    filterset_class = filters.WorkRecordFilter
    parser_classes = [JSONParser, MultiPartParser]
    ordering_fields = ["id", "date", "participant_count", "created_at"]
    ordering = ["-date", "-id"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def scoped_queryset(self):
        records = WorkRecord.objects.select_related("unit", "kind", "leader").prefetch_related(
            Prefetch("participants", queryset=User.objects.only("pk")),
            Prefetch("responsibility_items", queryset=ResponsibilityItem.objects.only("pk")),
            Prefetch("evidence", queryset=WorkRecordEvidence.objects.order_by("uploaded_at", "pk")),
        )
        return self.scope.filter(records, unit_field="unit", org_field="organisation")

    def _save(self, request, record=None, partial=False):
        data = serializers.WorkRecordInputSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        files = values.pop("evidence", [])
        fields = [name for name in WorkRecordForm._meta.fields]
        current = {}
        if record is not None:
            current = model_to_dict(record, fields=fields)
            for name in ("participants", "responsibility_items"):
                current[name] = [obj.pk for obj in current.get(name, [])]
        if record is None:
            values.setdefault("participant_count", 0)
        form = WorkRecordForm(
            data={**current, **values},
            files=MultiValueDict({"evidence": list(files)}),
            instance=record,
            scope=self.scope,
        )
        if not form.is_valid():
            raise form_errors(form)
        cleaned = form.cleaned_data
        if record is None:
            record = accountability_services.workrecord_create(
                by=request.user, data=cleaned, files=cleaned["evidence"]
            )
        else:
            record = accountability_services.workrecord_update(
                record=record, by=request.user, data=cleaned, files=cleaned["evidence"]
            )
        return self.scoped_queryset().get(pk=record.pk)

    @download_doc("工作记实", "work record")
    @evidence_action
    def evidence(self, request, *args, evidence_pk=None, **kwargs):
        record = self.get_object()
        return get_object_or_404(WorkRecordEvidence, pk=evidence_pk, record=record).response()

    def create(self, request, *args, **kwargs):
        self.require_some_write(RECORD_READ_ONLY)
        record = self._save(request)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        self.require_some_write(RECORD_READ_ONLY)
        record = self.get_object()
        if not self.scope.can_write_unit(record.unit_id):
            raise PermissionDenied(_("您可以查看这条工作记实，但不能修改它。"))
        record = self._save(request, record, partial=kwargs.get("partial", False))
        return Response(self.get_serializer(record).data)


@extend_schema_view(
    list=doc("责任书、函告书（含签订状态）", "duty and notice letters, with their signing status"),
    retrieve=doc("责任书详情", "one duty letter"),
    history=history_doc("责任书", "duty letter"),
)
class DutyLetterViewSet(ReadOnly):
    model = DutyLetter
    serializer_class = serializers.DutyLetterSerializer
    filterset_class = filters.DutyLetterFilter
    ordering_fields = ["id", "year", "issued_on", "due_on", "signed_on"]
    ordering = ["-year", "unit__path", "kind", "id"]

    def scoped_queryset(self):
        letters = DutyLetter.objects.select_related("unit").annotate(
            status_code=DutyLetter.status_expression(timezone.localdate())
        )
        return self.scope.filter(letters, unit_field="unit", org_field="organisation")


@extend_schema_view(
    list=doc("廉政风险点", "integrity risk points"),
    retrieve=doc("廉政风险点详情", "one integrity risk point"),
    history=history_doc("廉政风险点", "risk point"),
)
class RiskPointViewSet(ReadOnly):
    model = RiskPoint
    serializer_class = serializers.RiskPointSerializer
    filterset_class = filters.RiskPointFilter
    ordering_fields = ["id", "level", "review_on"]
    ordering = ["unit__path", "level", "id"]

    def scoped_queryset(self):
        risks = RiskPoint.objects.select_related("unit", "owner")
        return self.scope.filter(risks, unit_field="unit", org_field="organisation")


@extend_schema_view(
    list=doc("巡视巡察", "inspections (tours, inspections, audits)"),
    retrieve=doc("巡视巡察详情", "one inspection"),
    history=history_doc("巡视巡察", "inspection"),
)
class InspectionViewSet(ReadOnly):
    model = Inspection
    serializer_class = serializers.InspectionSerializer
    filterset_class = filters.InspectionFilter
    ordering_fields = ["id", "started_on", "feedback_on", "year"]
    ordering = ["-started_on", "-id"]

    def scoped_queryset(self):
        return visible_inspections(self.scope)


@extend_schema_view(
    list=doc("反馈问题（含整改完成情况）", "findings, with how many measures are closed"),
    retrieve=doc("反馈问题详情", "one finding"),
    history=history_doc("反馈问题", "finding"),
)
class FindingViewSet(ReadOnly):
    model = Finding
    serializer_class = serializers.FindingSerializer
    filterset_class = filters.FindingFilter
    ordering_fields = ["id", "number", "aspect_order"]
    ordering = ["inspection_id", "aspect_order", "number"]

    def scoped_queryset(self):
        return visible_findings(
            self.scope, Finding.objects.with_status(self.scope).select_related("inspection")
        )


REPORT_ONLY = _("只有该整改措施的责任人、责任处室负责人或党办可以报告进展。")


@extend_schema_view(
    list=doc(
        "整改措施台账（可按年度、巡视巡察、单位、状态、预警颜色、是否逾期筛选）",
        "the rectification ledger (filter by year, inspection, unit, state, colour, overdue)",
    ),
    retrieve=doc("整改措施详情", "one rectification measure"),
    history=history_doc("整改措施", "measure"),
)
class MeasureViewSet(ReadOnly):
    model = Measure
    serializer_class = serializers.MeasureSerializer
    filterset_class = filters.MeasureFilter
    ordering_fields = ["id", "deadline", "number", "colour_rank", "closure_requested_at"]
    ordering = ["deadline", "id"]

    def scoped_queryset(self):
        measures = Measure.objects.with_colour().select_related(
            "finding", "unit", "lead_leader", "responsible_person"
        )
        return visible_measures(self.scope, measures)

    @doc(
        "整改措施的时间线：进展、销号申请、审核、回头看（最新在前）",
        "the measure's timeline: progress, closure requests, reviews, follow-ups (newest first)",
        responses=serializers.ProgressUpdateSerializer(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, *args, **kwargs):
        measure = self.get_object()
        updates = (
            ProgressUpdate.objects.filter(measure=measure)
            .select_related("by")
            .prefetch_related("evidence")
            .order_by("-at", "-pk")
        )
        return Response(serializers.ProgressUpdateSerializer(updates, many=True).data)

    @download_doc("整改措施", "measure")
    @evidence_action
    def evidence(self, request, *args, evidence_pk=None, **kwargs):
        measure = self.get_object()
        return get_object_or_404(MeasureEvidence, pk=evidence_pk, measure=measure).response()

    def _reporting(self, request, serializer_class, form_class, service):
        measure = self.get_object()
        if not rectification_services.may_report(self.scope, measure):
            raise PermissionDenied(REPORT_ONLY)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        files = list(data.validated_data.get("evidence", []))
        form = form_class(
            data={"note": data.validated_data["note"]}, files=MultiValueDict({"files": files})
        )
        if not form.is_valid():
            raise form_errors(form, {"files": "evidence"})
        service(
            measure=measure,
            by=request.user,
            note=form.cleaned_data["note"],
            files=form.cleaned_data["files"],
            scope=self.scope,
        )
        return Response(self.get_serializer(self.scoped_queryset().get(pk=measure.pk)).data)

    @doc(
        "报告整改进展（可附佐证材料，multipart/form-data 的 evidence 字段）",
        "report progress on a measure (evidence optional: multipart `evidence` files)",
        short=("报告整改进展", "report progress"),
        request=serializers.MeasureProgressSerializer,
        responses={200: serializers.MeasureSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        filter_backends=[],
        parser_classes=[JSONParser, MultiPartParser],
    )
    def progress(self, request, *args, **kwargs):
        return self._reporting(
            request,
            serializers.MeasureProgressSerializer,
            ProgressForm,
            rectification_services.measure_report_progress,
        )

    @doc(
        "申请销号：填写整改完成情况并上传至少一份佐证材料，由纪检监督人员审核",
        "request closure with a note and at least one evidence file; an inspector reviews it",
        short=("申请销号", "request closure"),
        request=serializers.MeasureClosureRequestSerializer,
        responses={200: serializers.MeasureSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="closure-request",
        filter_backends=[],
        parser_classes=[MultiPartParser, JSONParser],
    )
    def closure_request(self, request, *args, **kwargs):
        return self._reporting(
            request,
            serializers.MeasureClosureRequestSerializer,
            ClosureRequestForm,
            rectification_services.measure_request_closure,
        )
