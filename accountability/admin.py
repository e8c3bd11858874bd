"""The administration site: organisation tree, people and roles.

A superuser administers the whole installation. A person with the administrator role of an
organisation (Role.ADMIN) administers that organisation only: the site admits them without
Django model permissions, and every page below is limited to their organisations. Models of the
other apps stay hidden from them unless their own admin classes grant access.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, Role, RoleAssignment, Unit, User


def administered_org_ids(request):
    scope = request.scope
    return {org_id for org_id, roles in scope.roles.items() if Role.ADMIN in roles}


class OrganisationAdminMixin:
    """Limit a ModelAdmin to the organisations the user administers."""

    organisation_lookup = "organisation"

    def _org_admin(self, request):
        return not request.user.is_superuser and bool(administered_org_ids(request))

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
        return queryset.filter(**{f"{self.organisation_lookup}__in": administered_org_ids(request)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if request.user.is_superuser or field is None:
            return field
        orgs = administered_org_ids(request)
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
    list_display = ("name", "code", "body_type", "sector", "principal_leader")
    search_fields = ("name", "code")
    autocomplete_fields = ("principal_leader",)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return () if request.user.is_superuser else ("code",)


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


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organisation" and not request.user.is_superuser:
            field.queryset = field.queryset.filter(pk__in=administered_org_ids(request))
        return field

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organisation__in=administered_org_ids(request))

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or bool(administered_org_ids(request))

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


@admin.register(User)
class PortalUserAdmin(OrganisationAdminMixin, SimpleHistoryAdmin, UserAdmin):
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
        fieldsets[:2]
        + ((_("状态"), {"fields": ("is_active", "is_staff", "is_superuser")}),)
        + fieldsets[3:]
    )
    add_fieldsets = (
        (
            None,
            {"fields": ("username", "full_name", "organisation", "unit", "password1", "password2")},
        ),
    )

    def get_fieldsets(self, request, obj=None):
        if obj is not None and request.user.is_superuser:
            return self.superuser_fieldsets
        return super().get_fieldsets(request, obj)
