from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import docs, errors, views

app_name = "api"

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("people", views.PersonViewSet, basename="person")
router.register(
    "responsibility-items", views.ResponsibilityItemViewSet, basename="responsibilityitem"
)
router.register("work-records", views.WorkRecordViewSet, basename="workrecord")
router.register("duty-letters", views.DutyLetterViewSet, basename="dutyletter")
router.register("risk-points", views.RiskPointViewSet, basename="riskpoint")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("findings", views.FindingViewSet, basename="finding")
router.register("measures", views.MeasureViewSet, basename="measure")

urlpatterns = [
    *router.urls,
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^.*$", errors.not_found, name="not-found"),
]
