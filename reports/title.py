"""Break a long document title between words, laid out symmetrically (GB/T 9704 §7.3.3).

A title of more than one line must break where the meaning allows (never "全面从严治 / 党") and
its lines must make a trapezoid (梯形) or a diamond (菱形) once centred. There is no Chinese
word segmenter among our dependencies, and a report title is a narrow language: the words that
recur in it are listed here, the organisation's own name is kept whole, a run of digits with its
"年" / "年度" is one word, and a break anywhere else costs a lot more than a break at a word
boundary, so it is taken only when nothing else fits.
"""

from itertools import combinations

# Words of report titles that must stay whole, longest first when matched.
LEXICON = (
    "全面从严治党",
    "党风廉政建设",
    "反腐败工作",
    "主体责任",
    "落实情况",
    "工作情况",
    "监督责任",
    "责任制",
    "关于",
    "年度",
    "报告",
    "情况",
    "工作",
    "落实",
    "中共",
)
WIDTH = 20  # 2号 (22 pt) characters on a 156 mm line
BREAK_BEFORE = ("关于",)  # the most natural places: before "关于", after the body's name


def _width(text):
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def words(title, keep=()):
    """``title`` cut into words: listed words, ``keep`` names and digit runs stay whole."""
    vocabulary = sorted({w for w in (*keep, *LEXICON) if w}, key=len, reverse=True)
    out, i = [], 0
    while i < len(title):
        if title[i].isdigit():
            j = i
            while j < len(title) and title[j].isdigit():
                j += 1
            for suffix in ("年度", "年"):
                if title.startswith(suffix, j):
                    j += len(suffix)
                    break
            out.append((title[i:j], True))
            i = j
            continue
        for word in vocabulary:
            if title.startswith(word, i):
                out.append((word, True))
                i += len(word)
                break
        else:
            out.append((title[i], False))
            i += 1
    return out


def _cost(pieces, boundaries, cut, width):
    lines, start = [], 0
    for end in (*cut, len(pieces)):
        lines.append("".join(p for p, _known in pieces[start:end]))
        start = end
    widths = [_width(line) for line in lines]
    if max(widths) > width:
        return None, lines
    cost = sum(boundaries[c] for c in cut)
    cost += (max(widths) - min(widths)) * 2
    if len(widths) >= 3:
        inner = widths[1:-1]
        trapezoid = widths == sorted(widths) or widths == sorted(widths, reverse=True)
        diamond = min(inner) >= max(widths[0], widths[-1])
        if not (trapezoid or diamond):
            cost += 40
    return cost, lines


def title_lines(title, *, keep=(), width=WIDTH):
    """The title's lines: one when it fits, else the cheapest symmetric break between words."""
    title = (title or "").strip()
    keep = [name for name in keep if name and _width(name) <= width]
    if _width(title) <= width:
        return [title] if title else []
    pieces = words(title, keep)
    # the cost of breaking before piece i
    boundaries = {}
    for i in range(1, len(pieces)):
        (before, known_before), (after, known_after) = pieces[i - 1], pieces[i]
        # 0 between two known words, 3 beside one, 30 inside an unknown word
        cost = (0 if known_before and known_after else 3) if known_before or known_after else 30
        if after in BREAK_BEFORE or before in keep:
            cost -= 2
        boundaries[i] = cost
    first = max(2, -int(-_width(title) // width))  # ceil: fewer lines cannot hold it
    if first > 3:  # a title this long is rare; fill lines word by word rather than search
        return _greedy(pieces, boundaries, width)
    for count in range(first, 4):
        best = None
        for cut in combinations(range(1, len(pieces)), count - 1):
            cost, lines = _cost(pieces, boundaries, cut, width)
            if cost is not None and (best is None or cost < best[0]):
                best = (cost, lines)
        if best is not None:
            return best[1]
    return _greedy(pieces, boundaries, width)


def _greedy(pieces, boundaries, width):
    """Lines filled word by word, breaking at the cheapest boundary that still fits."""
    lines, line, cheap = [], "", None
    for index, (piece, _known) in enumerate(pieces):
        if line and _width(line + piece) > width:
            if cheap is not None and boundaries.get(cheap[0], 99) < 30:
                head, tail = line[: cheap[1]], line[cheap[1] :]
                lines.append(head)
                line = tail
            else:
                lines.append(line)
                line = ""
            cheap = None
        if line and boundaries.get(index, 99) < 30:
            cheap = (index, len(line))
        line += piece
    if line:
        lines.append(line)
    return lines
