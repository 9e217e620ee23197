"""The drafts plugin's settings, checked in one place."""

from wachhund.lib.settings import boolean
from wachhund.lib.settings import cutoff_day as cutoff  # noqa: F401 - the plugin's name for it (schedule.py)


def preview_enabled(settings) -> bool:
    """True for `make html`/`make serve` (drafts rendered for the author), False for `make publish`."""
    return boolean("PREVIEW_UNPUBLISHED", settings.get("PREVIEW_UNPUBLISHED", False))
