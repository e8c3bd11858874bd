"""What the reminders are sent to: a local SMTP server and a DingTalk-style group robot.

Both run in a thread of the test process and count what really arrived over the wire, so that
"sent once" is checked on the receiving side and not only in the delivery rows. Either can hold
the next connection (``hold_next``) until the sender goes away: that is where a worker is killed.
"""

import json
import select
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOLD_LIMIT = 20.0


def _peer_gone(sock, stop, limit=HOLD_LIMIT):
    """Wait until the peer closes the connection (True), or ``stop`` is set / the limit (False)."""
    waited = 0.0
    while waited < limit and not stop.is_set():
        readable, _, _ = select.select([sock], [], [], 0.05)
        waited += 0.05
        if readable:
            try:
                if sock.recv(1, socket.MSG_PEEK) == b"":
                    return True
            except OSError:
                return True
    return False


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class _Holding:
    def __init__(self):
        self.lock = threading.Lock()
        self.hold_next = 0
        self.holding = threading.Event()  # set while a connection is being held
        self.release = threading.Event()
        self.abandoned = 0  # held connections the sender dropped

    def take_hold(self):
        with self.lock:
            if self.hold_next:
                self.hold_next -= 1
                return True
            return False

    def hold(self, sock):
        self.holding.set()
        gone = _peer_gone(sock, self.release)
        self.holding.clear()
        if gone:
            with self.lock:
                self.abandoned += 1
        return gone


class SmtpSink(_Holding):
    """Accepts every message (no TLS, no auth) and keeps the raw DATA. A held connection gets
    no greeting: the sender is stuck before any part of the message has left it."""

    def __init__(self):
        super().__init__()
        self.messages = []
        self.connections = 0
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                with sink.lock:
                    sink.connections += 1
                if sink.take_hold() and sink.hold(self.connection):
                    return
                self.say("220 faults-sink ESMTP")
                while line := self.rfile.readline():
                    verb = line[:4].upper()
                    if verb == b"DATA":
                        self.say("354 go ahead")
                        data = b""
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data += chunk
                        with sink.lock:
                            sink.messages.append(data)
                        self.say("250 queued")
                    elif verb == b"QUIT":
                        self.say("221 bye")
                        return
                    else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                        self.say("250 ok")

            def say(self, text):
                self.wfile.write(text.encode() + b"\r\n")

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def recipients(self):
        """The To: header of every message received (each delivery has one address)."""
        found = []
        for data in self.messages:
            for line in data.decode("utf-8", "replace").splitlines():
                if line.lower().startswith("to:"):
                    found.append(line[3:].strip())
        return found

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class Robot(_Holding):
    """A group robot webhook. ``received`` keeps every body that arrived whole; ``answered``
    counts the ones it replied ``errcode: 0`` to. A held request was received (the robot has
    the message) but is never answered; if the sender dies meanwhile it counts as abandoned."""

    def __init__(self):
        super().__init__()
        self.received = []
        self.answered = 0
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with robot.lock:
                    robot.received.append(json.loads(body))
                if robot.take_hold() and robot.hold(self.connection):
                    self.close_connection = True
                    return
                payload = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                with robot.lock:
                    robot.answered += 1

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?access_token=faults"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
