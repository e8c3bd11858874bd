"""The only URL fetcher the report's WeasyPrint ever uses: local fonts and static files.

Narrative text is escaped before it reaches the HTML, so a typed ``<img src=...>`` is text; this
fetcher is the second wall: anything that still asks for a resource outside the portal's own
static files and font folders (``file:///etc/passwd``, ``http://127.0.0.1/…``) is refused and
nothing is read or requested.
"""

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .fonts import allowed_font_roots

logger = logging.getLogger(__name__)

MIME = {
    ".css": "text/css",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".ttc": "font/collection",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


class RefusedURL(ValueError):
    pass


class LocalOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.refused = []

    def allowed_roots(self):
        roots = [Path(p).resolve() for p in getattr(settings, "STATICFILES_DIRS", [])]
        if settings.STATIC_ROOT:
            roots.append(Path(settings.STATIC_ROOT).resolve())
        return [*roots, *allowed_font_roots()]

    def resolve(self, url):
        parsed = urlparse(url)
        if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in self.allowed_roots()) and path.is_file():
                return path
        elif parsed.scheme == "static":
            found = finders.find(unquote(parsed.path).lstrip("/"))
            if found:
                return Path(found)
        return None

    def fetch(self, url, headers=None):
        path = self.resolve(url)
        if path is None:
            self.refused.append(url)
            logger.warning("Report PDF: refused to fetch %s", url[:200])
            raise RefusedURL(f"refused: {url[:200]}")
        return URLFetcherResponse(
            path.as_uri(),
            body=path.read_bytes(),
            headers={"Content-Type": MIME.get(path.suffix.lower(), "application/octet-stream")},
        )
