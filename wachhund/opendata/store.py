"""The store: per portal, the catalogue's changes as sorted JSON lines, and its imports.

`<portal>.jsonl`: one line per dataset and import day on which it appeared (`neu`), its
`modified` moved (`aktualisiert`, or `zurueckdatiert` when it moved back), other stored
metadata changed (`geaendert`), or it left the catalogue (`entfernt`); sorted by dataset
and day, keys sorted, so `git diff` shows an upstream change as one line.
`<portal>.importe.csv`: one row per import day (date, source, datasets, changes).

Re-importing on one day replaces that day's lines (the day is compared with the days
before it), so the same answer twice on one day changes no byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

from wachhund.lib.net import is_http_url
from wachhund.lib.jsonlines import read_json_lines
from wachhund.lib.yamlfile import DataError, text_problem

from .catalog import Dataset

NEW, UPDATED, BACKDATED, CHANGED, REMOVED = "neu", "aktualisiert", "zurueckdatiert", "geaendert", "entfernt"
EVENTS = (NEW, UPDATED, BACKDATED, CHANGED, REMOVED)
IMPORT_COLUMNS = ("datum", "quelle", "datensaetze", "neu", "aktualisiert", "entfernt")
TEXT_FIELDS = ("titel", "link", "veroeffentlicht", "geaendert", "frequenz", "herausgeber")
LIST_FIELDS = ("themen", "schlagworte", "formate")
COUNT_FIELDS = ("verteilungen", "downloads")
MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Event:
    id: str
    datum: dt.date
    kind: str
    fields: dict  # Dataset.fields() shape; {} for `entfernt`

    @property
    def title(self) -> str:
        return self.fields.get("titel", "")

    def line(self) -> str:
        record = {"datensatz": self.id, "datum": self.datum.isoformat(), "ereignis": self.kind, **self.fields}
        return json.dumps(record, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class Import:
    datum: dt.date
    quelle: str
    datasets: int
    added: int
    updated: int
    removed: int


def event_path(data_dir: Path, portal: str) -> Path:
    return Path(data_dir) / f"{portal}.jsonl"


def import_path(data_dir: Path, portal: str) -> Path:
    return Path(data_dir) / f"{portal}.importe.csv"


# --- the change rule -------------------------------------------------------------------

def merge(events: list[Event], incoming: dict[str, Dataset], datum: dt.date) -> list[Event]:
    """The portal's events after an import on `datum` of the catalogue `incoming`."""
    history: dict[str, list[Event]] = {}
    for event in events:
        if event.datum < datum:  # that day's earlier import is replaced
            history.setdefault(event.id, []).append(event)
    for key in set(history) | set(incoming):
        rows = history.setdefault(key, [])
        before = current(rows)
        new = incoming.get(key)
        if new is None:
            if before is not None:
                rows.append(Event(key, datum, REMOVED, {}))
            continue
        fields = new.fields()
        if before is None:
            rows.append(Event(key, datum, NEW, fields))
        elif fields != before.fields:
            old, now = before.fields.get("geaendert", ""), fields["geaendert"]
            kind = UPDATED if now > old else BACKDATED if now < old else CHANGED
            rows.append(Event(key, datum, kind, fields))
    return [event for key in sorted(history) for event in history[key]]


def current(rows: list[Event]) -> Event | None:
    """The dataset's last known state, None when it is gone (or never was)."""
    return rows[-1] if rows and rows[-1].kind != REMOVED else None


def state_on(events: list[Event], datum: dt.date | None = None) -> dict[str, Event]:
    """{id: last event} of every dataset in the catalogue on `datum` (default: the last day)."""
    last: dict[str, Event] = {}
    for event in events:  # sorted by id, then day
        if datum is None or event.datum <= datum:
            last[event.id] = event
    return {key: event for key, event in last.items() if event.kind != REMOVED}


# --- text -------------------------------------------------------------------------------

def events_text(events: list[Event]) -> str:
    return "".join(event.line() + "\n" for event in events)


