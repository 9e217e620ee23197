"""Read a federal dashboard export in whatever shape it comes: CSV, XLSX or paged JSON.

Nothing about the shape is assumed. CSV: the delimiter (`,` or `;`), a UTF-8
byte order mark and the quoting are detected. Headers may be snake_case or
camelCase. Every record is checked; a structural problem (a missing column, a
key of the wrong length, a short row) stops the import with its row number,
an enumeration value we do not know only produces a warning. Rows are read one
at a time (an NRW export is 645,000 of them); fetching, and the JSON pages, are
dashboard_fetch.py's. A ShapeError (no export at all) gets the importer's diagnosis.
"""

import csv
import functools
import io
import itertools
import re
import zipfile
from collections import Counter
from typing import NamedTuple

from wachhund.lib.net import is_http_url

from wachhund.ozg.regions import AKTIV, COVERAGE, ONLINE_STATUS, is_ars
from wachhund.lib.yamlfile.text import UNCLEAN

from .common import clean_cells, printable

REQUIRED = ("leika_key", "ars", "ozgid", "url", "online_status", "aktiv", "art_flaechendeckung")
OPTIONAL = ("ars_name", "bundesland", "leika_name", "leika_bezeichnung", "ozg_bezeichnung",
            # the Open-PVOG export's additions (2025); export_datum is deprecated there and not read
            "begruendung_nicht_beruecksichtigt", "datenstand_pvog_import", "export_datum",
            "ars_federal_state")
KNOWN = frozenset(REQUIRED + OPTIONAL)
ALIASES = {"ozg_id": "ozgid", "leika_schluessel": "leika_key"}
MAX_REPORTED = 20


class ExportError(ValueError):
    """The export cannot be imported; the message names the row."""


class ShapeError(ExportError):
    """The answer is no export shape we know (no header with our columns, JSON without
    records): the importer adds URL, HTTP status, content type and first bytes."""


class Record(NamedTuple):
    """One checked row of an export. A tuple: an NRW export has 645,000 of them."""

    where: str  # "line 17" (CSV), "row 17" (XLSX), "record 17" (JSON)
    ars: str
    leika_key: str
    ozgid: str
    online_status: str
    aktiv: str
    art: str
    url: str
    ars_name: str
    bundesland: str
    begruendung: str = ""  # begruendung_nicht_beruecksichtigt
    datenstand: str = ""  # datenstand_pvog_import, as the export writes it


STATE_COLUMNS = ("online_status", "aktiv", "art_flaechendeckung")
KNOWN_STATES = (frozenset(ONLINE_STATUS), frozenset(AKTIV), frozenset(COVERAGE))
LISTED_STATES = tuple(", ".join(repr(k) for k in known) for known in (ONLINE_STATUS, AKTIV, tuple(COVERAGE)))


class RowWarnings:
    """The warnings of one export: of each kind that rows give (an unknown value of a column, a
    URL that is none, a character cleaned out of a column) at most SHOWN, the rest counted and
    summed up by `close`. A change of wording upstream would otherwise print a line for each of
    an NRW export's 645,000 rows, and `make update` keep every one of them."""

    SHOWN = 5

    def __init__(self, warn, source: str):
        self.warn, self.source, self.count = warn, source, Counter()
        self.values = {}  # column -> the unknown values that have a kind of their own

    def unknown(self, label: str, value: str) -> str:
        """The kind of an unknown value's warning: column and value for a column's first SHOWN
        values, then the column alone (a value that differs in every row, a date say, must
        not bring back a line for every row)."""
        values = self.values.setdefault(label, set())
        if value in values or len(values) < self.SHOWN:
            values.add(value)
            return f"unknown {label} {value!r}"
        return f"unknown {label}, further values"

    def __call__(self, message: str, kind: str | None = None) -> None:
        if kind is not None:
            self.count[kind] += 1
            if self.count[kind] > self.SHOWN:
                return
        self.warn(message)

    def unknown_values(self, where: str, state: tuple) -> None:
        """A warning for each value of (online_status, aktiv, art_flaechendeckung) we do not know."""
        for label, value, allowed, listed in zip(STATE_COLUMNS, state, KNOWN_STATES, LISTED_STATES):
            if value not in allowed:
                self(f"{where}: unknown {label} {value!r} (known: {listed}); counted as not available",
                     self.unknown(label, value))

    def url(self, where: str, url: str) -> str:
        """A URL that is_http_url refused: on one line, it may pass; otherwise "" and a warning."""
        url = _one_line(url)
        if url and not is_http_url(url):
            self(f"{where}: url {url!r} is not an http(s) URL; left out", "url: not an http(s) URL")
            return ""
        return url

    def cleaned(self, where: str, names=None):
        """A clean_cells warn for the row at `where` (its cells named by `names`, when given by position)."""
        def warn(message: str) -> None:
            message = _named(message, names) if names is not None else message
            self(message, message[len(where) + 2:])  # the kind: "column: what was replaced"
        return warn

    def close(self) -> None:
        for kind, count in sorted(self.count.items()):
            if count > self.SHOWN:
                self.warn(f"{self.source}: {kind}: {count} Zeilen insgesamt, "
                          f"die ersten {self.SHOWN} sind oben genannt")


