from django import forms
from django.conf import settings
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from accountability.models import Unit, User
from common.evidence import EvidenceFilesField, clean_display_name

from .models import Finding, Inspection, Measure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["kind", "source", "title", "started_on", "ended_on", "feedback_on", "note"]
        widgets = {
            "started_on": DATE,
            "ended_on": DATE,
            "feedback_on": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class FindingForm(forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["aspect", "aspect_order", "number", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.inspection = inspection
        if not self.instance.pk and not self.is_bound:
            last = inspection.findings.aggregate(n=Max("number"))["n"] or 0
            self.initial.setdefault("number", last + 1)

    def clean_number(self):
        number = self.cleaned_data["number"]
        clash = Finding.objects.filter(inspection=self.instance.inspection, number=number)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("本轮巡视巡察中已有序号为 %(n)s 的问题。") % {"n": number}
            )
        return number


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name}（{obj.title}）" if obj.title else obj.full_name


class MeasureForm(forms.ModelForm):
    lead_leader = PersonChoiceField(label=_("牵头领导"), queryset=User.objects.none())
    responsible_person = PersonChoiceField(label=_("责任人"), queryset=User.objects.none())

    class Meta:
        model = Measure
        fields = [
            "description",
            "lead_leader",
            "unit",
            "responsible_person",
            "deadline",
            "is_ongoing",
            "rules_issued",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "deadline": DATE}

    def __init__(self, *args, finding, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.finding = finding
        org_id = finding.organisation_id
        people = User.objects.filter(organisation_id=org_id, is_active=True).order_by("full_name")
        self.fields["lead_leader"].queryset = people
        self.fields["responsible_person"].queryset = people
        self.fields["unit"].queryset = Unit.objects.filter(
            organisation_id=org_id, is_active=True
        ).order_by("path")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_ongoing") and not cleaned.get("deadline"):
            self.add_error("deadline", _("请填写整改时限，或勾选“长期坚持”。"))
        return cleaned

    def save(self, commit=True):
        measure = super().save(commit=False)
        if not measure.pk:
            last = measure.finding.measures.aggregate(n=Max("number"))["n"] or 0
            measure.number = last + 1
        if commit:
            measure.save()
        return measure


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    files = EvidenceFilesField(required=False)


class ClosureRequestForm(forms.Form):
    note = forms.CharField(
        label=_("整改完成情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("申请销号须填写整改进展情况。")},
    )
    files = EvidenceFilesField(required=True)


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("退回销号申请必须填写退回原因。")},
    )


class FollowupForm(forms.Form):
    note = forms.CharField(
        label=_("回头看情况"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("重新打开原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("重新打开整改措施必须填写原因。")},
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("问题清单（Excel）"),
        help_text=_("请使用下载的模板填写，仅支持 .xlsx 文件。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        # The same bound as evidence: a list of the maximum 20,000 rows is a few MB.
        upload = self.cleaned_data["file"]
        limit = settings.EVIDENCE_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("“%(name)s”超过 %(limit)d MB 的大小上限。"),
                params={"name": clean_display_name(upload.name), "limit": limit // 1024 // 1024},
            )
        return upload
