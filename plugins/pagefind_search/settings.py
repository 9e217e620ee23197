"""Search settings, read and checked in one place."""

import os
from dataclasses import dataclass

from wachhund.lib.settings import boolean, positive_int


@dataclass(frozen=True)
class SearchSettings:
    enabled: bool
    section_size: int  # posts per search bundle (Pagefind's memory grows with it)
    jobs: int  # Pagefind runs at a time


def get_settings(settings: dict) -> SearchSettings:
    return SearchSettings(
        enabled=boolean("PAGEFIND", settings.get("PAGEFIND", True)),
        section_size=positive_int("PAGEFIND_SECTION_SIZE", settings.get("PAGEFIND_SECTION_SIZE", 500)),
        jobs=positive_int("PAGEFIND_JOBS", settings.get("PAGEFIND_JOBS", min(2, os.cpu_count() or 1))),
    )
