from django.contrib.auth import views as auth_views
from django.urls import path

from audit.services import Action, record

from .forms import LoginForm, PortalPasswordChangeForm


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PortalPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        record(Action.PASSWORD_CHANGED, request=self.request, obj=self.request.user)
        return response


urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    # logout/ is config/urls.py's: sso's view, which also signs a CAS person out of CAS.
    path(
        "password/",
        PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
]
