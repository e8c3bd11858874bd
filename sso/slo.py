"""CAS single logout: the CAS server POSTs a SAML ``logoutRequest`` naming the service ticket
of a session to the service URL (our callback) when the person signs out anywhere.

The request is not signed (CAS has no such thing); the service ticket, known only to the
person's browser, the CAS server and us, is what proves it. django-cas-ng's own handler is not
used: it parses the body with lxml's default parser (entities resolved) and answers a malformed
one with a 500. Here the body is bounded, parsed by expat without any DTD, and an unknown ticket
changes nothing.
"""

import logging
from importlib import import_module
from xml.parsers import expat

from django.conf import settings
from django.db import transaction

from audit.services import Action, record

from .models import CasSession

logger = logging.getLogger(__name__)

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
MAX_REQUEST_CHARS = 16_384


class BadLogoutRequest(Exception):
    pass


def session_indexes(logout_request: str) -> list[str]:
    """The tickets a SAML ``<samlp:LogoutRequest>`` names in its ``<samlp:SessionIndex>``."""
    if not logout_request or len(logout_request) > MAX_REQUEST_CHARS:
        raise BadLogoutRequest
    found, text, inside = [], [], [False]

    def start(tag, attributes):
        if tag == f"{SAMLP} SessionIndex":
            inside[0] = True
            text.clear()

    def end(tag):
        if tag == f"{SAMLP} SessionIndex":
            inside[0] = False
            found.append("".join(text).strip())

    def data(chunk):
        if inside[0]:
            text.append(chunk)

    def refuse(*args):
        raise BadLogoutRequest

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = data
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    try:
        parser.Parse(logout_request.encode("utf-8"), True)
    except expat.ExpatError as error:
        raise BadLogoutRequest from error
    return [ticket for ticket in found if ticket]


@transaction.atomic
def cas_single_logout(*, logout_request: str, request=None) -> int:
    """End the sessions whose tickets the request names; the number ended."""
    tickets = session_indexes(logout_request)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for cas_session in CasSession.objects.filter(ticket__in=tickets).select_related("user"):
        store(session_key=cas_session.session_key).delete()
        CasSession.objects.filter(pk=cas_session.pk).delete()
        record(
            Action.LOGOUT,
            request=request,
            actor=cas_session.user,
            obj=cas_session.user,
            detail="CAS single logout",
        )
        ended += 1
    if tickets and not ended:
        logger.info("CAS single logout for unknown tickets: nothing to end")
    return ended
