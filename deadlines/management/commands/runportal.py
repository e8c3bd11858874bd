"""`make run`: runserver with a real Celery worker and its beat beside it, stopped together.

The worker runs with ``-B`` (its embedded beat: one process, fine for one machine) over the
broker the settings name (`make run`: kombu's filesystem transport under var/celery), so the
periodic jobs of ``CELERY_BEAT_SCHEDULE`` run at their times without Redis and without a second
command to remember. Ctrl-C stops the server and the worker.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development server with a Celery worker and beat beside it."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-worker", action="store_true", help="runserver only (as before `make run` 2.0)"
        )

    def handle(self, *args, addrport, no_worker=False, **options):
        # runserver's autoreloader runs this command again in a child (RUN_MAIN): one worker only.
        worker = None
        if not no_worker and os.environ.get("RUN_MAIN") != "true":
            worker = self.start_worker()
        try:
            call_command("runserver", addrport)
        finally:
            if worker is not None:
                self.stop(worker)

    def start_worker(self):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write("CELERY_TASK_ALWAYS_EAGER: tasks run in-process, no schedule.")
            return None
        var = Path(settings.BASE_DIR) / "var"
        var.mkdir(exist_ok=True)
        celery = Path(sys.executable).with_name("celery")
        command = [
            str(celery) if celery.exists() else "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "--schedule",
            settings.CELERY_BEAT_SCHEDULE_FILENAME,
            "--pool",
            "solo",
            "--loglevel",
            os.environ.get("CELERY_LOG_LEVEL", "warning"),
            "--without-mingle",
            "--without-gossip",
        ]
        self.stdout.write("Celery worker and beat: " + " ".join(command[1:]))
        return subprocess.Popen(command, cwd=settings.BASE_DIR)  # noqa: S603

    def stop(self, worker):
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