def imports_text(imports: list[Import]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(IMPORT_COLUMNS)
    for i in sorted(imports, key=lambda i: i.datum):
        writer.writerow([i.datum.isoformat(), i.quelle, i.datasets, i.added, i.updated, i.removed])
    return out.getvalue()


def counted(events: list[Event], datum: dt.date) -> tuple[int, int, int]:
    """(added, updated, removed) on one day; `geaendert` (metadata only) is not announced."""
    day = [e for e in events if e.datum == datum]
    return (sum(e.kind == NEW for e in day), sum(e.kind in (UPDATED, BACKDATED) for e in day),
            sum(e.kind == REMOVED for e in day))


# --- reading, checked like hand-written data ------------------------------------------

def _day(value):
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError
    return dt.date.fromisoformat(value)


def _event(record, problem) -> Event | None:
    if not isinstance(record, dict):
        return problem("expected one JSON object a line")
    key, kind = record.pop("datensatz", None), record.pop("ereignis", None)
    if not isinstance(key, str) or not key.strip():
        return problem("datensatz must be the dataset's identifier (text)")
    try:
        datum = _day(record.pop("datum", None))
    except ValueError:
        return problem("datum must be a day YYYY-MM-DD")
    if kind not in EVENTS:
        return problem(f"ereignis must be one of {', '.join(EVENTS)}, got {kind!r}")
    if kind == REMOVED:
        return Event(key, datum, kind, {}) if not record else problem(f"'{REMOVED}' carries no fields")
    expected = set(TEXT_FIELDS + LIST_FIELDS + COUNT_FIELDS)
    if set(record) != expected:
        return problem(f"fields must be exactly: {', '.join(sorted(expected))}")
    for name in TEXT_FIELDS:
        if not isinstance(record[name], str):
            return problem(f"{name} must be text")
    for name in LIST_FIELDS:
        if not isinstance(record[name], list) or not all(isinstance(v, str) for v in record[name]):
            return problem(f"{name} must be a list of texts")
    for name in COUNT_FIELDS:
        if isinstance(record[name], bool) or not isinstance(record[name], int) or record[name] < 0:
            return problem(f"{name} must be a whole number")
    if not record["titel"].strip():
        return problem("titel must not be empty")
    if record["link"] and not is_http_url(record["link"]):
        return problem(f"link: expected an http(s) URL, got {record['link'][:80]!r}")
    for name in ("veroeffentlicht", "geaendert"):
        if record[name]:
            try:
                _day(record[name])
            except ValueError:
                return problem(f"{name} must be empty or a day YYYY-MM-DD")
    for value in [key, *(record[n] for n in TEXT_FIELDS), *(v for n in LIST_FIELDS for v in record[n])]:
        if what := text_problem(value):
            return problem(what)
    return Event(key, datum, kind, record)


def read_events(path: Path, shown: str) -> list[Event]:
    lines, problems = read_json_lines(path, shown, MAX_BYTES)
    events, previous = [], None
    for number, record in lines:

        def problem(message, number=number):
            problems.append((shown, number, message))

        event = _event(record, problem)
        if event is None:
            continue
        if previous is not None and (event.id, event.datum) <= (previous.id, previous.datum):
            problem(f"lines must be sorted by datensatz and datum, each pair once ({event.id} {event.datum})")
        events.append(event)
        previous = event
    if problems:
        raise DataError(problems)
    return events


def read_imports(path: Path, shown: str) -> list[Import]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except UnicodeDecodeError:
        raise DataError([(shown, 0, "file is not UTF-8")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    imports, problems = [], []
    header = next(reader, None)
    if header is not None and tuple(header) != IMPORT_COLUMNS:
        raise DataError([(shown, 1, f"header must be {','.join(IMPORT_COLUMNS)}")])
    for row in reader:
        number = reader.line_num
        try:
            datum = _day(row[0])
            counts = [int(v) for v in row[2:]]
            if len(row) != len(IMPORT_COLUMNS) or any(c < 0 for c in counts):
                raise ValueError
        except (ValueError, IndexError):
            problems.append((shown, number, f"expected {','.join(IMPORT_COLUMNS)} with a day and whole numbers"))
            continue
        if not is_http_url(row[1]):
            problems.append((shown, number, f"quelle: expected an http(s) URL, got {row[1][:80]!r}"))
            continue
        if imports and datum <= imports[-1].datum:
            problems.append((shown, number, "rows must be sorted by datum, one per day"))
            continue
        imports.append(Import(datum, row[1], *counts))
    if problems:
        raise DataError(problems)
    return imports
