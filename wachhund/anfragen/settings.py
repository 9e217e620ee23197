"""ANFRAGEN settings, read and checked in one place (the plugin and the command share them)."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from wachhund.lib.net import is_http_url
from wachhund.lib.settings import fail, options, path_part, project_path, text

DEFAULTS = {
    "DATA_DIR": "data/anfragen",
    "OUTPUT_DIR": "anfragen",
    # The froide instance the questions link to (froide also runs e.g. https://fragdenstaat.at).
    "FRAGDENSTAAT_URL": "https://fragdenstaat.de",
}


@dataclass(frozen=True)
class AnfragenSettings:
    data_dir: Path
    output_dir: str
    fragdenstaat_url: str  # without trailing slash


def instance_base(label: str, value) -> str:
    """An instance's base URL: http(s), a host, no path, query or fragment."""
    text(label, value)
    base = value.rstrip("/")
    parts = urlsplit(base)
    if not is_http_url(base) or parts.path or parts.query or parts.fragment:
        fail(label, "the base URL of a froide instance, e.g. 'https://fragdenstaat.de'", value)
    return base


def get_settings(settings: dict, root: Path | None = None) -> AnfragenSettings:
    raw = options(settings, "ANFRAGEN", DEFAULTS)
    return AnfragenSettings(
        data_dir=project_path(settings, text("ANFRAGEN['DATA_DIR']", raw["DATA_DIR"]), root),
        output_dir=path_part("ANFRAGEN['OUTPUT_DIR']", raw["OUTPUT_DIR"]),
        fragdenstaat_url=instance_base("ANFRAGEN['FRAGDENSTAAT_URL']", raw["FRAGDENSTAAT_URL"]),
    )
