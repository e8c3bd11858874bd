"""A small CAS server for the tests: the real protocol (CAS 2 and 3), on a free local port.

``/login?service=…`` signs in ``server.user`` (no form: the test says who is at the keyboard)
and redirects back with a one-time service ticket; ``/serviceValidate`` (CAS 2) and
``/p3/serviceValidate`` (CAS 3) answer the XML a real server does, with attributes. A ticket is
good once, for the service it was issued to, as the protocol requires. ``/logout`` records who
was sent there; ``single_logout`` posts the SAML logoutRequest a real server sends to a service
when the person signs out (CAS protocol 3.0, appendix C).
"""

import secrets
import threading
from urllib.parse import parse_qs, urlencode
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from xml.sax.saxutils import escape

from .slapd import free_port

PEOPLE = {
    "zhangsan": {"cn": "张三", "ou": "基建处", "memberOf": ["chuzhang"]},
    "wangwu": {"cn": "王五", "ou": "党办", "memberOf": ["dangban", "xitong", "anquan"]},
}


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadedServer(WSGIServer):
    daemon_threads = True


class CASServer:
    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/cas/"
        self.user = "zhangsan"
        self.tickets = {}  # ticket -> (user, service)
        self.validated_at = []  # the validation paths asked, in order
        self.logouts = []  # the query of each visit to /logout
        self._server = None

    # -- the protocol ---------------------------------------------------------------------------
    def issue(self, user, service):
        ticket = f"ST-{secrets.token_hex(12)}"
        self.tickets[ticket] = (user, service)
        return ticket

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        if path == "/cas/login":
            service = query.get("service", "")
            ticket = self.issue(self.user, service)
            joiner = "&" if "?" in service else "?"
            start_response("302 Found", [("Location", f"{service}{joiner}ticket={ticket}")])
            return [b""]
        if path == "/cas/logout":
            self.logouts.append(query)
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"logged out"]
        if path in ("/cas/serviceValidate", "/cas/p3/serviceValidate"):
            self.validated_at.append(path)
            body = self._validate(query.get("ticket", ""), query.get("service", ""))
            start_response("200 OK", [("Content-Type", "application/xml; charset=utf-8")])
            return [body.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def _validate(self, ticket, service):
        issued = self.tickets.pop(ticket, None)  # one use, whatever the outcome
        if issued is None:
            return self._failure("INVALID_TICKET", f"Ticket {ticket} not recognized")
        user, issued_for = issued
        if issued_for != service:
            return self._failure("INVALID_SERVICE", "Ticket was issued for another service")
        attributes = []
        for name, values in PEOPLE.get(user, {}).items():
            for value in values if isinstance(values, list) else [values]:
                attributes.append(f"<cas:{name}>{escape(value)}</cas:{name}>")
        return (
            "<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'>"
            "<cas:authenticationSuccess>"
            f"<cas:user>{escape(user)}</cas:user>"
            f"<cas:attributes>{''.join(attributes)}</cas:attributes>"
            "</cas:authenticationSuccess></cas:serviceResponse>"
        )

    @staticmethod
    def _failure(code, message):
        return (
            "<cas:serviceResponse xmlns:cas='http://www.yale.edu/tp/cas'>"
            f"<cas:authenticationFailure code='{code}'>{escape(message)}"
            "</cas:authenticationFailure></cas:serviceResponse>"
        )

    @staticmethod
    def logout_request(ticket, request_id="LR-1"):
        return (
            '<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" '
            f'ID="{request_id}" Version="2.0" IssueInstant="2026-03-01T08:00:00Z">'
            "<saml:NameID>@NOT_USED@</saml:NameID>"
            f"<samlp:SessionIndex>{escape(ticket)}</samlp:SessionIndex>"
            "</samlp:LogoutRequest>"
        )

    def single_logout(self, client, service_path, ticket):
        """Post the logoutRequest to the service, as the server does (no cookies, no token):
        ``client`` is a fresh Django test client standing for the server's HTTP connection."""
        return client.post(service_path, {"logoutRequest": self.logout_request(ticket)})

    # -- running ----------------------------------------------------------------------------------
    def start(self):
        self._server = make_server(
            "127.0.0.1", self.port, self, server_class=_ThreadedServer, handler_class=_QuietHandler
        )
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def login_url(self, service):
        return f"{self.url}login?{urlencode({'service': service})}"
