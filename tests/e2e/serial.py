"""One request at a time for the live server of the SQLite run (config.settings.test_sqlite).

The SQLite test database lives in memory, and Django shares its one connection between the live
server's threads and the test's own thread (Django's LiveServerTestCase documentation: "prevent
simultaneous database queries via this shared connection"). Two browser pages polling their bells
while a third request runs would interleave their transactions' savepoints on that connection.
So every request of that run holds ``LOCK``, and a test that reads the database itself while
pages are open and polling holds it too (``with serial.LOCK:``). PostgreSQL runs need neither.
"""

import threading

LOCK = threading.RLock()


class OneRequestAtATimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with LOCK:
            return self.get_response(request)
