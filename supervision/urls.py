from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.index, name="index"),
    path("organisation/", views.organisation_page, name="organisation"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report-submit"),
    path("bodies/<int:pk>/", views.body_page, name="body"),
    path("bodies/<int:pk>/due/", views.due_set, name="due-set"),
    path("bodies/<int:pk>/notices/new/", views.notice_create, name="notice-create"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission-detail"),
    path("submissions/<int:pk>/receive/", views.submission_receive, name="submission-receive"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission-return"),
    path("submissions/<int:pk>/file/<str:fmt>/", views.submission_file, name="submission-file"),
    path("notices/<int:pk>/", views.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/reply/", views.notice_reply, name="notice-reply"),
    path("notices/<int:pk>/close/", views.notice_close, name="notice-close"),
    path("notices/<int:pk>/return/", views.notice_return, name="notice-return"),
    path(
        "notices/<int:pk>/evidence/<int:evidence_pk>/",
        views.notice_evidence,
        name="notice-evidence",
    ),
]
