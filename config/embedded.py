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
