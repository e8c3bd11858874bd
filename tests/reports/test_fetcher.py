"""The report's URL fetcher serves the portal's own static files and fonts, nothing else."""

import pytest

from reports.pdf.fetcher import LocalOnlyFetcher, RefusedURL
from reports.pdf.fonts import FANDOL_FANG


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/admin/",
        "https://example.org/font.otf",
        "file://otherhost/usr/share/fonts/x.ttf",
        "file:///usr/share/fonts/../../../etc/passwd",
        "data:text/plain,hello",
    ],
)
def test_it_refuses_anything_outside_static_and_fonts(url):
    fetcher = LocalOnlyFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_it_serves_a_font_file():
    response = LocalOnlyFetcher().fetch(FANDOL_FANG.as_uri())
    assert response.read(4) == b"OTTO"


def test_it_serves_the_portal_static_files():
    response = LocalOnlyFetcher().fetch("static:///css/report-pdf.css")
    assert b"@page" in response.read()


def test_weasyprint_asks_it_and_gets_nothing_from_outside():
    from weasyprint import HTML

    fetcher = LocalOnlyFetcher()
    html = '<img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd">'
    HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert fetcher.refused == ["http://127.0.0.1:9/x.png", "file:///etc/passwd"]
