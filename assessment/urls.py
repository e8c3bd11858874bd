from django.urls import path

from . import views

app_name = "assessment"

urlpatterns = [
    path("", views.scheme_list, name="scheme-list"),
    path("new/", views.scheme_create, name="scheme-create"),
    path("<int:pk>/", views.scheme_detail, name="scheme-detail"),
    path("<int:pk>/export/", views.scheme_export, name="scheme-export"),
    path("<int:pk>/rules/", views.rule_add, name="rule-add"),
    path("<int:pk>/rules/<int:rule_pk>/", views.rule_update, name="rule-update"),
    path("<int:pk>/rules/<int:rule_pk>/delete/", views.rule_delete, name="rule-delete"),
    path(
        "<int:pk>/rules/<int:rule_pk>/targets/<int:target_pk>/",
        views.point_basis,
        name="point-basis",
    ),
    path("<int:pk>/adjustments/", views.adjustment_add, name="adjustment-add"),
    path(
        "<int:pk>/adjustments/<int:adjustment_pk>/delete/",
        views.adjustment_delete,
        name="adjustment-delete",
    ),
]
