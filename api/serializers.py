"""What the API returns and accepts. Related rows appear as an id plus a display name, read from
``select_related`` columns: a list costs the same few queries whatever its length."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accountability.models import (
    DutyLetter,
    ResponsibilityItem,
    RiskPoint,
    Unit,
    User,
    WorkRecord,
)
from rectification.models import Finding, Inspection, Measure, ProgressUpdate

# -- input -------------------------------------------------------------------------------------


# A form posted from a portal page with the session carries its CSRF token along.
NOT_FIELDS = {"csrfmiddlewaretoken"}


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, instead of silently dropping them."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(
                str(key) for key in data if key not in self.fields and key not in NOT_FIELDS
            )
            if unknown:
                raise serializers.ValidationError(
                    {
                        "non_field_errors": [
                            _("不认识的字段：%(fields)s。请对照接口文档填写。")
                            % {"fields": "、".join(unknown[:10])}
                        ]
                    }
                )
        elif data is not None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("请求内容应为一个 JSON 对象。")]}
            )
        return super().to_internal_value(data)


ID = {"min_value": 1, "max_value": 2**63 - 1}


class EvidenceUploadField(serializers.ListField):
    def __init__(self, **kwargs):
        kwargs.setdefault("child", serializers.FileField(allow_empty_file=True))
        kwargs.setdefault("required", False)
        kwargs.setdefault("write_only", True)
        super().__init__(**kwargs)


class WorkRecordInputSerializer(StrictSerializer):
    """新增时必填 date、unit、kind、title；修改时只提交要改的字段。
    Create: date, unit, kind and title are required; change: send only what changes."""

    date = serializers.DateField(help_text=_("日期 · date (YYYY-MM-DD)"))
    unit = serializers.IntegerField(help_text=_("单位 id · unit id"), **ID)
    kind = serializers.IntegerField(help_text=_("类别 id · kind id"), **ID)
    title = serializers.CharField(max_length=200, help_text=_("事项 · title"))
    participant_count = serializers.IntegerField(
        required=False, min_value=0, max_value=100000, help_text=_("参加人数 · participants")
    )
    leader = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("参加领导 id · leader id"), **ID
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=20000, help_text=_("内容摘要 · summary")
    )
    participants = serializers.ListField(
        child=serializers.IntegerField(**ID),
        required=False,
        max_length=500,
        help_text=_("参加人员 id · participant ids"),
    )
    responsibility_items = serializers.ListField(
        child=serializers.IntegerField(**ID),
        required=False,
        max_length=100,
        help_text=_("落实的责任事项 id · responsibility item ids"),
    )
    evidence = EvidenceUploadField(
        help_text=_(
            "佐证材料（multipart/form-data，可多个）· evidence files (multipart, repeatable)"
        )
    )


class MeasureProgressSerializer(StrictSerializer):
    note = serializers.CharField(max_length=20000, help_text=_("进展情况 · progress note"))
    evidence = EvidenceUploadField(help_text=_("佐证材料（可选）· evidence files (optional)"))


class MeasureClosureRequestSerializer(StrictSerializer):
    note = serializers.CharField(max_length=20000, help_text=_("整改完成情况 · what was done"))
    evidence = EvidenceUploadField(
        required=True,
        min_length=1,
        help_text=_("佐证材料（至少一份）· evidence files (at least one)"),
    )


# -- output ------------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "kind",
            "kind_display",
            "organisation",
            "organisation_name",
            "parent",
            "head",
            "leader_in_charge",
            "is_active",
        ]


class PersonSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "title", "organisation", "unit", "unit_name"]


class ResponsibilityItemSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="list.year", read_only=True)
    organisation = serializers.IntegerField(source="list.organisation_id", read_only=True)
    lead_leader_name = serializers.CharField(
        source="lead_leader.full_name", read_only=True, allow_null=True
    )
    responsible_unit_name = serializers.CharField(
        source="responsible_unit.name", read_only=True, allow_null=True
    )
    kind_name = serializers.CharField(source="kind.name", read_only=True, allow_null=True)
    done_count = serializers.IntegerField(read_only=True, help_text=_("已完成次数 · done"))

    class Meta:
        model = ResponsibilityItem
        fields = [
            "id",
            "year",
            "organisation",
            "area",
            "title",
            "lead_leader",
            "lead_leader_name",
            "responsible_unit",
            "responsible_unit_name",
            "kind",
            "kind_name",
            "target_count",
            "frequency",
            "done_count",
        ]


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class WorkRecordSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    kind_name = serializers.CharField(source="kind.name", read_only=True)
    leader_name = serializers.CharField(source="leader.full_name", read_only=True, allow_null=True)
    participants = serializers.SerializerMethodField()
    responsibility_items = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = WorkRecord
        fields = [
            "id",
            "organisation",
            "unit",
            "unit_name",
            "kind",
            "kind_name",
            "date",
            "title",
            "participant_count",
            "leader",
            "leader_name",
            "description",
            "participants",
            "responsibility_items",
            "evidence",
            "created_at",
        ]

    # The relations come from prefetch_related: .all(), never a filtered query per row.
    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_participants(self, record):
        return [person.pk for person in record.participants.all()]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_responsibility_items(self, record):
        return [item.pk for item in record.responsibility_items.all()]

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, record):
        return [_evidence(e) for e in record.evidence.all()]


def _evidence(evidence):
    return {
        "id": evidence.pk,
        "original_name": evidence.original_name,
        "content_type": evidence.content_type,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "uploaded_at": serializers.DateTimeField().to_representation(evidence.uploaded_at),
    }


class DutyLetterSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = serializers.CharField(
        source="status_code", read_only=True, help_text=_("issued / signed / missing")
    )

    class Meta:
        model = DutyLetter
        fields = [
            "id",
            "organisation",
            "year",
            "unit",
            "unit_name",
            "kind",
            "level",
            "title",
            "issued_on",
            "due_on",
            "signed_on",
            "signatory",
            "status",
        ]


class RiskPointSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    owner_name = serializers.CharField(source="owner.full_name", read_only=True, allow_null=True)

    class Meta:
        model = RiskPoint
        fields = [
            "id",
            "organisation",
            "unit",
            "unit_name",
            "post",
            "description",
            "level",
            "measures",
            "owner",
            "owner_name",
            "review_on",
            "is_active",
        ]


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = [
            "id",
            "organisation",
            "kind",
            "source",
            "title",
            "started_on",
            "ended_on",
            "feedback_on",
            "year",
            "note",
        ]


class FindingSerializer(serializers.ModelSerializer):
    inspection_title = serializers.CharField(source="inspection.title", read_only=True)
    measure_count = serializers.IntegerField(read_only=True)
    closed_count = serializers.IntegerField(read_only=True)
    rectified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Finding
        fields = [
            "id",
            "organisation",
            "inspection",
            "inspection_title",
            "aspect",
            "aspect_order",
            "number",
            "description",
            "measure_count",
            "closed_count",
            "rectified",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    inspection = serializers.IntegerField(source="finding.inspection_id", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    lead_leader_name = serializers.CharField(source="lead_leader.full_name", read_only=True)
    responsible_person_name = serializers.CharField(
        source="responsible_person.full_name", read_only=True
    )
    colour = serializers.CharField(read_only=True, help_text=_("green / yellow / red / none"))
    days_left = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Measure
        fields = [
            "id",
            "organisation",
            "inspection",
            "finding",
            "number",
            "description",
            "lead_leader",
            "lead_leader_name",
            "unit",
            "unit_name",
            "responsible_person",
            "responsible_person_name",
            "deadline",
            "is_ongoing",
            "state",
            "latest_progress",
            "return_reason",
            "closure_requested_at",
            "closed_at",
            "followup_due_on",
            "colour",
            "days_left",
        ]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    by_name = serializers.CharField(source="by.full_name", read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = ["id", "kind", "kind_display", "note", "by", "by_name", "at", "evidence"]

    @extend_schema_field(EvidenceSerializer(many=True))
    def get_evidence(self, update):
        return [_evidence(e) for e in update.evidence.all()]


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class HistoryRowSerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField()
    action = serializers.CharField()
    reason = serializers.CharField()
    changes = ChangeSerializer(many=True)
