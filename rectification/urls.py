from django.urls import path

from .views import imports, inspections, measures, review
from .views.home import index

app_name = "rectification"

urlpatterns = [
    path("", index, name="index"),
    path("inspections/", inspections.InspectionListView.as_view(), name="inspection-list"),
    path("inspections/new/", inspections.InspectionCreateView.as_view(), name="inspection-create"),
    path(
        "inspections/<int:pk>/",
        inspections.InspectionDetailView.as_view(),
        name="inspection-detail",
    ),
    path(
        "inspections/<int:pk>/edit/",
        inspections.InspectionUpdateView.as_view(),
        name="inspection-update",
    ),
    path(
        "inspections/<int:inspection_pk>/findings/new/",
        inspections.FindingCreateView.as_view(),
        name="finding-create",
    ),
    path("inspections/<int:inspection_pk>/import/", imports.import_upload, name="import-upload"),
    path(
        "inspections/<int:inspection_pk>/import/template.xlsx",
        imports.import_template,
        name="import-template",
    ),
    path("import/<str:token>/", imports.import_preview, name="import-preview"),
    path("findings/", inspections.FindingListView.as_view(), name="finding-list"),
    path("findings/<int:pk>/edit/", inspections.FindingUpdateView.as_view(), name="finding-update"),
    path(
        "findings/<int:finding_pk>/measures/new/",
        inspections.MeasureCreateView.as_view(),
        name="measure-create",
    ),
    path("measures/", measures.MeasureListView.as_view(), name="measure-list"),
    path("measures/<int:pk>/", measures.MeasureDetailView.as_view(), name="measure-detail"),
    path("measures/<int:pk>/edit/", inspections.MeasureUpdateView.as_view(), name="measure-update"),
    path("measures/<int:pk>/delete/", inspections.measure_delete, name="measure-delete"),
    path("measures/<int:pk>/progress/", measures.measure_progress, name="measure-progress"),
    path(
        "measures/<int:pk>/request-closure/",
        measures.measure_request_closure,
        name="measure-request-closure",
    ),
    path("measures/<int:pk>/accept/", review.measure_accept, name="measure-accept"),
    path("measures/<int:pk>/return/", review.measure_return, name="measure-return"),
    path("measures/<int:pk>/followup/", review.measure_followup, name="measure-followup"),
    path("measures/<int:pk>/reopen/", review.measure_reopen, name="measure-reopen"),
    path(
        "measures/<int:pk>/evidence/<int:evidence_pk>/",
        measures.measure_evidence,
        name="measure-evidence",
    ),
    path(
        "measures/<int:pk>/evidence/<int:evidence_pk>/remove/",
        measures.measure_evidence_remove,
        name="measure-evidence-remove",
    ),
    path("review/", review.ReviewQueueView.as_view(), name="review-queue"),
    path("followups/", review.FollowupListView.as_view(), name="followup-list"),
]
