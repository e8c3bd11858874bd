from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.DigestListView.as_view(), name="digest-list"),
    path("<int:pk>/read/", views.digest_read, name="digest-read"),
    path("read-all/", views.digest_read_all, name="digest-read-all"),
    path("preferences/", views.PreferenceUpdateView.as_view(), name="preference-update"),
    path("policy/", views.PolicyUpdateView.as_view(), name="policy-update"),
    path("policy/<int:organisation>/", views.PolicyUpdateView.as_view(), name="policy-update"),
    path("policy/<int:organisation>/run/", views.sweep_run, name="sweep-run"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery-list"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery-retry"),
]
