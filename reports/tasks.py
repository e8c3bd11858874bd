from celery import shared_task
from django.core.management import call_command

from .services import export_render


@shared_task
def render_export(export_id):
    """Render a large report's PDF in the background; the page polls the export's progress."""
    export_render(export_id)


@shared_task
def remove_orphan_evidence():
    """The nightly sweep of evidence files no row names (see ``evidence_orphans``)."""
    call_command("evidence_orphans", delete=True, verbosity=0)
