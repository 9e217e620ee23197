"""All OZG settings, read and checked in one place; the rest of the code trusts them."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from wachhund_net import is_http_url
from wachhund_settings import fail, options, path_part, text

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


def get_settings(settings: dict, root: Path | None = None) -> OzgSettings:
    raw = options(settings, "OZG", DEFAULTS)
    for key in DEFAULTS:
        text(f"OZG['{key}']", raw[key])
    try:
        deadline = dt.date.fromisoformat(raw["DEADLINE"])
    except ValueError:
        fail("OZG['DEADLINE']", "a date YYYY-MM-DD", raw["DEADLINE"])
    if "{ars}" not in raw["DASHBOARD_URL"] or not is_http_url(raw["DASHBOARD_URL"].replace("{ars}", "0" * 12)):
        fail("OZG['DASHBOARD_URL']", "an http(s) URL containing {ars}", raw["DASHBOARD_URL"])
    data_dir = Path(raw["DATA_DIR"])
    if not data_dir.is_absolute():
        base = root or Path(settings.get("PATH", "content")).resolve().parent
        data_dir = base / data_dir
    return OzgSettings(
        data_dir=data_dir,
        output_dir=path_part("OZG['OUTPUT_DIR']", raw["OUTPUT_DIR"]),
        deadline=deadline,
        dashboard_url=raw["DASHBOARD_URL"],
        sidebar_kommune=raw["SIDEBAR_KOMMUNE"],
    )
