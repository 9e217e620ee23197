"""OPENDATA settings, read and checked in one place; the rest of the code trusts them.

    OPENDATA = {"PORTALE": {"duisburg": {"name": "Open Data Duisburg", "art": "dcat-us",
                                         "url": "https://opendata-duisburg.de/data.json", "lizenz": "…"}}}

A CKAN portal names its organisation: {"art": "ckan", "url": "https://portal.example/",
"organisation": "stadt-duisburg", ...}; its `url` is the portal's address, the command
asks its /api/3/action/package_search.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from wachhund.lib.net import is_http_url
from wachhund.lib.settings import SettingsError, fail, options, path_part, positive_int, project_path, text

KINDS = ("dcat-us", "ckan")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PORTAL_KEYS = {"name", "art", "url", "lizenz", "organisation", "seitengroesse"}
CKAN_ROWS = 1000  # CKAN's default ckan.search.rows_max: the most one page may hold

DEFAULTS = {
    "DATA_DIR": "data/offene-daten",
    "OUTPUT_DIR": "offene-daten",
    "PORTALE": {
        "duisburg": {
            "name": "Open Data Duisburg",
            "art": "dcat-us",
            "url": "https://opendata-duisburg.de/data.json",
            "lizenz": "Metadaten aus dem Katalog des Portals; die Lizenz jedes Datensatzes nennt das Portal "
                      "auf dessen Seite.",
        },
    },
}


@dataclass(frozen=True)
class Portal:
    slug: str
    name: str
    kind: str  # "dcat-us" or "ckan"
    url: str  # data.json itself, or the CKAN portal's address
    licence: str  # a note on the licence, shown with every figure taken from the portal
    organisation: str = ""  # CKAN only: the organisation whose datasets are counted
    rows: int = CKAN_ROWS  # CKAN only: datasets asked for per page


@dataclass(frozen=True)
class OpenDataSettings:
    data_dir: Path
    output_dir: str
    portals: dict  # slug -> Portal, in the order given


def _portal(slug, raw) -> Portal:
    label = f"OPENDATA['PORTALE'][{slug!r}]"
    if not isinstance(slug, str) or not SLUG.match(slug):
        fail("OPENDATA['PORTALE'] keys", "short names of a-z, 0-9 and '-' (e.g. 'duisburg')", slug)
    if not isinstance(raw, dict):
        fail(label, "a dict with name, art, url, lizenz", raw)
    if unknown := set(raw) - PORTAL_KEYS:
        raise SettingsError(f"{label}: unknown key(s) {', '.join(sorted(unknown))}; "
                            f"expected: {', '.join(sorted(PORTAL_KEYS))}")
    for key in ("name", "art", "url"):
        text(f"{label}['{key}']", raw.get(key))
    kind = raw["art"]
    if kind not in KINDS:
        fail(f"{label}['art']", f"one of {', '.join(KINDS)}", kind)
    if not is_http_url(raw["url"]):
        fail(f"{label}['url']", "an http(s) URL", raw["url"])
    licence = raw.get("lizenz", "")
    if not isinstance(licence, str):
        fail(f"{label}['lizenz']", "a string (the licence note shown with the figures)", licence)
    organisation = raw.get("organisation", "")
    if kind == "ckan":
        if not isinstance(organisation, str) or not SLUG.match(organisation):
            fail(f"{label}['organisation']", "the CKAN organisation's name (a-z, 0-9, '-'), needed for art 'ckan'",
                 organisation)
    elif organisation:
        fail(f"{label}['organisation']", "empty for a data.json portal (it lists one publisher's catalogue)",
             organisation)
    rows = positive_int(f"{label}['seitengroesse']", raw.get("seitengroesse", CKAN_ROWS))
    return Portal(slug, raw["name"].strip(), kind, raw["url"], licence.strip(), organisation, rows)


def get_settings(settings: dict, root: Path | None = None) -> OpenDataSettings:
    raw = options(settings, "OPENDATA", DEFAULTS)
    portals_raw = raw["PORTALE"]
    if not isinstance(portals_raw, dict) or not portals_raw:
        fail("OPENDATA['PORTALE']", "a dict of at least one portal", portals_raw)
    portals = {slug: _portal(slug, value) for slug, value in portals_raw.items()}
    data_dir = project_path(settings, text("OPENDATA['DATA_DIR']", raw["DATA_DIR"]), root)
    return OpenDataSettings(data_dir, path_part("OPENDATA['OUTPUT_DIR']", raw["OUTPUT_DIR"]), portals)
