"""Passwords in the portal's words.

Django's password validators and password forms speak their own wording ("这个密码太常见了。",
"密码与 用户名 太相似。", "输入的两个密码不一致。"). The validators here are Django's own checks
with messages that say what is wrong and what to do (settings ``AUTH_PASSWORD_VALIDATORS``), and
``PasswordMessagesMixin`` gives every form that sets a password (a person's own change of
password, the admin site's new person and its password page) the same plain words.
"""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import GuidedFormMixin

from .models.organisation import USERNAME_TAKEN


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return gettext("密码太短：至少要 %(min_length)d 个字符，请再加长一些。") % {
            "min_length": self.min_length
        }

    def get_help_text(self):
        return gettext("至少 %(min_length)d 个字符。") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        # %(verbose_name)s names the field (用户名, 姓名, 电子邮件地址): no "您的", since an
        # administrator may be setting someone else's password.
        return _("密码与%(verbose_name)s太相似，容易被猜到，请换一个。")

    def get_help_text(self):
        return _("不能与用户名、姓名等个人信息相似。")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("这是一个常见密码，容易被猜到，请换一个。")

    def get_help_text(self):
        return _("不能是常见密码（如 12345678、password）。")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("密码不能全是数字，请加入字母或符号。")

    def get_help_text(self):
        return _("不能全是数字。")


PASSWORD_MISMATCH = _("两次输入的新密码不一致，请重新输入。")
PASSWORD_INCORRECT = _("原密码不正确，请重新输入。")
CONFIRM_HELP = _("请再输入一次新密码，以便核对。")
# Shown when a password is being disabled on the admin site's password page (Django's warning,
# in the markup its script shows and hides, has no Chinese).
USABLE_PASSWORD_HELP = _(
    "此人能否用密码登录。禁用后，仍可通过单点登录（CAS）或 LDAP 等其他方式登录。"
)
UNUSABLE_WARNING = _("禁用后，此人现有的密码将作废。")
USERNAME_INVALID = _("用户名只能由字母、数字和 @ . + - _ 组成，不能有空格。")
USERNAME_HELP = _("登录时使用，不超过 150 个字符，只能由字母、数字和 @ . + - _ 组成。")


class UsernameMixin(GuidedFormMixin):
    """A model form of a person that names their username: plain words for it, and a name that
    differs from another person's only in capitals is refused (logging in ignores case, so the
    two could not be told apart: accountability.models.PortalUserManager)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields.get("username")
        if isinstance(username, forms.CharField):
            username.help_text = USERNAME_HELP
            # The model's username validator says "invalid"; a model form shows the form
            # field's message for that code (ModelForm._update_errors).
            username.error_messages["invalid"] = USERNAME_INVALID

    def clean_username(self):
        username = self.cleaned_data.get("username")
        model = self._meta.model
        taken = model._default_manager.filter(username__iexact=username)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if username and taken.exists():
            raise forms.ValidationError(USERNAME_TAKEN, code="unique")
        return username


class PasswordMessagesMixin(GuidedFormMixin):
    """Put first among the bases of a form that sets a password (Django's ``SetPasswordMixin``
    forms): its messages and help texts in plain words."""

    error_messages = {
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": PASSWORD_INCORRECT,
    }
    # The admin's password page warns, in markup Django's script shows when "禁用" is chosen.
    unusable_password_warning = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("password2", "new_password2"):  # a new person's; a change of password's
            if name in self.fields:
                self.fields[name].help_text = CONFIRM_HELP
        usable = self.fields.get("usable_password")
        if usable is not None:
            warning = ""
            if self.unusable_password_warning:
                warning = format_html(
                    '<ul id="id_unusable_warning" class="messagelist">'
                    '<li class="warning">{}</li></ul>',
                    UNUSABLE_WARNING,
                )
            usable.help_text = format_html("{}{}", USABLE_PASSWORD_HELP, warning)


PASSWORD_KEPT_HELP = _("密码以不可还原的方式保存，任何人都无法查看；忘记密码时由安全管理员重设。")
PASSWORD_UNSET_HELP = _("设置密码后，此人才能用密码登录。")
IS_ACTIVE_HELP = _(
    "取消勾选即停用：此人不能再登录，其记录和变更历史照常保留。人员调离、退休时停用，不删除。"
)
IS_SUPERUSER_HELP = _("可以管理全部党组织和人员，不受角色限制。仅授予平台运维人员。")


class PasswordStateWidget(ReadOnlyPasswordHashWidget):
    """The person's password on the admin site's change page: whether one is set, and the
    button to set or reset it, without Django's summary of the hash (algorithm, iterations,
    salt: nothing an administrator acts on)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        usable = bool(value) and not value.startswith(UNUSABLE_PASSWORD_PREFIX)
        context["summary"] = [
            {"label": gettext("已设置密码") if usable else gettext("未设置密码，不能用密码登录")}
        ]
        context["button_label"] = gettext("重设密码") if usable else gettext("设置密码")
        return context


class PersonStateMixin:
    """A person's change form on the admin site: their password shown as set or not, and the
    status boxes described as they work here (logging in to the admin site goes by the 系统管理员
    and 安全管理员 roles, not by Django's "staff status", which the form leaves out)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        password = self.fields.get("password")
        if password is not None:
            password.widget = PasswordStateWidget()
            usable = self.instance.pk and self.instance.has_usable_password()
            password.help_text = PASSWORD_KEPT_HELP if usable else PASSWORD_UNSET_HELP
        helps = {"is_active": IS_ACTIVE_HELP, "is_superuser": IS_SUPERUSER_HELP}
        for name, text in helps.items():
            if name in self.fields:
                self.fields[name].help_text = text
