from django.contrib import admin
from django.urls import include, path, re_path

from api import errors as api_errors
from reports import views as report_views
from sso import views as sso_views

handler400 = "common.views.bad_request"
handler404 = "common.views.not_found"
handler403 = "common.views.forbidden"
handler500 = "common.views.server_error"

urlpatterns = [
    path("", report_views.home, name="home"),
    path("accounts/logout/", sso_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accountability.account_urls")),
    path("accounts/cas/", include("sso.urls")),
    path("directory/", include("sso.directory_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("a/", include("accountability.urls")),
    path("r/", include("rectification.urls")),
    path("reminders/", include("deadlines.urls")),
    path("reports/", include("reports.urls")),
    path("oversight/", include("oversight.urls")),
    path("assessment/", include("assessment.urls")),
    path("search/", include("search.urls")),
    path("supervision/", include("supervision.urls")),
    path("accounts/tokens/", include("api.token_urls")),
    path("api/v1/", include("api.urls")),
    # Anything else under /api/ answers in JSON too.
    re_path(r"^api/", api_errors.not_found),
]
