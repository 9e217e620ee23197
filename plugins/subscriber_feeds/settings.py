"""Feed settings, checked in one place."""

from dataclasses import dataclass

DEFAULTS = {"MAX_ENTRIES": 50, "OUTPUT_DIR": "feeds", "STYLESHEET": "theme/feed.xsl", "CORRECTIONS_URL": "korrekturen/"}


@dataclass(frozen=True)
class FeedSettings:
    max_entries: int
    output_dir: str
    stylesheet: str
    corrections_url: str  # the page listing every correction, e.g. "korrekturen/"


def get_settings(settings: dict) -> FeedSettings:
    raw = {**DEFAULTS, **(settings.get("SUBSCRIBER_FEEDS_CONFIG") or {})}
    unknown = set(raw) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"SUBSCRIBER_FEEDS_CONFIG: unknown setting(s) {', '.join(sorted(unknown))}")
    if not isinstance(raw["MAX_ENTRIES"], int) or raw["MAX_ENTRIES"] < 1:
        raise ValueError("SUBSCRIBER_FEEDS_CONFIG['MAX_ENTRIES'] must be a positive number")
    for key in ("OUTPUT_DIR", "STYLESHEET", "CORRECTIONS_URL"):
        if not isinstance(raw[key], str) or not raw[key].strip("/"):
            raise ValueError(f"SUBSCRIBER_FEEDS_CONFIG['{key}'] must be a path")
    return FeedSettings(raw["MAX_ENTRIES"], raw["OUTPUT_DIR"].strip("/"), raw["STYLESHEET"].strip("/"),
                        raw["CORRECTIONS_URL"].strip("/") + "/")
