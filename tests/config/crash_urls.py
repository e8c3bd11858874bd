"""A URLconf with one view that fails, for the error-page tests."""

from django.urls import path


def crash(request):
    raise RuntimeError("boom")


urlpatterns = [path("crash/", crash)]
