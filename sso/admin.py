"""The mappings the administrator edits: directory group → role, directory attribute → unit.

Same rule as the rest of the site (accountability/admin.py): an organisation's administrator
sees and edits the mappings of their organisations only.
"""

from django.contrib import admin

from accountability.admin import OrganisationAdminMixin

from .models import DirectoryRoleMapping, DirectoryUnitMapping


@admin.register(DirectoryRoleMapping)
class DirectoryRoleMappingAdmin(OrganisationAdminMixin, admin.ModelAdmin):
    list_display = ("group", "role", "organisation")
    list_filter = (("organisation", admin.RelatedOnlyFieldListFilter), "role")
    search_fields = ("group",)


@admin.register(DirectoryUnitMapping)
class DirectoryUnitMappingAdmin(OrganisationAdminMixin, admin.ModelAdmin):
    list_display = ("attribute", "value", "unit", "organisation")
    list_filter = (("organisation", admin.RelatedOnlyFieldListFilter), "attribute")
    search_fields = ("value", "unit__name")
    autocomplete_fields = ("unit",)
