from django.urls import path

from . import views
from .views import annual, dashboard, exports, signoff

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
    path("annual/", annual.report_list, name="report-list"),
    path("annual/draft/", annual.report_draft, name="report-draft"),
    path("annual/<int:pk>/", annual.report_preview, name="report-detail"),
    path("annual/<int:pk>/edit/", annual.report_edit, name="report-edit"),
    path("annual/<int:pk>/export/", exports.export_create_view, name="export-create"),
    path("annual/<int:pk>/submit/", signoff.report_submit_view, name="report-submit"),
    path("annual/<int:pk>/new-version/", signoff.report_new_version, name="report-new-version"),
    path("annual/<int:pk>/compare/", signoff.report_compare, name="report-compare"),
    path("versions/<int:pk>/", signoff.version_detail, name="version-detail"),
    path("versions/<int:pk>/approve/", signoff.version_approve_view, name="version-approve"),
    path("versions/<int:pk>/return/", signoff.version_return_view, name="version-return"),
    path("exports/<int:pk>/", exports.export_status, name="export-detail"),
    path("exports/<int:pk>/download/", exports.export_download, name="export-download"),
    path("outlines/preset/", annual.outline_preset, name="outline-preset"),
    path("outlines/<int:pk>/edit/", annual.outline_edit, name="outline-edit"),
]
