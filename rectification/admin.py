"""Administration: only the warning thresholds (预警规则).

Inspections, findings, measures and their history are deliberately not registered: they change
only through the portal's pages and services (so that every change is a recorded step by a known
person), and no one may edit or delete them or their history from the admin site.
"""

from django.contrib import admin

from accountability.admin import OrganisationAdminMixin

from .models import WarningPolicy


@admin.register(WarningPolicy)
class WarningPolicyAdmin(OrganisationAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "green_days", "yellow_days", "followup_days"]
    fields = ["organisation", "green_days", "yellow_days", "followup_days"]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser
