"""core.forms.LongSelect: hundreds of options written out in Python, the same markup as Django's own
Select (whose per-option templates cost 27 ms for a province's units on every review-queue view)."""

import re

from django import forms
from hypothesis import given
from hypothesis import strategies as st

from core.forms import LongSelect


def squeezed(html):
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


labels = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@given(labels=st.lists(labels, min_size=1, max_size=30), pick=st.integers(min_value=-1, max_value=40))
def test_same_markup_as_djangos_select(labels, pick):
    choices = [("", "全部单位")] + [(index + 1, label) for index, label in enumerate(labels)]
    value = str(pick) if pick >= 0 else None
    attrs = {"class": "form-select", "id": "id_unit"}
    mine = LongSelect(choices=choices).render("unit", value, attrs=attrs)
    django = forms.Select(choices=choices).render("unit", value, attrs=attrs)
    assert squeezed(mine) == squeezed(django)


def test_escapes_and_marks_the_chosen_one():
    html = LongSelect(choices=[("", "全部"), (7, "<b>甲&乙</b>")]).render("unit", "7")
    assert '<option value="7" selected>&lt;b&gt;甲&amp;乙&lt;/b&gt;</option>' in html


def test_grouped_choices_go_djangos_way():
    choices = [("杭州市", [(1, "西湖区"), (2, "上城区")])]
    assert squeezed(LongSelect(choices=choices).render("unit", "2")) == squeezed(forms.Select(choices=choices).render("unit", "2"))
