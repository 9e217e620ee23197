"""The store of machine-imported status: sorted CSV files under data/ozg/dashboard/.

    status/<KKKKK>.csv   one file per Kreis (first 5 digits of the ARS), only changes:
                         a row per service key (ars, leika_key, ozgid) and date on which
                         its status differed from the row before; sorted, so git diffs
                         show exactly what changed upstream.
    regionen.csv         the name of every regional key, as the export spells it.
    importe.csv          one row per import and day: what was fetched, how many rows,
                         how many changes, the data's own date (the export's
                         datenstand_pvog_import: the Stand shown), whether the key was
                         imported with the keys below or above it, and the columns the
                         export had. Files of the older five-column form are read too.
    begruendungen.csv    why the dashboard leaves a service out of its evaluation
                         (begruendung_nicht_beruecksichtigt), as of the last import.

The build reads these in one pass; the importer rewrites them. Both go through
this module, so the format lives in one place. Reading checks every field, each
URL (a row's `url`, an import's `quelle`) with the one URL rule, and names the
file and line of what fails: git carries these files, so they are input like any other.
"""

import bisect
import csv
import datetime as dt
import functools
import io
import itertools
import operator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from wachhund.lib.yamlfile import DataError

from wachhund.lib.net import is_http_url

from .regions import is_ars

STORE_DIR = "dashboard"
STATUS_COLUMNS = ("ars", "leika_key", "ozgid", "ozg_id", "datum", "vorhanden",
                  "online_status", "aktiv", "art_flaechendeckung", "url")
REGION_COLUMNS = ("ars", "name", "bundesland")
# The counts stay last, where the five-column form of 2024 had them.
IMPORT_COLUMNS = ("datum", "ars", "quelle", "stand", "umfang", "spalten", "zeilen", "aenderungen")
OLD_IMPORT_COLUMNS = ("datum", "ars", "quelle", "zeilen", "aenderungen")  # before 2026: still read
REASON_COLUMNS = ("ars", "leika_key", "ozgid", "begruendung")
UMFANG = ("darunter", "darueber")  # with every key below / only the keys above


class StatusRow(NamedTuple):
    """One row of the store. A tuple: the build holds half a million of them for all NRW."""

    ars: str
    leika_key: str
    ozgid: str  # as the export gives it, without leading zeros (may be empty or unknown to our catalogue)
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
    stand: dt.date | None = None  # the export's own date of the data, when it states one
    umfang: str = "darunter"  # older imports were all made with includeBelow=true
    spalten: tuple = ()  # the known columns the export had (empty: not recorded)

    @property
    def shown_stand(self) -> dt.date:
        """The Stand of the figures: the data's own date, else the day of the import."""
        return self.stand or self.datum


@dataclass
class Store:
    rows: list  # StatusRow, sorted by key and date
    regions: dict  # ars -> (name, bundesland)
    imports: list  # Import, by date
    reasons: dict = None  # (ars, leika_key, ozgid) -> begruendung_nicht_beruecksichtigt

    def __post_init__(self):
        if self.reasons is None:
            self.reasons = {}


def store_dir(data_dir: Path) -> Path:
    return Path(data_dir) / STORE_DIR


def kreis_file(ars: str) -> str:
    return f"status/{ars[:5]}.csv"


# --- reading ---------------------------------------------------------------------

def _csv_rows(path: Path, shown: str, columns: tuple, problems: list, older=()):
    """(line, row) for every data row of a file with exactly `columns` as header
    (or one of the `older` headers: the row then comes in `columns` order, with empty
    fields for the columns it lacks).

    One record per line: the importer writes no line breaks inside fields. Lines
    without a quote are split directly, which is several times faster than the
    csv module on the half million rows of all NRW; quoted lines go through it.
    A file saved by hand in another encoding than UTF-8 is a problem naming its line;
    a byte order mark (some editors write one) is read past."""
    try:
        yield from _csv_lines(path, shown, columns, problems, older)
    except UnicodeDecodeError:
        with open(path, "rb") as handle:  # the text is decoded in pieces: find the line
            for line, raw in enumerate(handle, start=1):
                try:
                    raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    problems.append((shown, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}, byte "
                                                  f"{exc.start + 1} of the line): save the file as UTF-8"))
                    break


