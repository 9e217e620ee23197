"""Jinja filters: ``{{ article.date|datum }}`` and friends."""

import datetime as dt
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal
from pelican import signals

LOCALE = "de_DE"


def datum(value, style="long"):
    """22. November 2026 (long) or 22.11.2026 (short)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    return _format(value, style)


@lru_cache(maxsize=8192)
def _format(value: dt.date, style: str) -> str:
    # Babel is thorough but slow (~50 µs a call); a site shows few distinct dates.
    pattern = "d. MMMM y" if style == "long" else "dd.MM.y"
    return format_date(value, pattern, locale=LOCALE)


def datum_iso(value):
    """ISO 8601 for <time datetime> and JSON-LD."""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def zahl(value, fmt="#,##0.#"):
    """German number formatting: 1.234,5."""
    return format_decimal(value, fmt, locale=LOCALE)


def add_filters(pelican):
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(
        {"datum": datum, "datum_iso": datum_iso, "zahl": zahl}
    )


def register():
    signals.initialized.connect(add_filters)
