"""The annual report as a PDF laid out per GB/T 9704-2012 (see static/css/report-pdf.css)."""

from .render import render_pdf, report_html

__all__ = ["render_pdf", "report_html"]
