"""Error pages in Chinese, rendered with the portal's layout."""

from django.http import HttpResponseBadRequest, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    # A request Django refused before any view ran (too many files or fields, a malformed
    # body): a bare page, since the request itself may be what is broken.
    return HttpResponseBadRequest(loader.get_template("errors/400.html").render())


def not_found(request, exception=None):
    response = render(request, "errors/404.html", status=404)
    response.portal_error_page = True
    return response


def forbidden(request, exception=None):
    return render(request, "errors/403.html", status=403)


def server_error(request):
    # A bare template with no context processors: the database may be why we are here.
    response = HttpResponseServerError(loader.get_template("errors/500.html").render())
    response.portal_error_page = True
    return response


def csrf_failure(request, reason=""):
    """A form posted without a valid token (often: the page was open too long)."""
    return render(request, "errors/403_csrf.html", status=403)
