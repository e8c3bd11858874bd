from celery import shared_task

from .services import export_render


@shared_task
def render_export(export_id):
    """Render a large report's PDF in the background; the page polls the export's progress."""
    export_render(export_id)
