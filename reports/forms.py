from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from common.forms import GuidedFormMixin

from .figures import TOKEN_RE
from .figures.editor import from_editor, to_editor
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
        outlines = ReportOutline.objects.filter(organisation=organisation)
        self.fields["outline"].queryset = outlines
        if not self.is_bound and "outline" not in self.initial:
            # A new organisation has built its one outline from a preset: nothing to choose.
            only = list(outlines.values_list("pk", flat=True)[:2])
            if len(only) == 1:
                self.initial["outline"] = only[0]


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
            _("文字中有不完整的数据项标记（“{{”或“}}”）：请删除后用右侧“插入数据项”按钮重新插入。")
        )
    return text


class NarrativeFormMixin:
    """Figures shown as ``｛label｝`` while editing, stored as tokens (reports.figures.editor).

    ``labels`` ({token: label}) comes from the formset's ``form_kwargs``; without it the text
    is edited as stored."""

    narrative_fields = ()

    def __init__(self, *args, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = labels or {}
        if not self.is_bound and self.labels:
            for name in self.narrative_fields:
                self.initial[name] = to_editor(self.initial.get(name, ""), self.labels)

    def _clean_narrative(self, name):
        text, unknown = from_editor(self.cleaned_data[name], self.labels)
        if unknown:
            raise forms.ValidationError(
                _("无法识别的数据项：%(names)s。请用右侧“插入数据项”按钮插入。")
                % {"names": "、".join(f"｛{n}｝" for n in unknown)}
            )
        return _check_braces(text)


class SectionForm(NarrativeFormMixin, GuidedFormMixin, forms.ModelForm):
    narrative_fields = ("heading", "text")

    class Meta:
        model = ReportSection
        fields = ["order", "level", "heading", "text"]
        widgets = {
            "order": forms.NumberInput(attrs={"class": "form-control-sm", "style": "width:5rem"}),
            "text": forms.Textarea(attrs={"rows": 4, "data-narrative": ""}),
        }

    def clean_text(self):
        return self._clean_narrative("text")

    def clean_heading(self):
        return self._clean_narrative("heading")


class OutlineSectionForm(NarrativeFormMixin, GuidedFormMixin, forms.ModelForm):
    narrative_fields = ("heading", "template_text")

    class Meta:
        model = OutlineSection
        fields = ["order", "level", "heading", "template_text"]
        widgets = {
            "order": forms.NumberInput(attrs={"style": "width:5rem"}),
            "template_text": forms.Textarea(attrs={"rows": 3, "data-narrative": ""}),
        }

    def clean_template_text(self):
        return self._clean_narrative("template_text")

    def clean_heading(self):
        return self._clean_narrative("heading")


# The presets have at most 30 sections; a post that claims more than this many is refused with
# a message, and only this many forms are read and shown again (Django's own bound is 2,000: a
# tampered count made the page render two thousand empty sections).
MAX_SECTIONS = 100


class SectionsFormSet(BaseInlineFormSet):
    """The sections of a report or an outline, with the formset's own messages in plain words
    (Django's speak of a "ManagementForm" and of "forms")."""

    default_error_messages = {
        "missing_management_form": _("页面内容不完整，可能已过期：请刷新页面后重新填写。"),
        "too_many_forms": _("最多 %(num)d 节：请删去多余的章节后再保存。"),
    }


def _sections_formset(parent, model, form):
    return inlineformset_factory(
        parent,
        model,
        form=form,
        formset=SectionsFormSet,
        extra=1,
        can_delete=True,
        max_num=MAX_SECTIONS,
        absolute_max=MAX_SECTIONS,
        validate_max=True,
    )


SectionFormSet = _sections_formset(Report, ReportSection, SectionForm)
OutlineSectionFormSet = _sections_formset(ReportOutline, OutlineSection, OutlineSectionForm)


class OutlineForm(GuidedFormMixin, forms.ModelForm):
    class Meta:
        model = ReportOutline
        fields = ["name", "title_template"]
