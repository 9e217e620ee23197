"""Feed settings, checked in one place."""

from dataclasses import dataclass

from wachhund.lib.settings import options, path_part, positive_int

DEFAULTS = {"MAX_ENTRIES": 50, "OUTPUT_DIR": "feeds", "STYLESHEET": "theme/feed.xsl"}


@dataclass(frozen=True)
class FeedSettings:
    max_entries: int
    output_dir: str
    stylesheet: str


def get_settings(settings: dict) -> FeedSettings:
    name = "SUBSCRIBER_FEEDS_CONFIG"
    raw = options(settings, name, DEFAULTS)
    paths = {key: path_part(f"{name}['{key}']", raw[key]) for key in ("OUTPUT_DIR", "STYLESHEET")}
    return FeedSettings(positive_int(f"{name}['MAX_ENTRIES']", raw["MAX_ENTRIES"]), paths["OUTPUT_DIR"], paths["STYLESHEET"])
