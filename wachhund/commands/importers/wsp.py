"""Import the Wirtschafts-Service-Portal.NRW live list as observations for `nrw`.

Rows are joined to OZG-IDs through the LeiKa key (2019 mapping). Rows whose key
is not in that mapping stay in as LeiKa-only observations, never dropped.
Re-running adds nothing that is already recorded.
"""

import csv
import datetime as dt
import sys

from wachhund.ozg.schema import load_model
from .common import ozg_dir, SOURCES, append_observations, latest_by_key, read_csv, status_fields

SOURCE_FILE = "wsp_nrw_live-11.11-1.csv"
MAPPING_FILE = "ozg_leika_zuordnung_kdn2019.csv"
SOURCE_URL = "https://wsp-veroeffentlichungen.nrw/wp-content/uploads/Live-11.11-1.xlsx"
DATUM = dt.date(2024, 11, 11)
NRW_HEADER = {
    "slug": "nrw",
    "name": "Nordrhein-Westfalen (landesweit)",
    "ars": "050000000000",
    "ebene": "land",
    "beschreibung": (
        "Landesweit angebotene Online-Dienste in NRW. Grundlage ist die Liste der freigeschalteten "
        "Dienste des Wirtschafts-Service-Portals.NRW (Stand um den 11. November 2024)."
    ),
}


def leika_to_ozg(path) -> dict:
    mapping = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key, ozg_id = row["leika_schluessel"].strip(), row["ozg_id"].strip()
            if key.isdigit() and len(key) == 14 and ozg_id:
                mapping[key] = int(ozg_id)
    return mapping


def observations_from(rows, mapping) -> list[dict]:
    result, seen = [], set()
    for row in rows:
        key = row["leika_schluessel"].strip()
        if key in seen:  # the list has one key twice with identical rows
            continue
        seen.add(key)
        path = row["landingpage"].strip() or row["direktlink"].strip()
        obs = {}
        if key in mapping:
            obs["ozg_id"] = mapping[key]
        obs.update(
            {
                "leika": key,
                "leika_name": row["name"].strip(),
                "datum": DATUM,
                "online": row["live"].strip().lower() == "ja",
                "quelle": SOURCE_URL,
                "onlinedienst": row["onlinedienst"].strip(),
            }
        )
        if row["stelle"].strip():
            obs["zustaendig"] = row["stelle"].strip()
        obs["notiz"] = (
            f"Im Wirtschafts-Service-Portal.NRW als live geführt (Pfad im Portal: {path})."
            if path
            else "Im Wirtschafts-Service-Portal.NRW als live geführt."
        )
        result.append(obs)
    return result


def run(sources, ozg) -> int:
    """Append new WSP observations to kommunen/nrw.yaml; return how many."""
    rows = read_csv(sources / SOURCE_FILE, f"data/sources/{SOURCE_FILE}")
    incoming = observations_from(rows, leika_to_ozg(sources / MAPPING_FILE))
    target = ozg / "kommunen" / "nrw.yaml"
    known = {}
    if target.exists():
        model = load_model(ozg)
        known = latest_by_key(model.kommunen["nrw"].observations, SOURCE_URL)
    new = [
        obs for obs in incoming
        if (obs.get("ozg_id"), obs["leika"]) not in known
        or status_fields(known[(obs.get("ozg_id"), obs["leika"])]) != status_fields(obs)
    ]
    added = append_observations(target, NRW_HEADER, new)
    matched = sum(1 for obs in incoming if "ozg_id" in obs)
    print(
        f"data/ozg/kommunen/nrw.yaml: {len(incoming)} WSP services "
        f"({matched} joined to an OZG-ID, {len(incoming) - matched} LeiKa only); {added} new observations"
    )
    return added


def main() -> int:
    run(SOURCES, ozg_dir())
    return 0


if __name__ == "__main__":
    sys.exit(main())