def _csv_lines(path: Path, shown: str, columns: tuple, problems: list, older=()):
    with open(path, encoding="utf-8", newline="") as handle:  # (utf-8-sig would lose the fast utf-8 decoder)
        header = tuple(next(csv.reader([handle.readline().removeprefix("\ufeff")]), None) or ())
        if header != columns and header not in older:
            problems.append((shown, 1, f"expected the header {','.join(columns)}"))
            return
        width = len(header)
        order = None if header == columns else [header.index(c) if c in header else None for c in columns]
        for line, text in enumerate(handle, start=2):
            text = text.rstrip("\r\n")
            try:
                row = text.split(",") if '"' not in text else next(csv.reader([text], strict=True))
            except csv.Error as exc:
                problems.append((shown, line, f"broken quoting: {exc}"))
                continue
            if len(row) != width:
                problems.append((shown, line, f"expected {width} fields, got {len(row)}"))
            else:
                yield line, row if order is None else ["" if i is None else row[i] for i in order]


def _date(value, shown, line, problems):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append((shown, line, f"datum: expected a date YYYY-MM-DD, got {value!r}"))
        return None


class _Checked(dict):
    """Converts (validates, formats) each distinct value once and hands back one shared object
    for it: a store of all NRW repeats a few hundred keys, dates and ids half a million times."""

    def __init__(self, convert):
        super().__init__()
        self.convert = convert

    def __missing__(self, value):
        self[value] = result = self.convert(value)
        return result


def _valid(test):
    return lambda value: value if test(value) else None


