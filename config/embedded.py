"""The broker of the embedded run (`make run`): kombu's filesystem transport under var/.

No Redis and no extra package: the real Celery worker and beat (``manage.py runportal``) pass
messages as files, so development runs the same tasks, schedule and claim-once code as
production.
"""

from pathlib import Path


def filesystem_broker(folder):
    """Transport options for ``filesystem://`` with its folders under ``folder`` (created)."""
    folder = Path(folder)
    queue, control = folder / "queue", folder / "control"
    for path in (queue, control):
        path.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(control),
        "store_processed": False,
    }


# SQLite under the embedded run: the worker writes while the web process does. Wait for the lock
# instead of failing, and take it at the start of a transaction so that two writers never
# deadlock on an upgrade from read to write; WAL lets readers go on while one writes.
SQLITE_OPTIONS = {
    "timeout": 20,
    "transaction_mode": "IMMEDIATE",
    "init_command": "PRAGMA journal_mode=WAL;",
}
