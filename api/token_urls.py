from django.urls import path

from . import token_views

app_name = "tokens"

urlpatterns = [
    path("", token_views.apitoken_list, name="apitoken-list"),
    path("<int:pk>/revoke/", token_views.apitoken_revoke, name="apitoken-revoke"),
]
