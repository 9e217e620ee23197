"""German dates and numbers: ``datum``, ``datum_iso``, ``zahl`` (the templates' filters,
registered by plugins/german_dates).

The German names and symbols below are CLDR's (``de_DE``), the data Babel
ships; tests/lib/test_german_dates.py checks every one of them against Babel.
They are copied rather than looked up because any Babel lookup loads and keeps
its whole CLDR cache for the build: 3.4 MiB, a fifth of what the plugins add
to a 1,000-post build's memory.
"""

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal


MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)
SYMBOLS = str.maketrans({",": ".", ".": ","})  # CLDR de: group ".", decimal ","


def datum(value, style="long"):
    """22. November 2026 (long, CLDR "d. MMMM y") or 22.11.2026 (short, "dd.MM.y")."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if style == "long":
        return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def datum_iso(value):
    """ISO 8601 for <time datetime> and JSON-LD."""
    return value.isoformat(timespec="seconds") if isinstance(value, dt.datetime) else value.isoformat()


def zahl(value):
    """German number formatting (CLDR "#,##0.#", rounded half to even like Babel): 1.234,5."""
    number = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    return f"{number:,.1f}".removesuffix(".0").translate(SYMBOLS)

