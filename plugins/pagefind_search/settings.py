"""Search settings, read and checked in one place."""

import os
from dataclasses import dataclass


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class SearchSettings:
    enabled: bool
    section_size: int  # posts per search bundle (Pagefind's memory grows with it)
    jobs: int  # Pagefind runs at a time


def get_settings(settings: dict) -> SearchSettings:
    enabled = settings.get("PAGEFIND", True)
    size = settings.get("PAGEFIND_SECTION_SIZE", 500)
    jobs = settings.get("PAGEFIND_JOBS", min(2, os.cpu_count() or 1))
    if not isinstance(enabled, bool):
        raise SettingsError("PAGEFIND must be True or False")
    for name, value in (("PAGEFIND_SECTION_SIZE", size), ("PAGEFIND_JOBS", jobs)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise SettingsError(f"{name} must be a positive whole number, got {value!r}")
    return SearchSettings(enabled=enabled, section_size=size, jobs=jobs)
