"""Open data: each municipality's current status as CSV and JSON."""

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