def column_name(header: str) -> str:
    """`leikaKey`, `Leika_Key`, ` leika-key ` -> `leika_key`."""
    name = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", header.strip().strip('"').strip())
    name = re.sub(r"[\s\-]+", "_", name).lower()
    return ALIASES.get(name, name)


def _columns(header, source: str, where: str, warn=None) -> list:
    names = [column_name(str(h or "")) for h in header]
    shown = [printable(n) for n in names]  # the header's names as messages show them
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise ShapeError(
            f"{source}: {where}: not a dashboard export; missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(n for n in shown if n) or 'none'})"
        )
    twice = sorted({n for n in names if n in KNOWN and names.count(n) > 1})
    if twice:  # which of the two holds the data cannot be known
        where_twice = "; ".join(f"{n} (columns {', '.join(str(i + 1) for i, m in enumerate(names) if m == n)})"
                                for n in twice)
        raise ExportError(f"{source}: {where}: a column appears twice: {where_twice}")
    unknown = [s for n, s in zip(names, shown) if n and n not in KNOWN]
    if unknown and warn:
        warn(f"{source}: unbekannte Spalte(n) {', '.join(unknown)}: nicht übernommen "
             "(neu im Export? Das Wachhund-Team prüft, ob sie gebraucht werden)")
    return names


def columns_seen(names) -> tuple:
    """The known columns of an export, sorted: the import log keeps them, so a column
    that goes missing upstream is noticed (see dashboard.hold_back)."""
    return tuple(sorted(set(names) & KNOWN))


