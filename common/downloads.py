"""Download names: in Chinese for the people who file them, readable by every browser.

``filename*=UTF-8''…`` (RFC 5987 / RFC 6266) carries the Chinese name; the plain ``filename=``
is an ASCII fallback for the rare client that cannot read the former.
"""

import re
from urllib.parse import quote

# Characters Windows refuses in a file name, and control characters.
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
ASCII_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
LONGEST = 120  # characters before the extension: what Windows Explorer still shows whole


def safe_name(name: str) -> str:
    name = UNSAFE.sub("_", name).strip(" .")
    return name[:LONGEST] or "download"


def content_disposition(name: str, fallback: str, *, inline=False) -> str:
    """The header value for a file called ``name`` (with its extension)."""
    stem, dot, extension = name.rpartition(".")
    name = f"{safe_name(stem)}.{extension}" if dot else safe_name(name)
    fallback = ASCII_UNSAFE.sub("-", fallback).strip("-.") or "download"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
