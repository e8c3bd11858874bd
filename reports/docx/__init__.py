"""The annual report as an editable Word document laid out per GB/T 9704-2012."""

from .render import DOCX_MIME, render_docx

__all__ = ["DOCX_MIME", "render_docx"]
