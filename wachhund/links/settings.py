"""Link-health settings, read and checked in one place."""

from dataclasses import dataclass
from pathlib import Path

from wachhund.lib.settings import fail, options, path_part, positive_int, project_path, strings, text

DEFAULTS = {
    "STATE_FILE": "data/link-health.jsonl",
    "REPORT_URL": "link-gesundheit/",
    "WATCH": [],  # URLs cited as evidence: show "unverändert seit …"
    "UNCHANGED_AFTER_DAYS": 30,
    "WAYBACK": "https://web.archive.org/web/{date}/{url}",
    "IGNORE_HOSTS": [],  # hosts never checked (e.g. the site itself)
}


@dataclass(frozen=True)
class LinkSettings:
    state_file: Path
    report_url: str
    watch: frozenset
    unchanged_after_days: int
    wayback: str
    ignore_hosts: frozenset


def get_settings(settings: dict, root: Path | None = None) -> LinkSettings:
    raw = options(settings, "LINK_HEALTH", DEFAULTS)
    for key in ("STATE_FILE", "REPORT_URL", "WAYBACK"):
        text(f"LINK_HEALTH['{key}']", raw[key])
    if "{url}" not in raw["WAYBACK"] or "{date}" not in raw["WAYBACK"]:
        fail("LINK_HEALTH['WAYBACK']", "a URL template containing {date} and {url}", raw["WAYBACK"])
    for key in ("WATCH", "IGNORE_HOSTS"):
        strings(f"LINK_HEALTH['{key}']", raw[key])
    positive_int("LINK_HEALTH['UNCHANGED_AFTER_DAYS']", raw["UNCHANGED_AFTER_DAYS"])
    return LinkSettings(
        state_file=project_path(settings, raw["STATE_FILE"], root),
        report_url=path_part("LINK_HEALTH['REPORT_URL']", raw["REPORT_URL"]) + "/",
        watch=frozenset(raw["WATCH"]),
        unchanged_after_days=raw["UNCHANGED_AFTER_DAYS"],
        wayback=raw["WAYBACK"],
        ignore_hosts=frozenset(raw["IGNORE_HOSTS"]),
    )
