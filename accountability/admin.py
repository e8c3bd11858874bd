"""The administration site: organisation tree, people and roles.

A superuser administers the whole installation. Inside an organisation the work is split the
way 等保 2.0 asks (三员分立), and the site admits each without Django model permissions, limited
to their own organisation:

* the system administrator (Role.ADMIN) keeps the organisation, its units and its people (adds
  them without a password, edits, deactivates) and the warning policy; they see people's roles
  but neither grant them nor set anyone's password;
* the security administrator (Role.SECURITY_ADMIN) grants and revokes roles and resets other
  people's passwords, never their own (a person's own roles are read-only to them, their own
  password changes only through the portal's form, which asks for the old one); every grant,
  revocation and reset goes to the audit log;
* the security auditor (Role.AUDITOR) does not use this site: they read the audit log and the
  history in the portal and change nothing.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from audit.services import Action, record

from .models import Organisation, Role, RoleAssignment, Unit, User, WorkRecordKind
from .models.organisation import ADMINISTRATOR_ROLES, SEPARATION_MESSAGE
from .passwords import PasswordMessagesMixin, PersonStateMixin, UsernameMixin

# Django's groups and permissions give nothing here: who may do what comes from a person's roles
# (RoleAssignment, kept on their page). Their page only listed Django's permission names, stored
# in English ("Can add historical 人员").
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _org_ids_with(request, role):
    return {org_id for org_id, roles in request.scope.roles.items() if role in roles}


def administered_org_ids(request):
    """Organisations whose system administrator the user is."""
    return _org_ids_with(request, Role.ADMIN)


def security_org_ids(request):
    """Organisations whose security administrator the user is."""
    return _org_ids_with(request, Role.SECURITY_ADMIN)


class OrganisationAdminMixin:
    """Limit a ModelAdmin to the organisations the user administers."""

    organisation_lookup = "organisation"

    def managed_org_ids(self, request):
        return administered_org_ids(request)

    def _org_admin(self, request):
        return not request.user.is_superuser and bool(self.managed_org_ids(request))

    def has_module_permission(self, request):
        return request.user.is_superuser or self._org_admin(request)

    def has_view_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        return self._org_admin(request) and (obj is None or self._administers(request, obj))

    def _administers(self, request, obj):
        # SimpleHistoryAdmin's history pages load the row (or rebuild it from its history)
        # without get_queryset(), so the row's organisation must be checked here as well.
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    has_change_permission = has_view_permission
    has_add_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser  # units and people are deactivated, not deleted

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.organisation_lookup}__in": self.managed_org_ids(request)})

    def get_changeform_initial_data(self, request):
        """An administrator of one organisation finds it already chosen on an add page."""
        initial = super().get_changeform_initial_data(request)
        fields = {field.name for field in self.model._meta.get_fields()}
        if "organisation" in fields and not request.user.is_superuser:
            orgs = self.managed_org_ids(request)
            if len(orgs) == 1:
                initial.setdefault("organisation", next(iter(orgs)))
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if request.user.is_superuser or field is None:
            return field
        orgs = self.managed_org_ids(request)
        model = db_field.related_model
        if model is Organisation:
            field.queryset = field.queryset.filter(pk__in=orgs)
        elif model in (Unit, User):
            field.queryset = field.queryset.filter(organisation__in=orgs)
        return field


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ("name", "kind", "parent", "order", "head", "leader_in_charge", "is_active")
    autocomplete_fields = ("parent", "head", "leader_in_charge")
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(OrganisationAdminMixin, SimpleHistoryAdmin):
    organisation_lookup = "pk"
    list_display = ("name", "code", "body_type", "sector", "principal_leader", "supervisor")
    search_fields = ("name", "code")
    autocomplete_fields = ("principal_leader",)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        # The tree of supervision is the deployment's (a superuser's): an organisation's own
        # administrator must neither put another organisation below theirs nor take their own
        # out from under its supervising body.
        return () if request.user.is_superuser else ("code", "supervisor")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new organisation starts with the standard work-record kinds, as the demo ones
            # do: its office can enter records at once, and the report presets' figures (which
            # name these kinds) resolve. The office stops or adds kinds at /a/kinds/.
            WorkRecordKind.ensure_presets(obj)


@admin.register(Unit)
class UnitAdmin(OrganisationAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "indented_name",
        "organisation",
        "kind",
        "head",
        "leader_in_charge",
        "is_active",
    )
    # Related-only: the filter must not list the names of organisations one does not administer.
    list_filter = (("organisation", admin.RelatedOnlyFieldListFilter), "kind", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("parent", "head", "leader_in_charge")
    ordering = ("organisation", "path")

    @admin.display(description=_("名称"), ordering="path")
    def indented_name(self, obj):
        return "　" * (obj.depth - 1) + obj.name


class RoleFormSet(BaseInlineFormSet):
    """The roles of one person, as the security administrator edits them."""

    request = None  # set per request by RoleInline.get_formset

    def clean(self):
        super().clean()
        by = self.request.user if self.request is not None else None
        changed = [
            form for form in self.forms if form.has_changed() or self._should_delete_form(form)
        ]
        if by is not None and not by.is_superuser and changed and self.instance.pk == by.pk:
            raise ValidationError(_("不能给自己授予或撤销角色，请由另一位安全管理员办理。"))
        held = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or self._should_delete_form(form):
                continue
            if data.get("role") in ADMINISTRATOR_ROLES and data.get("organisation"):
                org = data["organisation"]
                held.setdefault(getattr(org, "pk", org), set()).add(data["role"])
        if any(len(roles) > 1 for roles in held.values()):
            raise ValidationError(SEPARATION_MESSAGE)


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    formset = RoleFormSet
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"request": request})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organisation" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(pk__in=security_org_ids(request))
        return field

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(
            organisation__in=administered_org_ids(request) | security_org_ids(request)
        )

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or bool(
            administered_org_ids(request) | security_org_ids(request)
        )

    def has_change_permission(self, request, obj=None):
        """Only a security administrator, and never on their own page."""
        if request.user.is_superuser:
            return True
        if obj is not None and obj.pk == request.user.pk:
            return False
        return bool(security_org_ids(request))

    has_add_permission = has_delete_permission = has_change_permission


class PersonAddForm(UsernameMixin, forms.ModelForm):
    """The system administrator adds a person without a password: the security administrator
    sets one if the person is to log in (many people are only named in records)."""

    class Meta:
        model = User
        fields = ("username", "full_name", "organisation", "unit")

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class PersonChangeForm(PersonStateMixin, UsernameMixin, UserChangeForm):
    pass


class PersonCreationForm(PasswordMessagesMixin, UsernameMixin, AdminUserCreationForm):
    pass


class PersonPasswordForm(PasswordMessagesMixin, AdminPasswordChangeForm):
    unusable_password_warning = True


@admin.register(User)
class PortalUserAdmin(OrganisationAdminMixin, SimpleHistoryAdmin, UserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    change_password_form = PersonPasswordForm
    list_display = ("username", "full_name", "organisation", "unit", "title", "is_active")
    list_filter = (
        ("organisation", admin.RelatedOnlyFieldListFilter),
        "is_active",
        "role_assignments__role",
    )
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("organisation", "unit")
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("个人信息"),
            {"fields": ("full_name", "title", "organisation", "unit", "email", "phone")},
        ),
        (_("状态"), {"fields": ("is_active",)}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    superuser_fieldsets = (
        fieldsets[:2] + ((_("状态"), {"fields": ("is_active", "is_superuser")}),) + fieldsets[3:]
    )
    # A superuser adds a person with a password, or without one for a person who signs on
    # through the directory (usable_password "禁用": Django's form and script).
    add_fieldsets = (
        (None, {"fields": ("username", "full_name", "organisation", "unit")}),
        (None, {"fields": ("usable_password", "password1", "password2")}),
    )

    person_add_fieldsets = ((None, {"fields": ("username", "full_name", "organisation", "unit")}),)

    def managed_org_ids(self, request):
        return administered_org_ids(request) | security_org_ids(request)

    def _is_system_admin_of(self, request, obj):
        orgs = administered_org_ids(request)
        return bool(orgs) if obj is None else obj.organisation_id in orgs

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser or bool(administered_org_ids(request))

    def get_fieldsets(self, request, obj=None):
        if obj is None and not request.user.is_superuser:
            return self.person_add_fieldsets
        if obj is not None and request.user.is_superuser:
            return self.superuser_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = PersonAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser or obj is None or self._is_system_admin_of(request, obj):
            return ("last_login", "date_joined")
        # The security administrator edits a person's roles, not the person.
        return (
            "username",
            "full_name",
            "title",
            "organisation",
            "unit",
            "email",
            "phone",
            "is_active",
            "last_login",
            "date_joined",
        )

    def has_change_history_permission(self, request, obj=None):
        """Reverting a person to an earlier version edits the person: the system
        administrator's, not the security administrator's."""
        return request.user.is_superuser or self._is_system_admin_of(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history saves a posted revert without asking revert_disabled: ask here.
        if request.method == "POST" and not request.user.is_superuser:
            person = self.get_queryset(request).filter(pk=object_id).first()
            if person is not None and not self._is_system_admin_of(request, person):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not RoleAssignment:
            return
        for assignment in formset.new_objects:
            self._record_role(request, Action.ROLE_GRANTED, assignment)
        for assignment, _fields in formset.changed_objects:
            self._record_role(request, Action.ROLE_GRANTED, assignment)
        for assignment in formset.deleted_objects:
            self._record_role(request, Action.ROLE_REVOKED, assignment)

    def _record_role(self, request, action, assignment):
        record(
            action,
            request=request,
            organisation_id=assignment.organisation_id,
            obj=assignment.user,
            detail=f"{assignment.get_role_display()} · {assignment.organisation}",
        )

    def user_change_password(self, request, id, form_url=""):
        """Only a security administrator of the person's organisation, never on themselves."""
        if not request.user.is_superuser:
            target = self.get_queryset(request).filter(pk=id).first()
            if target is not None and (
                target.pk == request.user.pk
                or target.organisation_id not in security_org_ids(request)
            ):
                raise PermissionDenied
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            target = User.objects.get(pk=id)
            record(
                Action.PASSWORD_RESET,
                request=request,
                organisation_id=target.organisation_id,
                obj=target,
            )
        return response
