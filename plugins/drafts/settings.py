"""The drafts plugin's settings, checked in one place."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

from wachhund.lib.settings import boolean, fail

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
BERLIN = ZoneInfo("Europe/Berlin")


def preview_enabled(settings) -> bool:
    """True for `make html`/`make serve` (drafts rendered for the author), False for `make publish`."""
    return boolean("PREVIEW_UNPUBLISHED", settings.get("PREVIEW_UNPUBLISHED", False))


def cutoff(settings, now=None) -> dt.date:
    """The cut-off day for scheduled posts: the `HEUTE` setting (pelicanconf.py takes it
    from the environment, so `make publish HEUTE=2026-12-24`), or today in Berlin when empty."""
    value = settings.get("HEUTE") or ""
    if value == "":
        return (now or dt.datetime.now(BERLIN)).astimezone(BERLIN).date()
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    fail("HEUTE", "a real day written YYYY-MM-DD (e.g. HEUTE=2026-12-07) or empty for today", value)