def csv_numbered_rows(handle, source: str, warn=None, seen=None):
    """(line number, [value, …]) for every data row of a CSV export in a binary file, read as it
    goes (an NRW export is 126 MB), in the order of the header, which `seen` (a list) gets; the
    number becomes text ("line 17") only where a message needs it."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        first_line = text.readline()
        text.seek(0)
        yield from _csv_stream(text, first_line, source, warn, seen)
    except UnicodeDecodeError as exc:
        raise ShapeError(f"{source}: {_undecodable(handle, exc)}") from None
    finally:
        text.detach()


def _undecodable(handle, exc: UnicodeDecodeError) -> str:
    """Where the first byte that is no UTF-8 is: the text is decoded in large pieces, so the
    error itself does not know its line. Lines end at a newline byte, which no multi-byte
    character contains, so each line can be decoded on its own."""
    handle.seek(0)
    for number, raw in enumerate(handle, start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as found:
            return (f"line {number}: not UTF-8 text (byte 0x{raw[found.start]:02x}, byte {found.start + 1} of the "
                    f"line: {found.reason}; an export in Latin-1 or Windows-1252?)")
    return f"not UTF-8 text ({exc.reason})"


# UNCLEAN's characters as UTF-8 bytes: C0 controls but tab, LF, CR; DEL; C1 (U+0080-U+009F);
# surrogates; U+FFFE/U+FFFF. A byte scan costs a tenth of decoding the text and searching it.
_C0 = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20)) + b"\x7f"
_NOT_C0 = bytes(sorted(set(range(256)) - set(_C0)))
_MULTIBYTE = re.compile(rb"\xc2[\x80-\x9f]|\xed[\xa0-\xbf]|\xef\xbf[\xbe\xbf]")


def _may_be_multibyte(chunk: bytes) -> bool:
    # a one-byte find is a memchr (a two-byte one is not): most exports hold none of these
    # lead bytes, the regex is then skipped
    return b"\xc2" in chunk or b"\xed" in chunk or (b"\xef" in chunk and b"\xef\xbf" in chunk)


def file_is_clean(handle) -> bool:
    """No character that data text may not hold anywhere in the file (the usual case): one
    pass over its bytes in large pieces, so the rows need not be screened one by one. Bytes
    that are no UTF-8 may make it answer False: the rows are then screened (or refused)."""
    tail = b""
    try:
        for piece in iter(lambda: handle.read(1 << 22), b""):
            chunk = tail + piece  # a character cut in two by the piece's end
            if chunk.translate(None, _NOT_C0) or (_may_be_multibyte(chunk) and _MULTIBYTE.search(chunk)):
                return False
            tail = piece[-2:]
        return True
    finally:
        handle.seek(0)


def _csv_stream(lines, first_line: str, source: str, warn, seen):
    """(line number, row) of every data row. A line without a quote, NUL or lone CR is split
    at the delimiter directly (what the csv module would make of it, at a fraction of its
    cost); any other record is read by the csv module, over as many lines as it spans."""
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        names = _columns(next(reader, []), source, "line 1", warn)
    except csv.Error as exc:
        raise ExportError(f"{source}: line {reader.line_num}: {exc}") from None
    if seen is not None:
        seen.extend(names)
    width = len(names)
    done = reader.line_num  # physical lines read so far
    for line in lines:
        start = done + 1
        body = line[:-2] if line.endswith("\r\n") else line[:-1] if line.endswith("\n") else line
        if '"' in body or "\r" in body or "\0" in body:
            record = csv.reader(itertools.chain([line], lines), delimiter=delimiter, strict=True)
            try:
                row = next(record, [])
            except csv.Error as exc:
                raise ExportError(f"{source}: line {done + record.line_num}: {exc}") from None
            done += record.line_num
        else:
            row = body.split(delimiter) if body else []
            done += 1
        if row:
            if len(row) != width:
                raise ExportError(
                    f"{source}: line {start}: expected {width} fields separated by {delimiter!r}, "
                    f"got {len(row)} (a truncated download, or a broken row)"
                )
            yield start, row


def _cell(value, digits=0) -> str:
    """An XLSX cell as text; numbers that Excel made of keys get their leading zeros back."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and digits:
        return str(value).zfill(digits)
    return str(value).strip()


def xlsx_rows(raw: bytes, source: str, warn=None, seen=None):
    from openpyxl import load_workbook  # only the importer needs it

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ExportError(f"{source}: not a complete XLSX file ({exc})") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        names = _columns(next(rows, ()), source, "row 1", warn)
        if seen is not None:
            seen.extend(names)
        digits = {"ars": 12, "leika_key": 14}
        for number, row in enumerate(rows, start=2):
            if row is None or all(v is None for v in row):
                continue
            values = {n: _cell(v, digits.get(n, 0)) for n, v in zip(names, row, strict=False)}
            yield f"row {number}", values
    finally:
        book.close()


