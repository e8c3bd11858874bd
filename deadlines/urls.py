from django.urls import path

from notices.urls import urlpatterns as notice_patterns

from . import views

app_name = "reminders"

urlpatterns = [
    *notice_patterns,
    path("policy/", views.PolicyUpdateView.as_view(), name="policy-update"),
    path("policy/<int:organisation>/", views.PolicyUpdateView.as_view(), name="policy-update"),
    path("policy/<int:organisation>/run/", views.sweep_run, name="sweep-run"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery-list"),
    path("deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery-retry"),
    path(
        "deliveries/notices/<int:pk>/retry/",
        views.notice_delivery_retry,
        name="notice-delivery-retry",
    ),
]
