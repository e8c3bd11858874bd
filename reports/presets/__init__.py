"""Outline presets taken from the two seed reports (shared/seeds), with figures bound.

Each preset is a list of ``(level, heading, template_text)``; level 0 is a paragraph without a
heading (the opening and the closing), 1 a "一、" heading, 2 a "（一）" sub-item. The template
text is the seed report's wording with every hand-counted "X" replaced by a figure token.
"""

from django.utils.translation import gettext_lazy as _

from .cjhd2023 import SECTIONS as SECTIONS_2023
from .sw2021 import SECTIONS as SECTIONS_2021

PRESETS = {
    "seven_areas": (_("七个方面（2021年报告体例）"), SECTIONS_2021),
    "three_parts": (_("认识·做法·举措（2023年报告体例）"), SECTIONS_2023),
}


def choices():
    return [(key, label) for key, (label, _sections) in PRESETS.items()]
