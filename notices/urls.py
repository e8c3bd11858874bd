"""The inbox, bell and preferences. Mounted under ``reminders:`` by ``deadlines.urls`` together
with the administrators' pages, so that every URL name of the former reminders app is kept."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.DigestListView.as_view(), name="digest-list"),
    path("<int:pk>/read/", views.digest_read, name="digest-read"),
    path("bell/", views.bell, name="bell"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice-read"),
    path("read-all/", views.digest_read_all, name="digest-read-all"),
    path("preferences/", views.PreferenceUpdateView.as_view(), name="preference-update"),
]
