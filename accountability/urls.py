from django.urls import path

from . import views
from .views import kinds, letters, records, responsibility, risks, security, units

app_name = "accountability"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit-list"),
    path("units/import/", units.unit_import, name="unit-import"),
    path("units/import/template/", units.unit_import_template, name="unit-import-template"),
    # work records
    path("records/", records.WorkRecordListView.as_view(), name="workrecord-list"),
    path("records/new/", records.WorkRecordCreateView.as_view(), name="workrecord-create"),
    path("records/month/", records.workrecord_month, name="workrecord-month"),
    path("records/<int:pk>/", records.WorkRecordDetailView.as_view(), name="workrecord-detail"),
    path(
        "records/<int:pk>/edit/", records.WorkRecordUpdateView.as_view(), name="workrecord-update"
    ),
    path("records/<int:pk>/delete/", records.workrecord_delete, name="workrecord-delete"),
    path("records/<int:pk>/restore/", records.workrecord_restore, name="workrecord-restore"),
    path("records/evidence/<int:pk>/", records.workrecord_evidence, name="workrecord-evidence"),
    path(
        "records/evidence/<int:pk>/remove/",
        records.workrecord_evidence_remove,
        name="workrecord-evidence-remove",
    ),
    path("kinds/", kinds.workrecordkind_list, name="workrecordkind-list"),
    path("kinds/<int:pk>/toggle/", kinds.workrecordkind_toggle, name="workrecordkind-toggle"),
    path("kinds/<int:pk>/rename/", kinds.workrecordkind_rename, name="workrecordkind-rename"),
    # duty letters
    path("letters/", letters.DutyLetterListView.as_view(), name="dutyletter-list"),
    path("letters/issue/", letters.dutyletter_issue, name="dutyletter-issue"),
    path("letters/<int:pk>/", letters.DutyLetterDetailView.as_view(), name="dutyletter-detail"),
    path("letters/<int:pk>/sign/", letters.dutyletter_sign, name="dutyletter-sign"),
    path("letters/<int:pk>/withdraw/", letters.dutyletter_withdraw, name="dutyletter-withdraw"),
    path("letters/scans/<int:pk>/", letters.dutyletter_scan, name="dutyletter-scan"),
    path(
        "letters/scans/<int:pk>/remove/",
        letters.dutyletter_scan_remove,
        name="dutyletter-scan-remove",
    ),
    # responsibility list
    path(
        "responsibilities/",
        responsibility.ResponsibilityItemListView.as_view(),
        name="responsibilityitem-list",
    ),
    path(
        "responsibilities/new/",
        responsibility.responsibilityitem_create,
        name="responsibilityitem-create",
    ),
    path(
        "responsibilities/<int:pk>/edit/",
        responsibility.responsibilityitem_update,
        name="responsibilityitem-update",
    ),
    path(
        "responsibilities/copy/",
        responsibility.responsibilitylist_copy,
        name="responsibilitylist-copy",
    ),
    # risk points
    path("risks/", risks.RiskPointListView.as_view(), name="riskpoint-list"),
    path("risks/new/", risks.RiskPointCreateView.as_view(), name="riskpoint-create"),
    path("risks/<int:pk>/", risks.RiskPointDetailView.as_view(), name="riskpoint-detail"),
    path("risks/<int:pk>/edit/", risks.RiskPointUpdateView.as_view(), name="riskpoint-update"),
    # 三员分立: the security auditor's log, and the role grants inspectors see
    path("audit/", security.AuditEventListView.as_view(), name="auditevent-list"),
    path("role-grants/", security.RoleGrantListView.as_view(), name="rolegrant-list"),
]
