"""Writing to the audit log: one INSERT per event, called by the views that act."""

from django.conf import settings

from .models import Action, AuditEvent

__all__ = ["Action", "client_address", "record"]


def client_address(request):
    """The client's address, read through ``TRUSTED_PROXY_COUNT`` reverse proxies.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    the client is the n-th entry from the right; whatever stands further left was written by the
    client itself and is ignored. With no trusted proxy the header is ignored altogether.
    """
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote  # not through every proxy: the nearest sender is all we know
    return forwarded[-count]


def record(
    action, *, request=None, actor=None, username="", organisation_id=None, obj=None, detail=""
):
    """Append one event. ``actor`` defaults to the request's user; ``obj`` is what it touched."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if actor is not None:
        username = username or actor.get_username()
        if organisation_id is None:
            organisation_id = getattr(actor, "organisation_id", None)
    fields = {}
    if obj is not None:
        fields = {
            "object_type": obj._meta.label_lower,
            "object_id": str(obj.pk or "")[:40],
            "object_repr": str(obj)[:200],
        }
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        username=(username or "")[:150],
        organisation_id=organisation_id,
        address=_valid_address(client_address(request)),
        detail=str(detail)[:500],
        **fields,
    )


def _valid_address(address):
    import ipaddress

    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None
