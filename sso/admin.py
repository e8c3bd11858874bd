"""The mappings the administrator edits: directory group → role, directory attribute → unit.

Same rules as the rest of the site (accountability/admin.py): the security administrator keeps
the role mappings, the system administrator the unit mappings, each in their own organisations.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accountability.admin import OrganisationAdminMixin, security_org_ids
from audit.services import Action, record
from common.forms import GuidedFormMixin

from .models import DirectoryAccount, DirectoryRoleMapping, DirectoryUnitMapping

OWN_GROUP = _(
    "不能把本人所在的目录组“%(group)s”对应到角色：这等于给自己授予角色。请由另一位安全管理员办理。"
)


class DirectoryRoleMappingForm(GuidedFormMixin, forms.ModelForm):
    request = None  # set per request by DirectoryRoleMappingAdmin.get_form

    class Meta:
        model = DirectoryRoleMapping
        fields = ("organisation", "group", "role")

    def clean_group(self):
        group = self.cleaned_data["group"].strip().lower()
        by = self.request.user if self.request is not None else None
        if by is None or by.is_superuser:
            return group
        own = DirectoryAccount.objects.filter(user=by).values_list("groups", flat=True).first()
        if group in (own or []):
            record(
                Action.ROLE_REFUSED,
                request=self.request,
                detail=f"directory group {group} is the user's own"[:500],
            )
            raise forms.ValidationError(OWN_GROUP, params={"group": group})
        return group


@admin.register(DirectoryRoleMapping)
class DirectoryRoleMappingAdmin(OrganisationAdminMixin, admin.ModelAdmin):
    # A mapping grants roles: it is the security administrator's (三员分立), not the system
    # administrator's, who keeps the unit mappings below.
    def managed_org_ids(self, request):
        return security_org_ids(request)

    form = DirectoryRoleMappingForm
    list_display = ("group", "role", "organisation", "changed_by")
    list_filter = (("organisation", admin.RelatedOnlyFieldListFilter), "role")
    search_fields = ("group",)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(DirectoryUnitMapping)
class DirectoryUnitMappingAdmin(OrganisationAdminMixin, admin.ModelAdmin):
    list_display = ("attribute", "value", "unit", "organisation")
    list_filter = (("organisation", admin.RelatedOnlyFieldListFilter), "attribute")
    search_fields = ("value", "unit__name")
    autocomplete_fields = ("unit",)
