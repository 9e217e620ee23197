"""Link-health settings, read and checked in one place."""

from dataclasses import dataclass
from pathlib import Path

DEFAULTS = {
    "STATE_FILE": "data/link-health.yaml",
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


class SettingsError(ValueError):
    pass


def get_settings(settings: dict, root: Path | None = None) -> LinkSettings:
    raw = {**DEFAULTS, **(settings.get("LINK_HEALTH") or {})}
    unknown = set(raw) - set(DEFAULTS)
    if unknown:
        raise SettingsError(f"LINK_HEALTH: unknown setting(s) {', '.join(sorted(unknown))}")
    for key in ("STATE_FILE", "REPORT_URL", "WAYBACK"):
        if not isinstance(raw[key], str) or not raw[key]:
            raise SettingsError(f"LINK_HEALTH['{key}'] must be a non-empty string")
    if "{url}" not in raw["WAYBACK"] or "{date}" not in raw["WAYBACK"]:
        raise SettingsError("LINK_HEALTH['WAYBACK'] must contain {date} and {url}")
    for key in ("WATCH", "IGNORE_HOSTS"):
        if not isinstance(raw[key], (list, tuple)) or not all(isinstance(v, str) for v in raw[key]):
            raise SettingsError(f"LINK_HEALTH['{key}'] must be a list of strings")
    if not isinstance(raw["UNCHANGED_AFTER_DAYS"], int) or raw["UNCHANGED_AFTER_DAYS"] < 1:
        raise SettingsError("LINK_HEALTH['UNCHANGED_AFTER_DAYS'] must be a positive number")
    state = Path(raw["STATE_FILE"])
    if not state.is_absolute():
        state = (root or Path(settings.get("PATH", "content")).resolve().parent) / state
    return LinkSettings(
        state_file=state,
        report_url=raw["REPORT_URL"].strip("/") + "/",
        watch=frozenset(raw["WATCH"]),
        unchanged_after_days=raw["UNCHANGED_AFTER_DAYS"],
        wayback=raw["WAYBACK"],
        ignore_hosts=frozenset(raw["IGNORE_HOSTS"]),
    )
