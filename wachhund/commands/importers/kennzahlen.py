"""`make import-catalog` (also): data/sources/kennzahlen.csv -> data/ozg/kennzahlen.yaml.

Every row is checked like the YAML the build reads (a value without source or
evidence is refused), with the CSV's line in each message; one bad row and
nothing is written. Deterministic: the same CSV gives the same bytes.
"""

import csv
import sys

from wachhund.ozg.kennzahlen import FIELDS, FILE, parse_value
from .common import ozg_dir, SOURCES, clean_cells, dump, write_if_changed

SOURCE_FILE = "kennzahlen.csv"
COLUMNS = ["reihe", "gebiet", "ars", "kennzahl", "wert", "einheit", "von", "stand", "veroeffentlicht",
           "quelle_name", "quelle_url", "beleg", "hinweis"]
HEADER = """\
# Kennzahlen zum OZG aus Studien, Presse und amtlichen Angaben, jede mit Quelle, Datum und Beleg.
# Erzeugt von `make import-catalog` aus data/sources/{source} - nicht von Hand bearbeiten;
# neue Werte als Zeile in der CSV ergänzen. Spalten und Grenzen: data/sources/KENNZAHLEN.md.
"""


class KennzahlenError(Exception):
    pass


def read_values(path) -> list[dict]:
    """The CSV's rows as YAML-ready dicts; raise KennzahlenError listing every problem with its line."""
    shown = f"data/sources/{path.name}"
    problems = []
    values = []
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise KennzahlenError(f"{shown}:1: expected the columns {','.join(COLUMNS)}, got {','.join(reader.fieldnames or [])}")
        start = reader.line_num + 1
        for row in reader:
            line = start
            start = reader.line_num + 1
            if None in row or any(v is None for v in row.values()):
                problems.append(f"{shown}:{line}: expected {len(COLUMNS)} fields")
                continue
            cleaned = {k: v.strip() for k, v in clean_cells(row, f"{shown}:{line}").items()}
            wert = parse_value(cleaned, lambda key, message, line=line: problems.append(f"{shown}:{line}: {message}"))
            if wert is not None:
                values.append(_yaml_row(cleaned))
    if problems:
        raise KennzahlenError("\n".join(problems))
    if not values:
        raise KennzahlenError(f"{shown}: no values")
    return values


def _yaml_row(row: dict) -> dict:
    out = {}
    for key in COLUMNS:
        value = row[key]
        if value == "":
            if key in ("ars", "von", "stand", "veroeffentlicht", "hinweis"):
                continue
        if key in ("wert", "von"):
            value = int(value) if value.lstrip("-").isdigit() else float(value)
        out[key] = value
    assert set(out) <= FIELDS
    return out


def build(values) -> str:
    data = {
        "quelle": {
            "datei": f"data/sources/{SOURCE_FILE}",
            "stand": "2026-11",
            "beschreibung": "Sammlung datierter, belegter Kennzahlen (siehe data/sources/KENNZAHLEN.md)",
        },
        "werte": values,
    }
    return HEADER.format(source=SOURCE_FILE) + dump(data)


def run(sources, ozg) -> bool:
    target = ozg / FILE
    text = build(read_values(sources / SOURCE_FILE))
    changed = write_if_changed(target, text)
    print(f"{target}: {text.count(chr(10) + '- reihe:')} Werte ({'updated' if changed else 'unchanged'})")
    return changed


def main() -> int:
    try:
        run(SOURCES, ozg_dir())
    except KennzahlenError as exc:
        print(exc, file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
