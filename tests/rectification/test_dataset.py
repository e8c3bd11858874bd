"""The bench dataset generator: the size asked for, valid rows, deterministic."""

from rectification import dataset
from rectification.models import Finding, Measure


def test_generates_about_a_thousand_measures_per_scale(world):
    counts = dataset.generate(scale=0.2, seed=1, context={"organisations": [world.org]})
    assert counts["measures"] == 200
    assert Measure.objects.filter(organisation=world.org).count() == 200
    assert Finding.objects.filter(organisation=world.org).count() == counts["findings"]


def test_generated_mix_has_closed_waiting_and_open(world):
    dataset.generate(scale=0.2, seed=1, context={"organisations": [world.org]})
    states = set(Measure.objects.values_list("state", flat=True))
    assert states == {"open", "in_progress", "closure_requested", "closed"}


def test_same_seed_gives_same_rows(world):
    def rows():
        return list(Measure.objects.order_by("pk").values_list("state", "deadline", "unit_id"))

    dataset.generate(scale=0.05, seed=7, context={"organisations": [world.org]})
    first = rows()
    dataset.generate(scale=0.05, seed=7, context={"organisations": [world.org]})
    assert rows()[len(first) :] == first
