from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.DirectoryAccountListView.as_view(), name="account-list"),
    path("check/", views.directory_account_check, name="account-check"),
    path("<int:pk>/deactivate/", views.directory_account_deactivate, name="account-deactivate"),
]
