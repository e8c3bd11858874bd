"""Reminder fixtures: fake watchers for the machinery, a real Celery worker, a fake group robot."""

import contextlib
import json
import os
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery_app import app as celery_app
from deadlines import ladder, watchers
from deadlines.watchers import Item
from notices.models import Level
from tests.rectification.conftest import rect  # noqa: F401 - the fixture, for these tests too

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_items(monkeypatch):
    """Replace the watchers with a list the test fills: ``fake_items.append(item(...))``.

    The thresholds are fixed too, so these tests exercise digests and deliveries only.
    """
    found = []
    monkeypatch.setattr(watchers, "WATCHERS", (lambda ctx: iter(list(found)),))
    monkeypatch.setattr(
        ladder,
        "warning_thresholds",
        lambda ids: {pk: ladder.Thresholds(20, 10) for pk in ids},
    )
    return found


def item(org, pk, level=Level.RED, recipients=(), urgency=1, kind="measure"):
    return Item(
        key=f"{kind}:{pk}",
        organisation_id=getattr(org, "pk", org),
        level=level,
        urgency=urgency,
        text=f"测试事项{pk}",
        link=f"/r/measures/{pk}/",
        recipients=tuple(getattr(r, "pk", r) for r in recipients),
    )


@pytest.fixture
def redis_db():
    """This helper's own Redis database, emptied so that no earlier test's messages linger."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def _worker_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("CELERY_")}
    db = connection.settings_dict
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=(
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        ),
        REDIS_URL=settings.REDIS_URL,
        CELERY_BROKER_URL=settings.REDIS_URL,
    )
    return env


@pytest.fixture
def celery_worker(transactional_db, redis_db, tmp_path):
    """A real worker process on this helper's Redis db, reading the test database."""
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=_worker_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while "ready" not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition, timeout=30):
    """Poll until ``condition()`` is true (the worker is another process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


class Robot:
    """A fake DingTalk/WeCom group robot on a local port, recording what it is sent."""

    def __init__(self):
        self.received = []
        self.answer = {"errcode": 0, "errmsg": "ok"}
        self.status = 200
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.received.append(json.loads(body))
                payload = json.dumps(robot.answer).encode()
                self.send_response(robot.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/robot/send?access_token=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    r = Robot()
    yield r
    r.close()


@contextlib.contextmanager
def broker_at(url):
    """Point this process's Celery app at another broker (e.g. a port where nothing listens)."""
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.conf.broker_url = original
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


DEAD_BROKER = "redis://127.0.0.1:6390/0"


__all__ = ["DEAD_BROKER", "broker_at", "item", "wait_for"]
