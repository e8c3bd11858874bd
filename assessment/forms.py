from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import measures, services
from .models import Rule, Scheme


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["owner", "year", "target", "name"]

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].empty_label = None
        self.fields["owner"].error_messages["invalid_choice"] = _(
            "只能为本人担任党办工作人员的党组织制定考核方案。"
        )
        self.fields["year"].initial = timezone.localdate().year
        self.helper = FormHelper()
        self.helper.form_tag = False


class RuleForm(forms.Form):
    measure = forms.ChoiceField(
        label=_("考核项目"), error_messages={"required": _("请选择考核项目。")}
    )
    weight = forms.DecimalField(
        label=_("分值（满分）"),
        max_digits=6,
        decimal_places=2,
        error_messages={"required": _("请填写分值。"), "invalid": _("分值须填写数字。")},
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.fields["measure"].choices = measures.offered(scheme.target)
        self.fields["measure"].error_messages["invalid_choice"] = _(
            "所选考核项目不在可选范围内，请从列表中选择。"
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_weight(self):
        try:
            return services.check_weight(self.cleaned_data["weight"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class RuleWeightForm(forms.ModelForm):
    class Meta:
        model = Rule
        fields = ["weight", "note"]

    def clean_weight(self):
        try:
            return services.check_weight(self.cleaned_data["weight"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class AdjustmentForm(forms.Form):
    target = forms.TypedChoiceField(label=_("考核对象"), coerce=int)
    points = forms.DecimalField(
        label=_("加减分"),
        max_digits=6,
        decimal_places=2,
        help_text=_("加分填正数，减分填负数。"),
        error_messages={"required": _("请填写加减分。"), "invalid": _("加减分须填写数字。")},
    )
    reason = forms.CharField(
        label=_("理由"),
        max_length=300,
        widget=forms.TextInput,
        error_messages={"required": _("加减分必须填写理由。")},
    )

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = list(scheme.targets().values_list("pk", "name"))
        self.fields["target"].error_messages["invalid_choice"] = _(
            "所选对象不在本考核方案的考核范围内。"
        )
        label = _("党组织") if scheme.scores_organisations else _("单位")
        self.fields["target"].label = label
        self.helper = FormHelper()
        self.helper.form_tag = False
