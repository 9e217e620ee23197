"""All OZG settings, read and checked in one place; the rest of the code trusts them."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from wachhund.lib.net import is_http_url
from wachhund.lib.settings import fail, options, path_part, strings, text

from .regions import is_ars

# The kreisfreie Städte of NRW (Kreis key + 0000000). Aachen is left out: it belongs
# to the StädteRegion Aachen (05334) with a status of its own.
KREISFREIE_STAEDTE_NRW = tuple(f"{kreis}0000000" for kreis in (
    "05111", "05112", "05113", "05114", "05116", "05117", "05119", "05120", "05122", "05124", "05314",
    "05315", "05316", "05512", "05513", "05515", "05711", "05911", "05913", "05914", "05915", "05916",
))

DEFAULTS = {
    "DATA_DIR": "data/ozg",
    "OUTPUT_DIR": "ozg",
    "DEADLINE": "2022-12-31",
    # includeBelow: a Land's key brings every key below it; includeAbove (the API's default)
    # brings the Land's and the country's rows, which the counting needs.
    "DASHBOARD_URL": "https://dashboard-daten.digitale-verwaltung.de/api/v1/data/{ars}?filetype=csv&includeBelow=true",
    "SIDEBAR_KOMMUNE": "duisburg",
    "VERGLEICHSGRUPPE": KREISFREIE_STAEDTE_NRW,  # the ranking's peer group, by ARS
    "DASHBOARD_LIZENZ": "",  # the export's licence as its source states it; empty: it states none
}


@dataclass(frozen=True)
class OzgSettings:
    data_dir: Path
    output_dir: str
    deadline: dt.date
    dashboard_url: str
    sidebar_kommune: str
    vergleichsgruppe: tuple
    dashboard_lizenz: str


def get_settings(settings: dict, root: Path | None = None) -> OzgSettings:
    raw = options(settings, "OZG", DEFAULTS)
    for key in ("DATA_DIR", "OUTPUT_DIR", "DEADLINE", "DASHBOARD_URL", "SIDEBAR_KOMMUNE"):
        text(f"OZG['{key}']", raw[key])
    group = strings("OZG['VERGLEICHSGRUPPE']", raw["VERGLEICHSGRUPPE"])
    if not all(is_ars(ars) for ars in group):
        fail("OZG['VERGLEICHSGRUPPE']", "a list of 12-digit regional keys (ARS)", raw["VERGLEICHSGRUPPE"])
    if not isinstance(raw["DASHBOARD_LIZENZ"], str):
        fail("OZG['DASHBOARD_LIZENZ']", "a string (empty: the source states no licence)", raw["DASHBOARD_LIZENZ"])
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
        vergleichsgruppe=group,
        dashboard_lizenz=raw["DASHBOARD_LIZENZ"].strip(),
    )
