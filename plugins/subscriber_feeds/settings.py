"""Feed settings, checked in one place."""

from dataclasses import dataclass

from wachhund.lib.settings import options, path_part, positive_int

DEFAULTS = {"MAX_ENTRIES": 50, "OUTPUT_DIR": "feeds"}


@dataclass(frozen=True)
class FeedSettings:
    max_entries: int
    output_dir: str


def get_settings(settings: dict) -> FeedSettings:
    name = "SUBSCRIBER_FEEDS_CONFIG"
    raw = options(settings, name, DEFAULTS)
    return FeedSettings(positive_int(f"{name}['MAX_ENTRIES']", raw["MAX_ENTRIES"]),
                        path_part(f"{name}['OUTPUT_DIR']", raw["OUTPUT_DIR"]))
