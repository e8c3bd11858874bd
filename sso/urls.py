from django.urls import path

from . import views

app_name = "sso"

urlpatterns = [
    path("login/", views.cas_login, name="cas-login"),
    path("callback/", views.cas_callback, name="cas-callback"),
]
