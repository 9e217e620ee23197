"""All OZG settings, read and checked in one place; the rest of the code trusts them."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from wachhund_net import is_http_url

DEFAULTS = {
    "DATA_DIR": "data/ozg",
    "OUTPUT_DIR": "ozg",
    "DEADLINE": "2022-12-31",
    "DASHBOARD_URL": "https://dashboard-daten.digitale-verwaltung.de/api/v1/data/{ars}?filetype=csv",
    "SIDEBAR_KOMMUNE": "duisburg",
}


@dataclass(frozen=True)
class OzgSettings:
    data_dir: Path
    output_dir: str
    deadline: dt.date
    dashboard_url: str
    sidebar_kommune: str


class SettingsError(ValueError):
    pass


def get_settings(settings: dict, root: Path | None = None) -> OzgSettings:
    raw = {**DEFAULTS, **(settings.get("OZG") or {})}
    unknown = set(raw) - set(DEFAULTS)
    if unknown:
        raise SettingsError(f"OZG: unknown setting(s) {', '.join(sorted(unknown))}")
    for key in DEFAULTS:
        if not isinstance(raw[key], str) or not raw[key]:
            raise SettingsError(f"OZG['{key}'] must be a non-empty string")
    try:
        deadline = dt.date.fromisoformat(raw["DEADLINE"])
    except ValueError:
        raise SettingsError("OZG['DEADLINE'] must be YYYY-MM-DD") from None
    if "{ars}" not in raw["DASHBOARD_URL"] or not is_http_url(raw["DASHBOARD_URL"].replace("{ars}", "0" * 12)):
        raise SettingsError("OZG['DASHBOARD_URL'] must be an http(s) URL containing {ars}")
    data_dir = Path(raw["DATA_DIR"])
    if not data_dir.is_absolute():
        base = root or Path(settings.get("PATH", "content")).resolve().parent
        data_dir = base / data_dir
    return OzgSettings(
        data_dir=data_dir,
        output_dir=raw["OUTPUT_DIR"].strip("/"),
        deadline=deadline,
        dashboard_url=raw["DASHBOARD_URL"],
        sidebar_kommune=raw["SIDEBAR_KOMMUNE"],
    )
