"""`make import-catalog`: data/sources/ozg_leistungen_kdn2019.csv -> data/ozg/katalog.yaml.

Deterministic: the same CSV gives the same bytes (sorted by OZG-ID).
"""

import datetime as dt
import sys

from .common import ozg_dir, SOURCES, dump, read_csv, write_if_changed

SOURCE_FILE = "ozg_leistungen_kdn2019.csv"
HEADER = """\
# OZG-Umsetzungskatalog: 557 OZG-Leistungen, Stand der Daten 5. Oktober 2019.
# Erzeugt von `make import-catalog` aus data/sources/{source} - nicht von Hand bearbeiten.
# Herkunft: KDN "OZG-Datenbank NRW" (github.com/kdn-nrw/OZG-Datenbank-NRW, MIT), siehe data/sources/SOURCES.md.
"""


def read_rows(path):
    rows = read_csv(path, f"data/sources/{path.name}")
    expected = {"ozg_id", "ozg_leistung", "lebenslage", "themenfeld", "anzahl_leika", "leika_typen"}
    if not rows or not expected <= rows[0].keys():
        raise SystemExit(f"{path}: expected columns {', '.join(sorted(expected))}")
    return rows


def build(rows) -> str:
    leistungen = []
    for number, row in enumerate(rows, start=2):
        try:
            lid = int(row["ozg_id"])
        except ValueError:
            raise SystemExit(f"{SOURCE_FILE}:{number}: ozg_id must be a number, got {row['ozg_id']!r}") from None
        leistungen.append(
            {
                "id": lid,
                "name": row["ozg_leistung"].strip(),
                "themenfeld": row["themenfeld"].strip(),
                "lebenslage": row["lebenslage"].strip(),
                "leika_typen": row["leika_typen"].strip(),
                "anzahl_leika": int(row["anzahl_leika"] or 0),
            }
        )
    leistungen.sort(key=lambda item: item["id"])
    data = {
        "quelle": {
            "name": "OZG-Umsetzungskatalog (Auszug aus der KDN OZG-Datenbank NRW)",
            "url": "https://github.com/kdn-nrw/OZG-Datenbank-NRW",
            "stand": dt.date(2019, 10, 5),
        },
        "themenfelder": sorted({item["themenfeld"] for item in leistungen}),
        "leistungen": leistungen,
    }
    return HEADER.format(source=SOURCE_FILE) + dump(data)


def run(sources, ozg) -> bool:
    """Write katalog.yaml; return whether it changed."""
    rows = read_rows(sources / SOURCE_FILE)
    target = ozg / "katalog.yaml"
    text = build(rows)
    changed = write_if_changed(target, text)
    print(f"{target}: {len(rows)} Leistungen ({'updated' if changed else 'unchanged'})")
    return changed


def main() -> int:
    run(SOURCES, ozg_dir())
    return 0


if __name__ == "__main__":
    sys.exit(main())
