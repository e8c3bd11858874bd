from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from common.forms import GuidedFormMixin

from .figures import TOKEN_RE
from .models import OutlineSection, Report, ReportOutline, ReportSection
from .presets import choices as preset_choices


class DraftForm(GuidedFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    outline = forms.ModelChoiceField(label=_("提纲"), queryset=ReportOutline.objects.none())
    replace = forms.BooleanField(
        label=_("覆盖已有报告的文字"),
        required=False,
        help_text=_("不勾选时，已存在的年度报告保持不变。"),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outline"].queryset = ReportOutline.objects.filter(organisation=organisation)


class PresetForm(GuidedFormMixin, forms.Form):
    preset = forms.ChoiceField(label=_("预设提纲"), choices=preset_choices)


class ReportForm(GuidedFormMixin, forms.ModelForm):
    class Meta:
        model = Report
        fields = ["title", "signed_by", "dated", "include_ledger", "include_letters"]
        widgets = {"dated": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def _check_braces(text):
    """A "{{" that is not a well-formed token is a typo: refuse it with a clear message."""
    stripped = TOKEN_RE.sub("", text or "")
    if "{{" in stripped or "}}" in stripped:
        raise forms.ValidationError(
            _("数据项格式不正确：请用右侧“插入数据项”按钮插入，形如 {{count:theory_study}}。")
        )
    return text


class SectionForm(GuidedFormMixin, forms.ModelForm):
    class Meta:
        model = ReportSection
        fields = ["order", "level", "heading", "text"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": "form-control-sm", "style": "width:5rem"}),
            "text": forms.Textarea(attrs={"rows": 4, "data-narrative": ""}),
        }

    def clean_text(self):
        return _check_braces(self.cleaned_data["text"])

    def clean_heading(self):
        return _check_braces(self.cleaned_data["heading"])


class OutlineSectionForm(GuidedFormMixin, forms.ModelForm):
    class Meta:
        model = OutlineSection
        fields = ["order", "level", "heading", "template_text"]
        widgets = {
            "order": forms.NumberInput(attrs={"style": "width:5rem"}),
            "template_text": forms.Textarea(attrs={"rows": 3, "data-narrative": ""}),
        }

    def clean_template_text(self):
        return _check_braces(self.cleaned_data["template_text"])


SectionFormSet = inlineformset_factory(
    Report, ReportSection, form=SectionForm, extra=1, can_delete=True
)
OutlineSectionFormSet = inlineformset_factory(
    ReportOutline, OutlineSection, form=OutlineSectionForm, extra=1, can_delete=True
)


class OutlineForm(GuidedFormMixin, forms.ModelForm):
    class Meta:
        model = ReportOutline
        fields = ["name", "title_template"]
