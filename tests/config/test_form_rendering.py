"""The project's faster renderings of check boxes and radio buttons write what crispy-bootstrap5's
own template writes (common/form_rendering.py check_options)."""

import re
from pathlib import Path

import crispy_bootstrap5
import pytest
from crispy_forms.utils import render_crispy_form
from django import forms
from django.template import engines

STOCK = Path(crispy_bootstrap5.__file__).parent / "templates/bootstrap5/layout"
CHOICES = [("1", "整改措施 <一>"), ("2", "措施「二」&"), ("3", "三")]
GROUPED = [("处室", [("a", "财务处"), ("b", "工程处")]), ("其他", [("c", "党办")])]


class ChoiceForm(forms.Form):
    measures = forms.MultipleChoiceField(
        label="措施", choices=CHOICES, widget=forms.CheckboxSelectMultiple, help_text="可多选"
    )
    kind = forms.ChoiceField(label="类型", choices=GROUPED, widget=forms.RadioSelect)


def squeezed(html):
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def stock_rendering(form, monkeypatch):
    """The form as crispy-bootstrap5's own radio_checkbox_select.html renders it."""
    engine = engines["django"].engine
    stock = engine.from_string((STOCK / "radio_checkbox_select.html").read_text())
    original = engine.get_template

    def get_template(name):
        if name == "bootstrap5/layout/radio_checkbox_select.html":
            return stock
        return original(name)

    monkeypatch.setattr(engine, "get_template", get_template)
    try:
        return render_crispy_form(form)
    finally:
        monkeypatch.setattr(engine, "get_template", original)


@pytest.mark.parametrize(
    "data",
    [None, {"measures": ["1", "3"], "kind": "b"}, {"kind": "zz"}],
    ids=["unbound", "chosen", "with-errors"],
)
def test_check_boxes_and_radios_render_as_crispy_renders_them(data, monkeypatch):
    form = ChoiceForm(data)
    if data is not None:
        form.is_valid()
    ours = render_crispy_form(form)
    assert "check_options" not in ours
    assert 'value="1"' in ours and "整改措施 &lt;一&gt;" in ours
    assert squeezed(ours) == squeezed(stock_rendering(form, monkeypatch))
