"""All OZG settings, read and checked in one place; the rest of the code trusts them."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from wachhund.lib.net import is_http_url
from wachhund.lib.settings import fail, options, path_part, project_path, strings, text

from .regions import is_ars

# The kreisfreie Städte of NRW (Kreis key + 0000000). Aachen is left out: it belongs
# to the StädteRegion Aachen (05334) with a status of its own.
KREISFREIE_STAEDTE_NRW = tuple(f"{kreis}0000000" for kreis in (
    "05111", "05112", "05113", "05114", "05116", "05117", "05119", "05120", "05122", "05124", "05314",
    "05315", "05316", "05512", "05513", "05515", "05711", "05911", "05913", "05914", "05915", "05916",
))

# Germany's 15 cities with more than 500,000 inhabitants: the national peer group.
GROSSSTAEDTE = (
    ("110000000000", "Berlin"), ("020000000000", "Hamburg"), ("091620000000", "München"),
    ("053150000000", "Köln"), ("064120000000", "Frankfurt am Main"), ("081110000000", "Stuttgart"),
    ("051110000000", "Düsseldorf"), ("147130000000", "Leipzig"), ("059130000000", "Dortmund"),
    ("051130000000", "Essen"), ("040110000000", "Bremen"), ("146120000000", "Dresden"),
    ("032410001001", "Hannover"), ("095640000000", "Nürnberg"), ("051120000000", "Duisburg"),
)
UMFANG = ("darunter", "darueber")  # the key with every key below it / with the keys above it

DEFAULTS = {
    "DATA_DIR": "data/ozg",
    "OUTPUT_DIR": "ozg",
    "DEADLINE": "2022-12-31",
    # The Open-PVOG export (2025/2026). includeBelow/includeAbove are set by the importer
    # from each OZG['IMPORT'] entry's umfang; the older /v1/data URL works here too:
    # https://dashboard-daten.digitale-verwaltung.de/api/v1/data/{ars}?filetype=csv
    "DASHBOARD_URL": "https://api.ozg-umsetzung.de/api/public/v1/dash/open-pvog/{ars}/export?filetype=csv",
    # What `make update-ozg` imports without ARS=: all NRW, and each large city with the keys above it.
    "IMPORT": ({"ars": "050000000000", "umfang": "darunter"},)
    + tuple({"ars": ars, "umfang": "darueber"} for ars, _name in GROSSSTAEDTE),
    "VERGLEICHSGRUPPE_BUND": tuple({"ars": ars, "name": name} for ars, name in GROSSSTAEDTE),
    # An import whose rows for a key fall by more than this share is held back (ARGS=--annehmen).
    "RUECKGANG_HOECHSTENS": 0.2,
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
    imports: tuple = ()  # (ars, umfang)
    vergleichsgruppe_bund: tuple = ()  # (ars, name)
    rueckgang_hoechstens: float = 0.2


def _entries(label: str, value, second: str, check, expected: str) -> tuple:
    """A list of {"ars": …, second: …} as (ars, value) pairs, every entry checked."""
    if not isinstance(value, (list, tuple)) or not value:
        fail(label, f"a non-empty list of {{'ars': …, '{second}': …}}", value)
    result = []
    for entry in value:
        if (not isinstance(entry, dict) or set(entry) != {"ars", second} or not is_ars(entry["ars"])
                or not check(entry[second])):
            fail(label, f"entries {{'ars': '<12 digits>', '{second}': {expected}}}", entry)
        result.append((entry["ars"], entry[second]))
    if len({ars for ars, _ in result}) != len(result):
        fail(label, "each regional key once", value)
    return tuple(result)


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
    imports = _entries("OZG['IMPORT']", raw["IMPORT"], "umfang", lambda v: v in UMFANG, "'darunter' or 'darueber'")
    bund = _entries("OZG['VERGLEICHSGRUPPE_BUND']", raw["VERGLEICHSGRUPPE_BUND"], "name",
                    lambda v: isinstance(v, str) and v.strip() != "", "a name")
    share = raw["RUECKGANG_HOECHSTENS"]
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share < 1:
        fail("OZG['RUECKGANG_HOECHSTENS']", "a share between 0 and 1, e.g. 0.2", share)
    return OzgSettings(
        data_dir=project_path(settings, raw["DATA_DIR"], root),
        output_dir=path_part("OZG['OUTPUT_DIR']", raw["OUTPUT_DIR"]),
        deadline=deadline,
        dashboard_url=raw["DASHBOARD_URL"],
        sidebar_kommune=raw["SIDEBAR_KOMMUNE"],
        vergleichsgruppe=group,
        dashboard_lizenz=raw["DASHBOARD_LIZENZ"].strip(),
        imports=imports,
        vergleichsgruppe_bund=bund,
        rueckgang_hoechstens=float(share),
    )