def _day(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def read_store(data_dir: Path, shown=str) -> Store:
    """The whole store, validated; DataError naming file:line on any problem.
    An absent store is an empty one (no import has run yet)."""
    base = store_dir(data_dir)
    problems = []
    rows = []
    ars_ok = _Checked(_valid(is_ars))
    leika_ok = _Checked(_valid(lambda v: len(v) == 14 and v.isascii() and v.isdigit()))
    ozg_ok = _Checked(lambda v: int(v) if v.isascii() and v.isdigit() else (None if v == "" else False))
    day_ok = _Checked(_day)
    text = _Checked(lambda v: v)  # one object per distinct status text
    make_row = functools.partial(tuple.__new__, StatusRow)  # a third of the cost of StatusRow(...)
    present = {"ja": True, "nein": False}
    status_dir = base / "status"
    for path in sorted(status_dir.glob("*.csv")) if status_dir.is_dir() else ():
        name, kreis = shown(path), path.stem
        in_file = _Checked(lambda v, kreis=kreis: v if ars_ok[v] is not None and v.startswith(kreis) else None)
        last = None
        for line, raw in _csv_rows(path, name, STATUS_COLUMNS, problems):
            ars, leika, ozgid, ozg_id, datum, vorhanden, online, aktiv, art, url = raw
            ars, leika, ozg_id, day = in_file[ars], leika_ok[leika], ozg_ok[ozg_id], day_ok[datum]
            # nearly every URL is distinct: checked directly, not remembered
            url = url if url == "" or is_http_url(url) else None
            vorhanden = present.get(vorhanden)
            if ars is None:
                problems.append((name, line, f"ars: expected 12 digits starting with {kreis}, got {raw[0]!r}"))
            elif leika is None:
                problems.append((name, line, f"leika_key: expected 14 digits, got {raw[1]!r}"))
            elif ozg_id is False or vorhanden is None:
                problems.append((name, line, "ozg_id: expected digits or nothing; vorhanden: ja or nein"))
            elif url is None:
                problems.append((name, line, f"url: expected an http(s) URL or nothing, got {raw[9][:80]!r}"))
            elif day is None:
                problems.append((name, line, f"datum: expected a date YYYY-MM-DD, got {datum!r}"))
            else:
                ozgid = text[ozgid]
                order = (ars, leika, ozgid, day)
                if last is not None and order <= last:
                    problems.append((name, line, "rows must be sorted by ars, leika_key, ozgid, datum, each once"))
                last = order
                rows.append(make_row((ars, leika, ozgid, ozg_id, day, vorhanden,
                                      text[online], text[aktiv], text[art], url)))
            if len(problems) >= 50:
                raise DataError(problems)
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
        rows_of = _csv_rows(base / "importe.csv", name, IMPORT_COLUMNS, problems, (OLD_IMPORT_COLUMNS,))
        for line, (datum, ars, quelle, stand, umfang, spalten, zeilen, changes) in rows_of:
            day = _date(datum, name, line, problems)
            stand_day = _date(stand, name, line, problems) if stand else None
            if umfang not in ("", *UMFANG):
                problems.append((name, line, f"umfang: expected darunter or darueber, got {umfang!r}"))
                continue
            if day is None or not is_ars(ars) or not zeilen.isdigit() or not changes.isdigit():
                problems.append((name, line, "expected datum, a 12-digit ars, quelle, and two counts"))
                continue
            # The source link of /ozg/rangliste/, every municipality's page and the exports.
            if not is_http_url(quelle):
                problems.append((name, line, f"quelle: expected an http(s) URL, got {quelle[:80]!r}"))
                continue
            imports.append(Import(day, ars, quelle, int(zeilen), int(changes), stand_day,
                                  umfang or "darunter", tuple(spalten.split())))
    reasons = {}
    if (base / "begruendungen.csv").exists():
        name = shown(base / "begruendungen.csv")
        for line, (ars, leika, ozgid, reason) in _csv_rows(base / "begruendungen.csv", name, REASON_COLUMNS, problems):
            if not is_ars(ars) or leika_ok[leika] is None:
                problems.append((name, line, "expected a 12-digit ars and a 14-digit leika_key"))
            else:
                reasons[(ars, leika, ozgid)] = reason
    if problems:
        raise DataError(problems)
    return Store(rows, regions, sorted(imports, key=lambda i: (i.datum, i.ars)), reasons)


# --- writing (the importer) ------------------------------------------------------

def _csv_text(columns, rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def _status_lines(rows) -> str:
    """_csv_text(STATUS_COLUMNS, …) of the rows (sorted by key and datum), byte for byte. The
    lines are joined from the fields a column at a time, at C speed; when the whole text then has
    a comma, quote or line break more than the fields' separators and ends (a field the csv module
    would quote), the rows are written again through the csv module. Several times faster for
    the 645,000 rows of all NRW."""
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return _csv_text(STATUS_COLUMNS, [])
    # ozg_id, datum and vorhanden as one text, made once for each of the few distinct triples
    middle = _Checked(lambda triple: f"{'' if triple[0] is None else triple[0]},{triple[1].isoformat()},"
                                     f"{'ja' if triple[2] else 'nein'}")
    column = lambda *index: map(operator.itemgetter(*index), rows)  # noqa: E731
    lines = map(",".join, zip(column(0), column(1), column(2), map(middle.__getitem__, column(3, 4, 5)),
                              column(6), column(7), column(8), column(9)))
    text = ",".join(STATUS_COLUMNS) + "\n" + "\n".join(lines) + "\n"
    count = len(rows) + 1
    if (text.count(",") == (len(STATUS_COLUMNS) - 1) * count and text.count("\n") == count
            and '"' not in text and "\r" not in text):
        return text
    return _csv_text(STATUS_COLUMNS, [(*row[:3], *middle[row[3:6]].split(","), *row[6:]) for row in rows])


def status_texts(rows, kreise=None, presorted=False):
    """(relative path, text) for the status rows, one sorted file per Kreis, one at a time:
    all NRW is 126 MB of text, never held at once. `kreise`: only the files of these Kreise
    (first 5 digits of the ARS), the others are left out. `presorted`: the rows are sorted
    by key and datum already (as the importer's merge leaves them), no sorted copy is made.
    Sorted rows make each Kreis's file one run of them, built and handed on before the next."""
    if not presorted:
        rows = sorted(rows, key=operator.itemgetter(0, 1, 2, 4))
    if kreise is None:
        for kreis, run in itertools.groupby(rows, key=lambda r: r[0][:5]):
            yield kreis_file(kreis), _status_lines(run)
        return
    for kreis in sorted(kreise):  # each Kreis's rows found by bisection, the others not looked at
        low = bisect.bisect_left(rows, kreis, key=lambda r: r[0][:5])
        high = bisect.bisect_right(rows, kreis, lo=low, key=lambda r: r[0][:5])
        if high > low:
            yield kreis_file(kreis), _status_lines(rows[low:high])


def regions_text(regions: dict) -> str:
    return _csv_text(REGION_COLUMNS, [(ars, *regions[ars]) for ars in sorted(regions)])


def imports_text(imports) -> str:
    return _csv_text(IMPORT_COLUMNS, [
        (i.datum.isoformat(), i.ars, i.quelle, i.stand.isoformat() if i.stand else "", i.umfang,
         " ".join(i.spalten), str(i.zeilen), str(i.aenderungen))
        for i in sorted(imports, key=lambda i: (i.datum, i.ars))
    ])


def reasons_text(reasons: dict) -> str:
    return _csv_text(REASON_COLUMNS, [(*key, reasons[key]) for key in sorted(reasons)])
