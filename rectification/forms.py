from django import forms
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from accountability.models import Role, Unit, User
from common.evidence import EvidenceFilesField
from common.forms import GuidedFormMixin, WorkbookField

from .models import Finding, Inspection, Measure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionForm(GuidedFormMixin, forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["kind", "source", "title", "started_on", "ended_on", "feedback_on", "note"]
        widgets = {
            "started_on": DATE,
            "ended_on": DATE,
            "feedback_on": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
        }


class FindingForm(GuidedFormMixin, forms.ModelForm):
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


class MeasureForm(GuidedFormMixin, forms.ModelForm):
    """牵头领导 offers the organisation's leaders; 责任人 the people of the chosen 责任处室 (and
    the units under it), narrowed in the page by htmx when the unit changes."""

    lead_leader = PersonChoiceField(
        label=_("牵头领导"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("牵头领导须是本单位的领导班子成员，请重新选择。")},
    )
    responsible_person = PersonChoiceField(
        label=_("责任人"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("责任人须是所选责任处室的人员，请重新选择。")},
    )

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

    def __init__(self, *args, finding, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.finding = finding
        org_id = finding.organisation_id
        people = User.objects.filter(organisation_id=org_id, is_active=True).order_by("full_name")
        leaders = Q(role_assignments__organisation_id=org_id, role_assignments__role=Role.LEADER)
        writers = Q(
            role_assignments__organisation_id=org_id,
            role_assignments__role__in=[Role.UNIT_HEAD, Role.OFFICE],
        )
        self.fields["lead_leader"].queryset = people.filter(leaders).distinct()
        units = Unit.objects.filter(organisation_id=org_id, is_active=True).order_by("path")
        self.fields["unit"].queryset = units
        # A read-only leader cannot report progress, so is no 责任人.
        responsible = people.exclude(Q(leaders) & ~Q(pk__in=people.filter(writers).values("pk")))
        chosen = self._chosen_unit(units, unit)
        if chosen is not None:
            responsible = responsible.filter(unit__path__startswith=chosen.path)
        self.fields["responsible_person"].queryset = responsible.distinct()
        self.fields["unit"].widget.attrs.update(
            {
                "hx-get": "",
                "hx-trigger": "change",
                "hx-target": "#div_id_responsible_person",
                "hx-select": "#div_id_responsible_person",
                "hx-swap": "outerHTML",
                "hx-include": "this",
            }
        )

    def _chosen_unit(self, units, unit):
        """The 责任处室 the 责任人 must belong to: the one posted, asked for, or saved."""
        if self.is_bound:
            unit = self.data.get(self.add_prefix("unit"))
        elif unit is None and self.instance.unit_id:
            unit = self.instance.unit_id
        if unit in (None, ""):
            return None
        return units.filter(pk=unit).first() if str(unit).isdecimal() else None

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


class ProgressForm(GuidedFormMixin, forms.Form):
    note = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}))
    files = EvidenceFilesField(required=False)


class ClosureRequestForm(GuidedFormMixin, forms.Form):
    note = forms.CharField(
        label=_("整改完成情况"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("申请销号须填写整改进展情况。")},
    )
    files = EvidenceFilesField(required=True)


class AcceptForm(GuidedFormMixin, forms.Form):
    note = forms.CharField(
        label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReturnForm(GuidedFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("退回原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("退回销号申请必须填写退回原因。")},
    )


class FollowupForm(GuidedFormMixin, forms.Form):
    note = forms.CharField(
        label=_("回头看情况"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写回头看情况：检查了什么、整改成果是否巩固。")},
    )


class ReopenForm(GuidedFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("重新打开原因"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("重新打开整改措施必须填写原因。")},
    )


class ImportUploadForm(GuidedFormMixin, forms.Form):
    file = WorkbookField(label=_("问题清单（Excel）"))
