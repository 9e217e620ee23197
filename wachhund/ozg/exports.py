"""Open data as CSV and JSON: each municipality's current status, the indicators, the ranking."""

import csv
import io
import json

COLUMNS = [
    "ozg_id", "leika", "leistung", "themenfeld", "lebenslage", "reifegrad",
    "online", "nur_terminbuchung", "stand", "url", "quellen",
]


def _row(status) -> dict:
    sources = sorted({o.quelle or o.quelle_dokument for o in status.current})
    return {
        "ozg_id": status.ozg_id,
        "leika": status.leika,
        "leistung": status.name,
        "themenfeld": status.themenfeld,
        "lebenslage": status.lebenslage,
        "reifegrad": status.reifegrad,
        "online": status.online,
        "nur_terminbuchung": status.nur_terminbuchung if status.known else None,
        "stand": status.datum.isoformat() if status.datum else None,
        "url": status.url,
        "quellen": sources,
    }


def to_json(model, slug) -> str:
    kommune = model.kommunen[slug]
    summary = dict(model.summary(slug))
    summary["stand"] = summary["stand"].isoformat() if summary["stand"] else None
    data = {
        "kommune": {"slug": kommune.slug, "name": kommune.name, "ars": kommune.ars},
        "katalog": {
            "name": model.catalogue_source["name"],
            "stand": model.catalogue_source["stand"].isoformat() if model.catalogue_source["stand"] else None,
        },
        "zusammenfassung": summary,
        "leistungen": [_row(s) for s in model.statuses(slug)],
    }
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's
    advice for CSV injection): it is then shown as text, and nothing is lost."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, list):
        value = " ".join(value)
    return neutralise(value) if isinstance(value, str) else value


def to_csv(model, slug) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for status in model.statuses(slug):
        writer.writerow({k: _cell(v) for k, v in _row(status).items()})
    return buffer.getvalue()


KENNZAHLEN_COLUMNS = ["reihe", "gebiet", "ars", "kennzahl", "wert", "einheit", "von", "stand", "veroeffentlicht",
                      "quelle_name", "quelle_url", "beleg", "hinweis"]


def _kennzahl_row(wert) -> dict:
    return {key: getattr(wert, key) for key in KENNZAHLEN_COLUMNS}


def _plain_number(value):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def kennzahlen_json(kennzahlen) -> str:
    rows = []
    for wert in kennzahlen.werte:
        row = _kennzahl_row(wert)
        row["wert"], row["von"] = _plain_number(wert.wert), _plain_number(wert.von)
        rows.append(row)
    data = {
        "beschreibung": "Kennzahlen zum OZG aus Studien, Presse und amtlichen Angaben; jede mit Quelle, "
                        "Datum der Daten (stand, leer wenn die Quelle keines nennt) und wörtlichem Beleg.",
        "lizenz": "Zahlen und Daten sind Fakten mit Quellenangabe; die Belege sind kurze Zitate der Quellen.",
        "werte": rows,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def kennzahlen_csv(kennzahlen) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=KENNZAHLEN_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for wert in kennzahlen.werte:
        row = _kennzahl_row(wert)
        row["wert"], row["von"] = _plain_number(wert.wert), _plain_number(wert.von)
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


RANKING_COLUMNS = ["rang", "ars", "kommune", "kreis", "online_verfuegbar", "katalog", "anteil",
                   "veraenderung_seit_vorigem_import", "stand", "quelle", "quelle_url", "lizenz"]


def _ranking_rows(ranking, source):
    for mu in ranking.municipalities.values():
        yield {
            "rang": mu.rank, "ars": mu.ars, "kommune": mu.name, "kreis": mu.kreis,
            "online_verfuegbar": mu.count, "katalog": ranking.catalogue_size,
            "anteil": round(mu.count / ranking.catalogue_size, 4) if ranking.catalogue_size else None,
            "veraenderung_seit_vorigem_import": mu.delta,
            "stand": mu.stand.isoformat() if mu.stand else None,
            "quelle": source["name"], "quelle_url": mu.quelle, "lizenz": source["lizenz"],
        }


def ranking_json(ranking, source, page_url: str) -> str:
    data = {
        "beschreibung": "OZG-Leistungen, die in jeder Kommune online verfügbar sind, nach der Zählweise auf "
                        f"/{page_url}; gleiche Zahl, gleicher Rang.",
        "quelle": {**source, "stand": source["stand"].isoformat() if source["stand"] else None},
        "lizenz": source["lizenz"],
        "kommunen": list(_ranking_rows(ranking, source)),
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def ranking_csv(ranking, source) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=RANKING_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in _ranking_rows(ranking, source):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()
