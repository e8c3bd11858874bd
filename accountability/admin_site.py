"""The portal's admin site (see accountability/admin.py for who may use it).

Kept free of model imports at module level: INSTALLED_APPS names ``PortalAdminConfig`` here,
and that is read before the models are loaded.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class PortalAdminConfig(AdminConfig):
    """Replaces django.contrib.admin so that every app registers on the portal's site."""

    default_site = "accountability.admin_site.PortalAdminSite"


class PortalAdminSite(admin.AdminSite):
    site_header = _("主体责任管理平台 · 系统管理")
    site_title = _("主体责任管理平台")
    index_title = _("组织机构、人员与角色")

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin, the project's and Django's own (groups), with the portal's natural
        form messages (common.forms.GuidedAdminMixin) instead of Django's stock ones."""
        from common.forms import guided_admin

        admin_class = guided_admin(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        from .models import Role

        user = request.user
        return user.is_active and (
            user.is_superuser or request.scope.has_role(Role.ADMIN, Role.SECURITY_ADMIN)
        )
