"""Single sign-on: how a directory's (LDAP, CAS) groups and attributes become units and roles.

The administrator edits two mappings in the admin site: a directory group (or a CAS attribute
value) grants a role in an organisation; a directory attribute value (``ou``, a department name
or code) places the person in a unit. ``DirectoryAccount`` marks the people who came from a
directory and remembers which roles the mapping gave them, so that only those are taken back.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accountability.models import Organisation, Role, Unit


class Source(models.TextChoices):
    LDAP = "ldap", _("LDAP / Active Directory")
    CAS = "cas", _("CAS 统一身份认证")


class DirectoryRoleMapping(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="+"
    )
    group = models.CharField(
        _("目录组"),
        max_length=255,
        help_text=_(
            "LDAP 组的 DN（如 cn=dangban,ou=groups,dc=example,dc=gov），"
            "或 CAS 属性中的组名；不区分大小写。"
        ),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    # Who last saved the mapping: it never grants them a role (nobody grants roles to
    # themselves, not even through a directory group they join later; sso.services).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最近修改人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("目录组与角色对应")
        verbose_name_plural = _("目录组与角色对应")
        ordering = ["organisation", "group", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "group", "role"], name="directory_role_mapping_unique"
            )
        ]

    def __str__(self):
        return f"{self.group} → {self.get_role_display()}"

    def save(self, *args, **kwargs):
        self.group = self.group.strip().lower()
        super().save(*args, **kwargs)


class DirectoryUnitMapping(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="+"
    )
    attribute = models.CharField(
        _("目录属性"), max_length=60, help_text=_("如 ou、department、departmentNumber。")
    )
    value = models.CharField(_("属性值"), max_length=255, help_text=_("部门名称或代码。"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("目录属性与单位对应")
        verbose_name_plural = _("目录属性与单位对应")
        ordering = ["organisation", "attribute", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "attribute", "value"], name="directory_unit_mapping_unique"
            )
        ]

    def __str__(self):
        return f"{self.attribute}={self.value} → {self.unit}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            raise ValidationError({"unit": _("单位必须属于所选党组织。")})


class DirectoryAccount(models.Model):
    """A person who signs in through a directory, and what the mapping last gave them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="directory_account",
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    identifier = models.CharField(_("目录标识"), max_length=255, blank=True)
    # [[organisation id, role], …] granted by the mapping (never the roles given by hand).
    mapped_roles = models.JSONField(_("映射授予的角色"), default=list, blank=True)
    # The directory groups of the last sign-on (lower case), for the rule that nobody maps a
    # group of their own onto a role (sso.admin).
    groups = models.JSONField(_("目录组"), default=list, blank=True)
    synced_at = models.DateTimeField(_("最近同步"), null=True, blank=True)
    removed_at = models.DateTimeField(_("目录中已删除"), null=True, blank=True)
    # The security administrator's directory check (sso.services.directory_check): when it last
    # asked the directory about this account, and since when the directory has not known it.
    checked_at = models.DateTimeField(_("最近核对"), null=True, blank=True)
    missing_since = models.DateTimeField(_("目录中查无此人"), null=True, blank=True)

    class Meta:
        verbose_name = _("目录账号")
        verbose_name_plural = _("目录账号")

    def __str__(self):
        return f"{self.user} · {self.get_source_display()}"

    @property
    def mapped_role_labels(self):
        return [Role(role).label for _org, role in self.mapped_roles if role in Role.values]


class CasSession(models.Model):
    """The session a CAS service ticket opened, so that the CAS server's single-logout request
    (which names the ticket) can end it."""

    ticket = models.CharField(_("服务票据"), max_length=512, unique=True)
    session_key = models.CharField(_("会话"), max_length=40, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("登录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("CAS 会话")
        verbose_name_plural = _("CAS 会话")

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d %H:%M}"
