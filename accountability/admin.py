from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, RoleAssignment, Unit, User

admin.site.site_header = _("主体责任管理平台 · 系统管理")
admin.site.site_title = _("主体责任管理平台")
admin.site.index_title = _("组织机构、人员与角色")


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ("name", "kind", "parent", "order", "head", "leader_in_charge", "is_active")
    autocomplete_fields = ("parent", "head", "leader_in_charge")
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "body_type", "principal_leader")
    search_fields = ("name", "code")
    autocomplete_fields = ("principal_leader",)
    prepopulated_fields = {"code": ("name",)}


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = (
        "indented_name",
        "organisation",
        "kind",
        "head",
        "leader_in_charge",
        "is_active",
    )
    list_filter = ("organisation", "kind", "is_active")
    search_fields = ("name",)
    autocomplete_fields = ("parent", "head", "leader_in_charge")
    ordering = ("organisation", "path")

    @admin.display(description=_("名称"), ordering="path")
    def indented_name(self, obj):
        return "　" * (obj.depth - 1) + obj.name


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class PortalUserAdmin(SimpleHistoryAdmin, UserAdmin):
    list_display = ("username", "full_name", "organisation", "unit", "title", "is_active")
    list_filter = ("organisation", "is_active", "role_assignments__role")
    search_fields = ("username", "full_name", "email")
    autocomplete_fields = ("organisation", "unit")
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("个人信息"),
            {"fields": ("full_name", "title", "organisation", "unit", "email", "phone")},
        ),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"fields": ("username", "full_name", "organisation", "unit", "password1", "password2")},
        ),
    )