def _json_text(value) -> str:
    """A JSON value as the CSV export writes it: JSON is typed, `"aktiv": true` is the CSV's `ja`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    return str(value).strip()


def json_rows(records, source: str, first: int = 1, warn=None, seen=None):
    checked = False
    for number, record in enumerate(records, start=first):
        if not isinstance(record, dict):
            raise ExportError(f"{source}: record {number}: expected an object")
        values = {column_name(k): _json_text(v) for k, v in record.items()}
        if not checked:
            names = _columns(list(record), source, f"record {number}", warn)
            if seen is not None:
                seen.extend(names)
            checked = True
        missing = [c for c in REQUIRED if c not in values]
        if missing:
            raise ExportError(f"{source}: record {number}: missing {', '.join(missing)}")
        yield f"record {number}", values


class _Once(dict):
    """Each distinct value worked out once: an NRW export repeats a few hundred keys,
    names and status texts 645,000 times."""

    def __init__(self, convert):
        super().__init__()
        self.convert = convert

    def __missing__(self, value):
        self[value] = result = self.convert(value)
        return result


def _one_line(value: str) -> str:
    """Whitespace runs (line breaks included) become one space: the store keeps one record per line."""
    return " ".join(value.split())


def ozg_key(value: str) -> str:
    """A checked OZG-ID (digits or nothing) as the store keeps it: without leading zeros. `007`
    and `7` name one Leistung, and an export that starts writing them must not make every
    service of the store a new one (and every old one gone) on one day."""
    return value.lstrip("0") or value[:1]


new_record = functools.partial(tuple.__new__, Record)  # Record(...) without its Python __new__
NEEDED = ("ars", "leika_key", "ozgid", "online_status", "aktiv", "art_flaechendeckung", "url", "ars_name",
          "bundesland", "begruendung_nicht_beruecksichtigt", "datenstand_pvog_import")


def iter_records(rows, source: str, warn: RowWarnings):
    """Checked Records from (where, row dict), one at a time (XLSX and JSON exports; CSV has
    its own one-pass reader, ExportDigest.read_csv): structural problems raise ExportError
    (the first MAX_REPORTED of them, or at the end), unknown enumeration values go to `warn`."""
    problems = []
    norm = _Once(_one_line)
    ars_ok = _Once(is_ars)
    leika_ok = _Once(lambda v: len(v) == 14 and v.isascii() and v.isdigit())
    ozgid_ok = _Once(lambda v: not v or (v.isascii() and v.isdigit()))
    ozgid_key = _Once(ozg_key)
    known = KNOWN_STATES
    unclean = UNCLEAN.search
    for where, values in rows:
        if unclean("".join(v for v in values.values() if isinstance(v, str))):  # control characters, lone surrogates
            values = clean_cells(values, f"{source}: {where}", warn.cleaned(f"{source}: {where}"))
        cells = [values.get(n) or "" for n in NEEDED]
        ars, leika, ozgid, online, aktiv, art, url, name, land, reason, datenstand = cells
        ars, leika, ozgid = norm[ars], norm[leika], norm[ozgid]
        if not ars_ok[ars]:
            problems.append(f"{source}: {where}: ars: expected 12 digits, got {ars!r}")
        if not leika_ok[leika]:
            problems.append(f"{source}: {where}: leika_key: expected 14 digits, got {leika!r}")
        if not ozgid_ok[ozgid]:
            problems.append(f"{source}: {where}: ozgid: expected a number or nothing, got {ozgid!r}")
        if problems:
            if len(problems) >= MAX_REPORTED:
                break
            continue
        online, aktiv, art = norm[online], norm[aktiv], norm[art]
        if online not in known[0] or aktiv not in known[1] or art not in known[2]:
            warn.unknown_values(f"{source}: {where}", (online, aktiv, art))
        # Nearly every URL is distinct: checked directly (a URL that passes has no whitespace to fold).
        if url and not is_http_url(url):
            url = warn.url(f"{source}: {where}", url)
        yield new_record((where, ars, leika, ozgid_key[ozgid], online, aktiv, art, url,
                          norm[name], norm[land], norm[reason], norm[datenstand]))
    if problems:
        raise ExportError("\n".join(problems) + ("\n(further rows not checked)" if len(problems) >= MAX_REPORTED else ""))


def _named(message: str, names) -> str:
    """A cleaning warning about cell 3 names its column instead."""
    where, _sep, rest = message.rpartition(": ")
    head, _sep2, index = where.rpartition(": ")
    return f"{head}: {names[int(index)]}: {rest}" if index.isdigit() and int(index) < len(names) else message
