"""Fonts for the GB/T 9704 layout, registered with @font-face from local files only.

Each role has a stack. An office's own licensed fonts come first: put them in
``settings.REPORT_FONT_DIR`` (default ``var/fonts/``) named after the role they fill —
``title.*`` (方正小标宋), ``body.*`` (仿宋_GB2312), ``heading.*`` (黑体), ``subheading.*`` (楷体),
``number.*`` (宋体, page numbers) — with extension .otf, .ttf or .ttc.

The free stand-ins: Noto Serif CJK SC (title and numbers), FandolFang (body), Noto Sans CJK SC
(headings), AR PL KaitiM GB (sub-headings). AR PL UKai and LXGW WenKai are deliberately absent:
they fail to subset and would embed the whole font (DOMAIN.md).
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

FANDOL_FANG = Path(
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf"
)
GKAI = Path("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf")
SYSTEM_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/share/texlive/texmf-dist/fonts/opentype"))
FONT_SUFFIXES = (".otf", ".ttf", ".ttc")


@dataclass(frozen=True)
class Face:
    family: str  # the name used in the stylesheet
    src: str  # a CSS src value: url("file://...") or local("...")


# role -> the free faces, in order of preference
FREE_FACES = {
    "title": [],  # Noto Serif CJK SC, installed: named in FALLBACK, no copy needed
    "body": [Face("Report Body", f'url("{FANDOL_FANG.as_uri()}")')],
    "heading": [],  # Noto Sans CJK SC, installed
    "subheading": [Face("Report Subheading", f'url("{GKAI.as_uri()}")')],
    "number": [],
}
# The end of each stack: installed families that fontconfig finds by name. The Noto CJK fonts
# are not given @font-face rules: WeasyPrint would copy the whole 20 MB collection for each
# document (local() reads the file through the fetcher) only to find the same face again.
FALLBACK = {
    "title": '"Noto Serif CJK SC", serif',
    "body": '"Noto Serif CJK SC", serif',
    "heading": '"Noto Sans CJK SC", sans-serif',
    "subheading": '"Noto Serif CJK SC", serif',
    "number": '"Noto Serif CJK SC", serif',
}


def font_dir():
    return Path(getattr(settings, "REPORT_FONT_DIR", settings.BASE_DIR / "var" / "fonts"))


def office_faces():
    """The office's own fonts found in REPORT_FONT_DIR, by role."""
    directory = font_dir()
    found = {}
    if not directory.is_dir():
        return found
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() in FONT_SUFFIXES and path.stem in FREE_FACES:
            found[path.stem] = Face(
                f"Office {path.stem.title()}", f'url("{path.resolve().as_uri()}")'
            )
    return found


def font_css():
    """@font-face rules and the font stack of each role, the office's fonts first."""
    office = office_faces()
    rules, stacks = [], {}
    for role, faces in FREE_FACES.items():
        chosen = ([office[role]] if role in office else []) + faces
        for face in chosen:
            rules.append(f'@font-face {{ font-family: "{face.family}"; src: {face.src}; }}')
        families = "".join(f'"{face.family}", ' for face in chosen)
        stacks[role] = f"font-family: {families}{FALLBACK[role]}"
    rules += [f".font-{role} {{ {stack}; }}" for role, stack in stacks.items()]
    rules.append(f"body {{ {stacks['body']}; }}")
    rules.append(f"@page :right {{ @bottom-right {{ {stacks['number']}; }} }}")
    rules.append(f"@page :left {{ @bottom-left {{ {stacks['number']}; }} }}")
    rules.append(f"@page landscape:right {{ @left-bottom {{ {stacks['number']}; }} }}")
    rules.append(f"@page landscape:left {{ @left-top {{ {stacks['number']}; }} }}")
    return "\n".join(rules)


def allowed_font_roots():
    return (font_dir().resolve(), *SYSTEM_FONT_DIRS)
