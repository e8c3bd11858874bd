from django.urls import path

from . import views

app_name = "accountability"

urlpatterns = [
    path("units/", views.UnitListView.as_view(), name="unit-list"),
]
