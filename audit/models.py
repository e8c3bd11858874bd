"""The security audit log (append-only) and the failed-login counters.

This app sits below every business app: they call ``audit.record(...)``; it imports none of
them. An ``AuditEvent`` is never changed or deleted through the ORM (the queryset and the model
refuse it) nor, on PostgreSQL, through SQL: a trigger created by the migration refuses UPDATE,
and refuses DELETE except for rows past the retention period inside ``AuditEvent.purge``
(网络安全法 Art. 21: at least six months).
"""

import datetime

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The floor the law sets; AUDIT_RETENTION_DAYS may only be higher.
MIN_RETENTION_DAYS = 180


class AppendOnlyError(Exception):
    pass


class Action(models.TextChoices):
    LOGIN = "login", _("登录成功")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGIN_LOCKED = "login_locked", _("登录被暂时锁定")
    LOGIN_REFUSED = "login_refused", _("锁定期间尝试登录")
    LOGOUT = "logout", _("退出登录")
    ROLE_GRANTED = "role_granted", _("授予角色")
    ROLE_REVOKED = "role_revoked", _("撤销角色")
    ROLE_REFUSED = "role_refused", _("授权被拒绝")
    PASSWORD_CHANGED = "password_changed", _("修改本人密码")
    PASSWORD_RESET = "password_reset", _("重置他人密码")
    EXPORT = "export", _("导出")
    DOWNLOAD = "download", _("下载佐证材料")
    DIRECTORY_CHECKED = "directory_checked", _("核对目录账号")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("停用目录账号")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the audit log is append-only")

    def delete(self):
        raise AppendOnlyError("the audit log is append-only")

    _raw_delete = delete

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("the audit log is append-only")

    def for_organisations(self, org_ids):
        """``None``: everything (a superuser)."""
        return self if org_ids is None else self.filter(organisation_id__in=org_ids)


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    action = models.CharField(_("事件"), max_length=20, choices=Action.choices)
    # No foreign-key constraints: the log outlives the people and records it names, and a
    # cascade would have to change it.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("用户名"), max_length=150, blank=True)
    # The organisation the event belongs to (the actor's, or the named account's): a plain
    # id, since this app sits below the one that defines organisations.
    organisation_id = models.BigIntegerField(_("党组织"), null=True, blank=True)
    address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organisation_id", "-at"], name="audit_org_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_action_display()} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnlyError("the audit log is append-only")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the audit log is append-only")

    @classmethod
    def retention_days(cls):
        return max(MIN_RETENTION_DAYS, int(getattr(settings, "AUDIT_RETENTION_DAYS", 0)))

    @classmethod
    def purge(cls, *, now=None):
        """Delete the events older than the retention period; the only deletion there is."""
        now = now or timezone.now()
        cutoff = now - datetime.timedelta(days=cls.retention_days())
        table = connection.ops.quote_name(cls._meta.db_table)
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL audit.purge = 'on'")
            cursor.execute(f"DELETE FROM {table} WHERE at < %s", [cutoff])  # noqa: S608
            return cursor.rowcount


class LoginThrottle(models.Model):
    """Consecutive failed logins of one account or from one address, and the wait they earned."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", _("账号")
        ADDRESS = "address", _("IP 地址")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=150)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("登录失败计数")
        verbose_name_plural = _("登录失败计数")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="login_throttle_unique"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.key} ({self.failures})"
