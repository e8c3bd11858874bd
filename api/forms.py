from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

EXPIRY_CHOICES = [
    ("30", _("30 天")),
    ("90", _("90 天")),
    ("365", _("1 年")),
    ("", _("不过期")),
]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("用途"),
        max_length=60,
        help_text=_("便于识别，如“OA 系统同步工作记实”。"),
        error_messages={"required": _("请填写令牌的用途。")},
    )
    expires_in = forms.ChoiceField(
        label=_("有效期"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写令牌的用途。"))
        return name

    @property
    def expires_in_days(self):
        value = self.cleaned_data.get("expires_in")
        return int(value) if value else None
