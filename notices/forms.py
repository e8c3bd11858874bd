from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import GuidedFormMixin

from .channels import WebhookRefused, webhook_target
from .models import ReminderPolicy, ReminderPreference


class PreferenceForm(GuidedFormMixin, forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["email", "webhook"]
        help_texts = {
            "email": _(
                "每天一封到期提醒汇总；事项有新动态（如销号被退回）时，几分钟内的消息合并为一封。"
                "需要在个人信息中有电子邮箱。"
            ),
            "webhook": _("组织开启群机器人后，群消息中列出您的待办数量和事项新动态。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class PolicyForm(GuidedFormMixin, forms.ModelForm):
    """The organisation's reminder rules, and rectification's colour thresholds beside them."""

    green_days = forms.IntegerField(
        label=_("绿灯提前天数"),
        min_value=1,
        max_value=365,
        help_text=_("距整改时限不超过该天数时亮绿灯，提醒责任人。"),
    )
    yellow_days = forms.IntegerField(
        label=_("黄灯提前天数"),
        min_value=0,
        max_value=365,
        help_text=_("距整改时限不超过该天数时亮黄灯，同时提醒分管领导；逾期亮红灯。"),
    )

    webhook_url = forms.URLField(
        label=_("群机器人地址"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("钉钉或企业微信群机器人的 Webhook 地址（https://…）。"),
    )

    class Meta:
        model = ReminderPolicy
        fields = [
            "monthly_cutoff_day",
            "closure_wait_days",
            "email_enabled",
            "webhook_enabled",
            "webhook_kind",
            "webhook_url",
        ]

    def __init__(self, *args, warning_policy, **kwargs):
        self.warning_policy = warning_policy
        kwargs.setdefault(
            "initial",
            {"green_days": warning_policy.green_days, "yellow_days": warning_policy.yellow_days},
        )
        super().__init__(*args, **kwargs)
        self.order_fields(["green_days", "yellow_days", *self.Meta.fields])
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_webhook_url(self):
        url = self.cleaned_data.get("webhook_url", "")
        if url:
            # The allow-listed hosts over https, resolving to public addresses only (#13).
            try:
                webhook_target(url)
            except WebhookRefused as refused:
                raise forms.ValidationError(str(refused)) from None
        return url

    def clean(self):
        data = super().clean()
        green, yellow = data.get("green_days"), data.get("yellow_days")
        if green is not None and yellow is not None and yellow >= green:
            self.add_error("yellow_days", _("黄灯天数应小于绿灯天数。"))
        if data.get("webhook_enabled") and not data.get("webhook_url"):
            self.add_error("webhook_url", _("启用群机器人时必须填写地址。"))
        return data

    def save(self, commit=True):
        policy = super().save(commit=commit)
        self.warning_policy.green_days = self.cleaned_data["green_days"]
        self.warning_policy.yellow_days = self.cleaned_data["yellow_days"]
        if commit:
            self.warning_policy.save()
        return policy
