"""The mappings the administrator edits: directory group → role, directory attribute → unit.

Same rules as the rest of the site (accountability/admin.py): the security administrator keeps
the role mappings, the system administrator the unit mappings, each in their own organisations.
"""

from django.contrib import admin

from accountability.admin import OrganisationAdminMixin, security_org_ids

from .models import DirectoryRoleMapping, DirectoryUnitMapping


@admin.register(DirectoryRoleMapping)
class DirectoryRoleMappingAdmin(OrganisationAdminMixin, admin.ModelAdmin):
    # A mapping grants roles: it is the security administrator's (三员分立), not the system
    # administrator's, who keeps the unit mappings below.
    def managed_org_ids(self, request):
        return security_org_ids(request)

    list_display = ("group", "role", "organisation")
    list_filter = (("organisation", admin.RelatedOnlyFieldListFilter), "role")
    search_fields = ("group",)


@admin.register(DirectoryUnitMapping)
class DirectoryUnitMappingAdmin(OrganisationAdminMixin, admin.ModelAdmin):
    list_display = ("attribute", "value", "unit", "organisation")
    list_filter = (("organisation", admin.RelatedOnlyFieldListFilter), "attribute")
    search_fields = ("value", "unit__name")
    autocomplete_fields = ("unit",)
