"""Organisation tree, people and roles: the ground every record stands on.

Organisations form a tree of supervision: a bureau's 党组 reports to a supervising body (a city's
机关工委, a parent 党委), which reads what happens below it and never writes there. Units form a
tree inside one organisation. Both keep a materialised ``path`` of zero-padded ids
("000001.000004.") so that "this one and everything below it" is one indexed prefix match.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower, Substr
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

PATH_STEP = 6


class Organisation(models.Model):
    """The accountable body (党组 / 党委 / 党总支) of one bureau."""

    class BodyType(models.TextChoices):
        PARTY_GROUP = "party_group", _("党组")
        PARTY_COMMITTEE = "party_committee", _("党委")
        GENERAL_BRANCH = "general_branch", _("党总支")
        WORKING_COMMITTEE = "working_committee", _("工委")

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    body_type = models.CharField(
        _("党组织类型"), max_length=20, choices=BodyType.choices, default=BodyType.PARTY_GROUP
    )
    sector = models.CharField(
        _("所属行业"),
        max_length=30,
        blank=True,
        help_text=_("本单位的业务领域，如“水利”“交通运输”“税务”，年度报告中写作“××事业”。"),
    )
    principal_leader = models.ForeignKey(
        "User",
        verbose_name=_("主要负责人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("上级党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised",
        help_text=_("接收本单位年度报告、开展督办和考核的上级机关（如市直机关工委）。"),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(supervisor=models.F("id")), name="organisation_not_own_supervisor"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # As for units: the path needs the primary key; a move rewrites the subtree's prefix.
        with transaction.atomic():
            old_path = self.path
            super().save(*args, **kwargs)
            new_path = organisation_path(self)
            if new_path == old_path:
                return
            self.path = new_path
            Organisation.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                Organisation.objects.filter(path__startswith=old_path).update(
                    path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
                )

    def clean(self):
        super().clean()
        if self.supervisor_id is None:
            return
        if self.pk and (
            self.supervisor_id == self.pk
            or (self.path and self.supervisor.path.startswith(self.path))
        ):
            raise ValidationError(
                {"supervisor": _("不能把本党组织或它下属的党组织设为它的上级党组织。")}
            )

    def below(self, include_self=False):
        """The organisations this one supervises, at any depth."""
        qs = Organisation.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    @property
    def body_name(self):
        """How the accountable body is named in reports: "市水利局党组"."""
        return f"{self.short_name or self.name}{self.get_body_type_display()}"


def organisation_path(organisation):
    supervisor = organisation.supervisor if organisation.supervisor_id else None
    prefix = supervisor.path if supervisor is not None else ""
    return f"{prefix}{organisation.pk:0{PATH_STEP}d}."


class Unit(models.Model):
    # Worded for any organisation, not a 局 alone: a 委员会's units are 委机关 and 委属单位, a
    # 厅's 厅机关 and 厅属单位 (the demo's and the tests' names of units still say 局).
    class Kind(models.TextChoices):
        BUREAU = "bureau", _("机关本级")
        DEPARTMENT = "department", _("处室")
        SUBORDINATE = "subordinate", _("直属单位")
        BRANCH = "branch", _("党支部")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="units"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    order = models.PositiveIntegerField(_("排序"), default=0)
    leader_in_charge = models.ForeignKey(
        "User",
        verbose_name=_("分管领导"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units_in_charge",
    )
    head = models.ForeignKey(
        "User",
        verbose_name=_("负责人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units_headed",
    )
    is_active = models.BooleanField(_("启用"), default=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    history = HistoricalRecords(excluded_fields=["path"])

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["organisation", "path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "parent", "name"], name="unit_name_unique_under_parent"
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="unit_not_own_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The path needs the primary key, so it is written right after the row exists; a move
        # rewrites the whole subtree's prefix in one UPDATE.
        with transaction.atomic():
            old_path = self.path
            super().save(*args, **kwargs)
            new_path = self._computed_path()
            if new_path == old_path:
                return
            self.path = new_path
            Unit.objects.filter(pk=self.pk).update(path=new_path)
            if old_path:
                Unit.objects.filter(path__startswith=old_path).update(
                    path=Concat(Value(new_path), Substr("path", len(old_path) + 1))
                )

    @property
    def depth(self):
        return len(self.path) // (PATH_STEP + 1)

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": _("上级单位必须属于同一党组织。")})
        if self.pk and (self.parent_id == self.pk or self.parent.path.startswith(self.path)):
            raise ValidationError({"parent": _("不能把单位移到它自己的下级之下。")})

    def _computed_path(self):
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.pk:0{PATH_STEP}d}."

    def descendants(self, include_self=True):
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


USERNAME_TAKEN = _("已有用户名相同的人员（不区分大小写），请换一个用户名。")


class PortalUserManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person: everyone named in a record is a user, whether or not they ever log in."""

    full_name = models.CharField(_("姓名"), max_length=40)
    title = models.CharField(_("职务"), max_length=60, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    phone = models.CharField(_("电话"), max_length=30, blank=True)

    objects = PortalUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["full_name"]
        constraints = [
            # Logging in ignores case (PortalUserManager): two names differing only in capitals
            # could not be told apart.
            models.UniqueConstraint(
                Lower("username"),
                name="user_username_ci_unique",
                violation_error_message=USERNAME_TAKEN,
            )
        ]

    def __str__(self):
        return self.full_name or self.username

    def clean(self):
        super().clean()
        if (
            self.unit_id
            and self.organisation_id
            and self.unit.organisation_id != self.organisation_id
        ):
            raise ValidationError({"unit": _("所在单位必须属于所属党组织。")})

    def get_full_name(self):
        return self.full_name or self.username


class Role(models.TextChoices):
    OFFICE = "office", _("党办工作人员")
    UNIT_HEAD = "unit_head", _("处室负责人/责任人")
    LEADER = "leader", _("领导班子成员")
    INSPECTOR = "inspector", _("纪检监督")
    ADMIN = "admin", _("系统管理员")
    # 三员分立 (等保 2.0): the security administrator grants roles and permissions, the security
    # auditor reads the audit log and history; neither may also be the system administrator.
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")


# 三员分立 (等保 2.0): one person holds at most one of these in an organisation.
ADMINISTRATOR_ROLES = (Role.ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
# Roles that read and never write: a person holding one of them and no writing role is never
# made responsible (责任人) for a rectification measure.
READ_ONLY_ROLES = frozenset({Role.LEADER, Role.AUDITOR})
WRITING_ROLES = frozenset({Role.OFFICE, Role.UNIT_HEAD})


def read_only_person_ids(organisation_id):
    """Ids of the people who hold only reading roles (a leader, an auditor) in the organisation:
    never a measure's 责任人 (issue 13, hole 4)."""
    held = RoleAssignment.objects.filter(organisation_id=organisation_id)
    return (
        held.filter(role__in=READ_ONLY_ROLES)
        .exclude(user_id__in=held.filter(role__in=WRITING_ROLES).values("user_id"))
        .values_list("user_id", flat=True)
    )


SEPARATION_MESSAGE = _(
    "系统管理员、安全管理员和安全审计员须由不同人员担任（三员分立），同一人在本党组织只能担任其中一种。"
)


class RoleAssignment(models.Model):
    """A role a person holds in an organisation; one person may hold several, but only one of
    the three administrator roles (系统管理员、安全管理员、安全审计员)."""

    user = models.ForeignKey(
        User, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("角色分配")
        verbose_name_plural = _("角色分配")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="role_assignment_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(role__in=ADMINISTRATOR_ROLES),
                name="role_one_administrator_role",
                violation_error_message=SEPARATION_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    def clean(self):
        super().clean()
        if self.role in ADMINISTRATOR_ROLES and self.user_id and self.organisation_id:
            others = RoleAssignment.objects.filter(
                user_id=self.user_id,
                organisation_id=self.organisation_id,
                role__in=ADMINISTRATOR_ROLES,
            ).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"role": SEPARATION_MESSAGE})
