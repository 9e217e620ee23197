"""German dates and numbers: the copied CLDR names must say what Babel says.

Babel is the oracle here (a test dependency); the build formats without it
because any Babel lookup keeps its whole CLDR cache in memory.
"""

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from wachhund.lib.dates import datum, datum_iso, zahl


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_datum_matches_babel(day):
    assert datum(day) == format_date(day, "d. MMMM y", locale="de_DE")
    assert datum(day, "short") == format_date(day, "dd.MM.y", locale="de_DE")


def test_datum_accepts_datetimes_strings_and_nothing():
    assert datum(dt.datetime(2026, 3, 5, 23, 59)) == "5. März 2026"
    assert datum("2026-11-22T10:00:00+01:00") == "22. November 2026"
    assert datum("2026-01-09", "short") == "09.01.2026"
    assert datum(None) == "" and datum("") == ""
    assert datum_iso(dt.datetime(2026, 11, 22, 10, 0, 0, 123)) == "2026-11-22T10:00:00"


@given(st.one_of(
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.decimals(min_value=-10**9, max_value=10**9, allow_nan=False, allow_infinity=False, places=3),
))
def test_zahl_matches_babel(value):
    assert zahl(value) == format_decimal(value, "#,##0.#", locale="de_DE")


def test_zahl_rounds_half_to_even_like_babel():
    assert zahl(1234.5) == "1.234,5"
    assert zahl(0.05) == "0" and zahl(0.15) == "0,2"
    assert zahl(Decimal("2.25")) == "2,2" and zahl(1000000) == "1.000.000"
