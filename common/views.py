"""Error pages in Chinese, rendered with the portal's layout."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    # A bare template with no context processors: the database may be why we are here.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def csrf_failure(request, reason=""):
    """A form posted without a valid token (often: the page was open too long)."""
    return render(request, "errors/403_csrf.html", status=403)
