"""OZG model on made-up fixture data (tests/fixtures/ozg): the current status and the summary counts."""

import datetime as dt
from pathlib import Path

import pytest

from wachhund.ozg.schema import load_model

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ozg"


@pytest.fixture(scope="module")
def model():
    return load_model(FIXTURES, FIXTURES.parent.parent.parent)


def test_current_status_is_latest_observation(model):
    rows = {s.ozg_id: s for s in model.statuses("teststadt")}
    assert rows[10000].reifegrad == 3 and rows[10000].online is True
    assert rows[10001].nur_terminbuchung is True and rows[10001].online is None
    assert rows[10023].known is False  # no observation -> keine Angabe, never invented
    earlier = {s.ozg_id: s for s in model.statuses("teststadt", dt.date(2025, 2, 1))}
    assert earlier[10000].reifegrad == 1


def test_summary_counts(model):
    s = model.summary("teststadt")
    assert s["gesamt"] == 5
    assert s["reifegrad_3_plus"] == 2  # 10000 (3) and 10173 (4)
    assert s["nur_terminbuchung"] == 1
    assert s["keine_angabe"] == 2
    assert s["ohne_ozg_zuordnung"] == 1
    assert s["stand"] == dt.date(2025, 6, 1)
    assert [h["reifegrad_3_plus"] for h in model.history("teststadt")] == [0, 1, 2]
