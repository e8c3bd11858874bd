"""The person's own API tokens: list, create (the token is shown once), revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import services
from .forms import ApiTokenForm
from .models import ApiToken

MAX_ACTIVE_TOKENS = 20


@never_cache
@login_required
def apitoken_list(request):
    tokens = ApiToken.objects.filter(user=request.user)
    created = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
            form.add_error(
                None, _("有效令牌已达 %(n)d 个，请先撤销不用的令牌。") % {"n": MAX_ACTIVE_TOKENS}
            )
        else:
            _token, created = services.apitoken_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_in_days=form.expires_in_days,
            )
            form = ApiTokenForm()
    return render(
        request,
        "api/apitoken_list.html",
        {"tokens": tokens, "form": form, "created": created},
    )


@login_required
@require_POST
def apitoken_revoke(request, pk):
    # Only one's own tokens exist here: another person's token is not found.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.apitoken_revoke(token=token, by=request.user)
    messages.success(
        request, _("已撤销令牌“%(name)s”，使用它的程序将无法再访问。") % {"name": token.name}
    )
    return redirect("tokens:apitoken-list")
