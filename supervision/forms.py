from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.evidence import EvidenceFilesField
from common.forms import GuidedFormMixin
from rectification.models import Measure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportDueForm(GuidedFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("报告年度"), min_value=2000, max_value=2100, widget=forms.HiddenInput
    )
    due_date = forms.DateField(
        label=_("报送截止日期"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
    )


class SubmissionReturnForm(GuidedFormMixin, forms.Form):
    comments = forms.CharField(
        label=_("退回意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("退回报告时请填写退回意见，写明需要修改的地方。")},
    )


class SubmissionReceiveForm(GuidedFormMixin, forms.Form):
    comments = forms.CharField(
        label=_("签收意见（可选）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        deadline = obj.deadline.isoformat() if obj.deadline else "—"
        text = " ".join(obj.description.split())
        text = text if len(text) <= 40 else f"{text[:39]}…"
        return f"{obj.unit.name}：{text}（{deadline}）"


class NoticeForm(GuidedFormMixin, forms.Form):
    """A 督办 to one organisation reporting to ``body``. The overdue measures offered are those
    of the organisation chosen; before a choice there are none (a body over a hundred
    organisations would get every one's overdue measures), and choosing one lists them
    (``refresh_url``: the organisation's list reloads that field in place)."""

    organisation = forms.ModelChoiceField(label=_("被督办单位"), queryset=None)
    subject = forms.CharField(label=_("督办事项"), max_length=100)
    body = forms.CharField(label=_("督办内容"), widget=forms.Textarea(attrs={"rows": 4}))
    weak_area = forms.CharField(
        label=_("薄弱环节"),
        max_length=100,
        required=False,
        help_text=_("可选。如“谈心谈话开展不够经常”。"),
    )
    measures = MeasureChoiceField(
        label=_("涉及的逾期整改措施"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("可选。列出被督办单位已逾期、尚未销号的整改措施。"),
    )
    reply_due = forms.DateField(label=_("答复期限"), widget=DATE)

    def __init__(self, *args, body, organisations, refresh_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["organisation"].queryset = organisations
        overdue = Measure.objects.overdue(timezone.localdate()).filter(
            organisation__in=organisations
        )
        chosen = self.data.get("organisation") or self.initial.get("organisation")
        chosen = getattr(chosen, "pk", chosen)
        if chosen and str(chosen).isdigit():
            overdue = overdue.filter(organisation_id=chosen)
        else:
            overdue = overdue.none()
            self.fields["measures"].help_text = _(
                "可选。选择被督办单位后，这里列出其已逾期、尚未销号的整改措施。"
            )
        self.fields["measures"].queryset = overdue.select_related("unit").order_by("deadline", "pk")
        if refresh_url:
            self.fields["organisation"].widget.attrs.update(
                {
                    "hx-get": refresh_url,
                    "hx-trigger": "change",
                    "hx-target": "#div_id_measures",
                    "hx-select": "#div_id_measures",
                    "hx-swap": "outerHTML",
                }
            )
        self.fields["measures"].error_messages["invalid_choice"] = _(
            "所选整改措施不属于被督办单位或已不再逾期，请重新选择。"
        )
        self.guide_fields()


class NoticeReplyForm(GuidedFormMixin, forms.Form):
    text = forms.CharField(
        label=_("答复内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写答复内容，说明落实情况。")},
    )
    files = EvidenceFilesField(required=False)

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise forms.ValidationError(_("答复督办须上传至少一份佐证材料。"))
        return files


class NoticeDecisionForm(GuidedFormMixin, forms.Form):
    comments = forms.CharField(
        label=_("审核意见（退回时必填）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
