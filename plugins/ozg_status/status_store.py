"""The store of machine-imported status: sorted CSV files under data/ozg/dashboard/.

    status/<KKKKK>.csv   one file per Kreis (first 5 digits of the ARS), only changes:
                         a row per service key (ars, leika_key, ozgid) and date on which
                         its status differed from the row before; sorted, so git diffs
                         show exactly what changed upstream.
    regionen.csv         the name of every regional key, as the export spells it.
    importe.csv          one row per import and day: what was fetched, how many rows,
                         how many changes.

The build reads these in one pass; the importer rewrites them. Both go through
this module, so the format lives in one place.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from wachhund_yaml import DataError

from wachhund_net import is_http_url

from .regions import is_ars

STORE_DIR = "dashboard"
STATUS_COLUMNS = ("ars", "leika_key", "ozgid", "ozg_id", "datum", "vorhanden",
                  "online_status", "aktiv", "art_flaechendeckung", "url")
REGION_COLUMNS = ("ars", "name", "bundesland")
IMPORT_COLUMNS = ("datum", "ars", "quelle", "zeilen", "aenderungen")


@dataclass(frozen=True, slots=True)
class StatusRow:
    ars: str
    leika_key: str
    ozgid: str  # as the export gives it (may be empty or unknown to our catalogue)
    ozg_id: int | None  # the catalogue's OZG-Leistung: ozgid, or joined through the LeiKa key
    datum: dt.date
    vorhanden: bool  # False: the service left the export on this date
    online_status: str
    aktiv: str
    art: str
    url: str

    @property
    def key(self) -> tuple:
        return (self.ars, self.leika_key, self.ozgid)

    def state(self) -> tuple:
        """What has to differ for a new row to be recorded."""
        return (self.ozg_id, self.vorhanden, self.online_status, self.aktiv, self.art, self.url)


@dataclass(frozen=True)
class Import:
    datum: dt.date
    ars: str
    quelle: str
    zeilen: int
    aenderungen: int


@dataclass
class Store:
    rows: list  # StatusRow, sorted by key and date
    regions: dict  # ars -> (name, bundesland)
    imports: list  # Import, by date


def store_dir(data_dir: Path) -> Path:
    return Path(data_dir) / STORE_DIR


def kreis_file(ars: str) -> str:
    return f"status/{ars[:5]}.csv"


# --- reading ---------------------------------------------------------------------

def _csv_rows(path: Path, shown: str, columns: tuple, problems: list):
    """(line, row) for every data row of a file with exactly `columns` as header."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if tuple(header or ()) != columns:
            problems.append((shown, 1, f"expected the header {','.join(columns)}"))
            return
        line = reader.line_num + 1
        for row in reader:
            if len(row) != len(columns):
                problems.append((shown, line, f"expected {len(columns)} fields, got {len(row)}"))
            else:
                yield line, row
            line = reader.line_num + 1


def _date(value, shown, line, problems):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append((shown, line, f"datum: expected a date YYYY-MM-DD, got {value!r}"))
        return None


def read_store(data_dir: Path, shown=str) -> Store:
    """The whole store, validated; DataError naming file:line on any problem.
    An absent store is an empty one (no import has run yet)."""
    base = store_dir(data_dir)
    problems = []
    rows = []
    status_dir = base / "status"
    for path in sorted(status_dir.glob("*.csv")) if status_dir.is_dir() else ():
        name = shown(path)
        last = None
        for line, raw in _csv_rows(path, name, STATUS_COLUMNS, problems):
            ars, leika, ozgid, ozg_id, datum, vorhanden, online, aktiv, art, url = raw
            if not is_ars(ars) or kreis_file(ars) != f"status/{path.name}":
                problems.append((name, line, f"ars: expected 12 digits starting with {path.stem}, got {ars!r}"))
                continue
            if not (len(leika) == 14 and leika.isdigit()):
                problems.append((name, line, f"leika_key: expected 14 digits, got {leika!r}"))
                continue
            if ozg_id and not ozg_id.isdigit() or vorhanden not in ("ja", "nein"):
                problems.append((name, line, "ozg_id: expected digits or nothing; vorhanden: ja or nein"))
                continue
            if url and not is_http_url(url):
                problems.append((name, line, f"url: expected an http(s) URL or nothing, got {url!r}"))
                continue
            day = _date(datum, name, line, problems)
            if day is None:
                continue
            row = StatusRow(ars, leika, ozgid, int(ozg_id) if ozg_id else None, day, vorhanden == "ja",
                            online, aktiv, art, url)
            order = (row.key, day)
            if last is not None and order <= last:
                problems.append((name, line, "rows must be sorted by ars, leika_key, ozgid, datum, each once"))
            last = order
            rows.append(row)
    regions = {}
    if (base / "regionen.csv").exists():
        name = shown(base / "regionen.csv")
        for line, (ars, region, land) in _csv_rows(base / "regionen.csv", name, REGION_COLUMNS, problems):
            if not is_ars(ars):
                problems.append((name, line, f"ars: expected 12 digits, got {ars!r}"))
            regions[ars] = (region, land)
    imports = []
    if (base / "importe.csv").exists():
        name = shown(base / "importe.csv")
        for line, (datum, ars, quelle, zeilen, changes) in _csv_rows(base / "importe.csv", name, IMPORT_COLUMNS, problems):
            day = _date(datum, name, line, problems)
            if day is None or not is_ars(ars) or not zeilen.isdigit() or not changes.isdigit():
                problems.append((name, line, "expected datum, a 12-digit ars, quelle, and two counts"))
                continue
            imports.append(Import(day, ars, quelle, int(zeilen), int(changes)))
    if problems:
        raise DataError(problems)
    return Store(rows, regions, sorted(imports, key=lambda i: (i.datum, i.ars)))


# --- writing (the importer) ------------------------------------------------------

def _csv_text(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def status_files(rows) -> dict:
    """{relative path: text} for the status rows, one sorted file per Kreis."""
    by_file = {}
    for row in sorted(rows, key=lambda r: (r.key, r.datum)):
        by_file.setdefault(kreis_file(row.ars), []).append((
            row.ars, row.leika_key, row.ozgid, "" if row.ozg_id is None else str(row.ozg_id),
            row.datum.isoformat(), "ja" if row.vorhanden else "nein",
            row.online_status, row.aktiv, row.art, row.url,
        ))
    return {name: _csv_text(STATUS_COLUMNS, lines) for name, lines in by_file.items()}


def regions_text(regions: dict) -> str:
    return _csv_text(REGION_COLUMNS, [(ars, *regions[ars]) for ars in sorted(regions)])


def imports_text(imports) -> str:
    return _csv_text(IMPORT_COLUMNS, [
        (i.datum.isoformat(), i.ars, i.quelle, str(i.zeilen), str(i.aenderungen))
        for i in sorted(imports, key=lambda i: (i.datum, i.ars))
    ])
