from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render

from ..selectors import visible_measures


def scoped_measure(request, pk, queryset=None):
    """The measure if the user may read it (else 404)."""
    return get_object_or_404(visible_measures(request.scope, queryset), pk=pk)


def refusal_messages(error):
    if isinstance(error, ValidationError):
        return error.messages
    if isinstance(error, PermissionDenied) and error.args:
        return [str(error.args[0])]
    return []


def back(request, fallback):
    """Redirect to the page the form was posted from when it is one of ours."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)


def flash_errors(request, form):
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


def forbidden(request, message):
    """A 403 that says why, in the portal's layout (the state was not touched)."""
    return render(request, "rectification/forbidden.html", {"message": message}, status=403)
