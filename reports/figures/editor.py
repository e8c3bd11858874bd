"""Figures as the office reads them in the editor: ``｛理论中心组学习次数｝``, not a code.

The narrative is stored with tokens (``{{count:theory_study}}``); the editor shows each token
the organisation's catalogue knows as its label in full-width braces, and turns the labels back
into tokens when the form is saved. A token the catalogue does not know (a deleted kind) stays
as typed, and the preview says in words what is wrong with it.
"""

import re

from .catalogue import catalogue
from .markup import TOKEN_RE, Token

LABEL_RE = re.compile(r"｛([^｛｝\n]{1,60})｝")


def token_labels(organisation):
    """{token text: label} for every figure the picker offers the organisation."""
    return {token: label for _group, items in catalogue(organisation) for label, token in items}


def to_editor(text, labels):
    def label(match):
        token = str(Token(match.group(1), match.group(2) or ""))
        return f"｛{labels[token]}｝" if token in labels else match.group(0)

    return TOKEN_RE.sub(label, text or "")


def from_editor(text, labels):
    """(text with tokens, [labels not recognised])."""
    tokens = {label: token for token, label in labels.items()}
    unknown = []

    def token(match):
        name = match.group(1).strip()
        if name in tokens:
            return tokens[name]
        unknown.append(name)
        return match.group(0)

    return LABEL_RE.sub(token, text or ""), unknown
