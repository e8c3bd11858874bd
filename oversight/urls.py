from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.RollupView.as_view(), name="rollup"),
    path("org/<slug:code>/", views.OrganisationView.as_view(), name="organisation"),
    path("org/<slug:code>/records/", views.WorkRecordListView.as_view(), name="workrecord-list"),
    path("org/<slug:code>/letters/", views.DutyLetterListView.as_view(), name="dutyletter-list"),
    path("org/<slug:code>/measures/", views.MeasureListView.as_view(), name="measure-list"),
    path("records/<int:pk>/", views.WorkRecordDetailView.as_view(), name="workrecord-detail"),
    path("records/evidence/<int:pk>/", views.workrecord_evidence, name="workrecord-evidence"),
    path("letters/<int:pk>/", views.DutyLetterDetailView.as_view(), name="dutyletter-detail"),
    path("letters/scans/<int:pk>/", views.dutyletter_scan, name="dutyletter-scan"),
    path("measures/<int:pk>/", views.MeasureDetailView.as_view(), name="measure-detail"),
    path(
        "measures/<int:pk>/evidence/<int:evidence_pk>/",
        views.measure_evidence,
        name="measure-evidence",
    ),
]
