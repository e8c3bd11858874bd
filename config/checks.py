"""`python -m config.checks`: say in one line whether PostgreSQL and Redis answer.

`make test` runs this first, so that a stopped service is reported plainly instead of as a
stack trace from the middle of the test run.
"""

import socket
import sys
from urllib.parse import urlsplit

from .settings.env import env


def _reachable(url: str, default_port: int) -> tuple[bool, str]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    try:
        with socket.create_connection((host, port), timeout=2):
            return True, f"{host}:{port}"
    except OSError as error:
        return False, f"{host}:{port} ({error.strerror or error})"


def main() -> int:
    checks = [
        (
            "PostgreSQL",
            env.str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal"),
            5432,
            "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
        ),
        (
            "Redis",
            env.str("REDIS_URL", "redis://127.0.0.1:6379/0"),
            6379,
            'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
        ),
    ]
    failed = False
    for name, url, port, hint in checks:
        ok, where = _reachable(url, port)
        if not ok:
            failed = True
            print(f"{name} is not reachable at {where}; start it with: {hint}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
