"""`make update-ozg [ARS=…]`: import the federal dashboard's status data into data/ozg/dashboard/.

Downloads the export of the "Dashboard Digitale Verwaltung" for each regional key
of OZG['IMPORT'] (or the one `--ars`), with every key below it (`darunter`) or
only the keys above it (`darueber`); URL template from OZG['DASHBOARD_URL'] or
--url, `{ars}` in it. How the two generations of the API are read:
dashboard_fetch.py. The store records a row only where a service's status
differs from the last one recorded, so an import of unchanged data writes no
byte. Anything wrong with an export stops that key's import before a file is
written; an export that looks like a bad day upstream (far fewer rows, a region
gone, a column gone) is held back until `--annehmen`.
"""

import argparse
import bisect
import contextlib
import datetime as dt
import functools
import gc
import itertools
import operator
import os
import tempfile
import urllib.parse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import aiohttp

from wachhund.lib.net import UnsafeURL
from wachhund.lib.net import is_http_url
from wachhund.lib.yamlfile.text import UNCLEAN
from wachhund.lib.yamlfile import DataError

from wachhund.ozg.regions import AKTIV, COVERAGE, ONLINE_STATUS, above, counts, is_ars
from wachhund.ozg.schema import load_catalogue
from wachhund.lib.files import Busy, sole_writer
from wachhund.lib.settings import SettingsError, settings_file
from wachhund.ozg.settings import get_settings
from wachhund.ozg.status_store import (Import, StatusRow, imports_text, read_store, reasons_text, regions_text,
                                       status_texts, store_dir)
from . import dashboard_fetch as fetching
from . import export_formats as formats
from .common import ROOT, SOURCES, clean_cells, printable
from .wsp import MAPPING_FILE, leika_to_ozg

HELD_BACK = 3  # exit code: an import held back as a likely bad day upstream
UNKNOWN_AT_MOST = 0.5  # share of rows with a status value we do not know: more is held back as a bad day


class Staged:
    """Files written beside their targets, then renamed into place together (commit): an
    import that fails before that leaves every file as it was. Unchanged texts are skipped,
    so a second import of the same data changes no byte and no modification time."""

    def __init__(self, dry_run=False):
        self.dry_run, self.pending = dry_run, []

    def add(self, target: Path, text: str) -> bool:
        if target.exists() and target.read_text(encoding="utf-8") == text:
            return False
        if not self.dry_run:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            self.pending.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
        return True

    def commit(self) -> None:
        for tmp, target in self.pending:
            os.replace(tmp, target)
        self.pending = []

    def discard(self) -> None:
        for tmp, _target in self.pending:
            Path(tmp).unlink(missing_ok=True)
        self.pending = []


class HeldBack(Exception):
    """The export looks like a bad day upstream; the message gives the figures."""


_status_row = functools.partial(tuple.__new__, StatusRow)  # StatusRow(...) without its Python __new__


class ExportDigest:
    """What the store needs of an export, gathered row by row as it is read: the export
    itself is never held whole (an NRW export: 645,000 rows, 126 MB)."""

    def __init__(self, import_ars, umfang, catalogue, mapping, datum):
        self.import_ars, self.umfang, self.datum = import_ars, umfang, datum
        self.catalogue, self.mapping = catalogue, mapping
        self.rows = 0
        self.keys = set()  # the regional keys that have rows
        self.chosen = []  # a StatusRow per row; incoming() sorts them and keeps one per service key
        self.regions = {}  # ars -> (name, bundesland)
        self.reasons = {}  # service key -> begruendung_nicht_beruecksichtigt
        self.datenstand = set()
        self.stray = None  # the first row of a key outside the import's scope
        self._scope, self._ozg = {}, {}
        self._named_twice = set()  # keys with more than one name in the export (warned about once)
        self.unknown_rows = 0  # rows with a status value we do not know: they count as not available
        self.unknown = {}  # (column, value) -> rows, of those values

    def add(self, record, warn=None) -> None:
        self.rows += 1
        if record.online_status not in ONLINE_STATUS or record.aktiv not in AKTIV or record.art not in COVERAGE:
            self.unknown_value(record.online_status, record.aktiv, record.art)
        ars = record.ars
        if ars not in self._scope:
            self._scope[ars] = in_scope(ars, self.import_ars, self.umfang)
            self.keys.add(ars)
        if not self._scope[ars]:
            self.stray = self.stray or record
            return
        if record.ars_name:
            self.name(ars, (record.ars_name, record.bundesland), record.where, warn)
        if record.datenstand:
            self.datenstand.add(record.datenstand)
        if record.begruendung:
            self.reason((ars, record.leika_key, record.ozgid), record.begruendung)
        ids = (record.ozgid, record.leika_key)
        ozg_id = self._ozg.get(ids, False)
        if ozg_id is False:
            ozgid = record.ozgid
            ozg_id = self._ozg[ids] = (int(ozgid) if ozgid and int(ozgid) in self.catalogue
                                       else self.mapping.get(record.leika_key))
        row = _status_row((ars, record.leika_key, record.ozgid, ozg_id, self.datum, True,
                           record.online_status, record.aktiv, record.art, record.url))
        self.chosen.append(row)

    def unknown_value(self, online: str, aktiv: str, art: str) -> None:
        """A row with a value we do not know counts as not available: many of them are a bad day."""
        self.unknown_rows += 1
        for label, value, allowed in zip(formats.STATE_COLUMNS, (online, aktiv, art), formats.KNOWN_STATES):
            if value not in allowed:
                self.unknown[(label, value)] = self.unknown.get((label, value), 0) + 1

    def name(self, ars: str, named: tuple, where: str, warn=None) -> None:
        """A key's (name, Land): of several in one export the first in sort order, whatever the
        order of the rows (the store's bytes must not depend on it), and a warning."""
        known = self.regions.get(ars)
        if known is None or named < known:
            self.regions[ars] = named
        if known is not None and known != named and ars not in self._named_twice:
            self._named_twice.add(ars)
            if warn:
                warn(f"{where}: ars {ars} heißt hier „{named[0]}“, in einer anderen Zeile „{known[0]}“; "
                     f"gespeichert: „{min(named, known)[0]}“")

    def reason(self, key: tuple, text: str) -> None:
        """A service's begruendung_nicht_beruecksichtigt: of several rows, the first in sort order."""
        known = self.reasons.get(key)
        if known is None or text < known:
            self.reasons[key] = text

    def read_csv(self, handle, source: str, warn: formats.RowWarnings, seen: list, clean: bool) -> None:
        """add() for every row of a CSV export, in one loop: formats.iter_records's checks (the
        same messages) fused with the collecting, rows read by position. The NRW export's
        645,000 rows make each step per row count; what repeats is worked out once per value."""
        problems, limit = [], formats.MAX_REPORTED
        norm = formats._Once(formats._one_line)
        ars_ok = formats._Once(is_ars)
        leika_ok = formats._Once(lambda v: len(v) == 14 and v.isascii() and v.isdigit())
        ozgid_ok = formats._Once(lambda v: not v or (v.isascii() and v.isdigit()))
        known = formats.KNOWN_STATES
        unclean = UNCLEAN.search
        scope, keys, datenstand, ozg = self._scope, self.keys, self.datenstand, self._ozg
        chosen, datum, catalogue, mapping = self.chosen, self.datum, self.catalogue, self.mapping
        import_ars, umfang = self.import_ars, self.umfang
        good_ars, good_leika, good_ozgid, good_states = {}, {}, {}, {}
        region_ars = region_name = region_land = None
        fields = None
        rows = 0
        for start, row in formats.csv_numbered_rows(handle, source, warn, seen):
            if fields is None:  # the header is known once the first row is read
                # A missing optional column reads the "" appended to every row.
                fields = operator.itemgetter(*[seen.index(n) if n in seen else -1 for n in formats.NEEDED])
            if not clean and unclean("".join(row)):
                row = list(clean_cells(dict(enumerate(row)), f"{source}: line {start}",
                                       warn.cleaned(f"{source}: line {start}", seen)).values())
            row.append("")
            raw_ars, raw_leika, raw_ozgid, online, aktiv, art, url, name, land, reason, stand = fields(row)
            # a key seen before in good shape: its normalised form; otherwise the full checks
            ars, leika, ozgid = good_ars.get(raw_ars), good_leika.get(raw_leika), good_ozgid.get(raw_ozgid)
            if ars is None or leika is None or ozgid is None:
                ars, leika, ozgid = norm[raw_ars], norm[raw_leika], norm[raw_ozgid]
                if not ars_ok[ars]:
                    problems.append(f"{source}: line {start}: ars: expected 12 digits, got {ars!r}")
                else:
                    good_ars[raw_ars] = ars
                if not leika_ok[leika]:
                    problems.append(f"{source}: line {start}: leika_key: expected 14 digits, got {leika!r}")
                else:
                    good_leika[raw_leika] = leika
                if not ozgid_ok[ozgid]:
                    problems.append(f"{source}: line {start}: ozgid: expected a number or nothing, got {ozgid!r}")
                else:
                    good_ozgid[raw_ozgid] = ozgid = formats.ozg_key(ozgid)
            if problems:
                if len(problems) >= limit:
                    break
                continue
            raw_state = (online, aktiv, art)
            state = good_states.get(raw_state)
            if state is None:
                state = online, aktiv, art = norm[online], norm[aktiv], norm[art]
                if online not in known[0] or aktiv not in known[1] or art not in known[2]:
                    self.unknown_value(online, aktiv, art)
                    warn.unknown_values(f"{source}: line {start}", state)
                else:  # unknown values are warned about in every row, known ones remembered
                    good_states[raw_state] = state
            else:
                online, aktiv, art = state
            if url and not is_http_url(url):
                url = warn.url(f"{source}: line {start}", url)
            # add(), for this row
            rows += 1
            inside = scope.get(ars)
            if inside is None:
                inside = scope[ars] = in_scope(ars, import_ars, umfang)
                keys.add(ars)
            if not inside:
                if self.stray is None:
                    self.stray = formats.new_record((f"line {start}", ars, leika, ozgid, online, aktiv, art, url,
                                                     norm[name], norm[land], norm[reason], norm[stand]))
                continue
            if name and (ars is not region_ars or name != region_name or land != region_land):
                region_ars, region_name, region_land = ars, name, land  # the rows of a region come together
                name = norm[name]
                if name:
                    self.name(ars, (name, norm[land]), f"{source}: line {start}", warn)
            if stand:
                stand = norm[stand]
                if stand:
                    datenstand.add(stand)
            if reason:
                reason = norm[reason]
                if reason:
                    self.reason((ars, leika, ozgid), reason)
            ids = (ozgid, leika)
            ozg_id = ozg.get(ids, False)
            if ozg_id is False:
                ozg_id = ozg[ids] = (int(ozgid) if ozgid and int(ozgid) in catalogue else mapping.get(leika))
            chosen.append(_status_row((ars, leika, ozgid, ozg_id, datum, True, online, aktiv, art, url)))
        self.rows += rows
        if problems:
            raise formats.ExportError("\n".join(problems) + ("\n(further rows not checked)" if len(problems) >= limit
                                                               else ""))

    def incoming(self) -> list:
        """One StatusRow per service key, sorted by key: of several rows for one key (rare),
        the preferred one (row_preference: independent of row order)."""
        rows, self.chosen = self.chosen, []
        # Sorted as whole tuples, in place: no list of 645,000 sort keys beside the rows. Rows of
        # one key agree up to the status (ozg_id follows from the key), so the key comes first.
        rows.sort()
        # Two rows of one service key are neighbours now, and so share their LeiKa key: the
        # usual export has no neighbours that do, checked at C speed.
        leika = operator.itemgetter(1)
        if not any(map(operator.eq, map(leika, rows), map(leika, itertools.islice(rows, 1, None)))):
            return rows
        result = []
        previous = None
        for row in rows:
            if previous is not None and row[0] == previous[0] and row[1] == previous[1] and row[2] == previous[2]:
                if row_preference(row) < row_preference(result[-1]):
                    result[-1] = row
            else:
                result.append(row)
            previous = row
        return result


def read_export(url: str, digest: ExportDigest, allow_private: bool, warn, log=None) -> tuple:
    """Fill `digest` from the export at `url`, every page of it; the known columns it had."""
    log = log or (lambda message: print(message, file=sys.stderr))
    kind, payload, answer = fetching.fetch(url, allow_private, log)
    seen = []
    warn = formats.RowWarnings(warn, url)
    try:
        if kind == "whole":
            with payload:
                if answer.body[:4] == b"PK\x03\x04":
                    records = formats.iter_records(formats.xlsx_rows(payload.read(), url, warn, seen), url, warn)
                else:  # rows by position: `seen` holds the header once the first row is read
                    records = ()
                    digest.read_csv(payload, url, warn, seen, formats.file_is_clean(payload))
                for record in records:
                    digest.add(record, warn)
        else:
            with payload:  # the pages, read back one at a time
                for record in formats.iter_records(formats.json_rows(payload, url, warn=warn, seen=seen), url, warn):
                    digest.add(record, warn)
    except formats.ShapeError as exc:
        raise fetching.Unusable(fetching.diagnosis(answer, str(exc))) from None
    finally:
        warn.close()
    if not digest.rows:
        raise fetching.Unusable(fetching.diagnosis(answer, "der Export enthält keine einzige Datenzeile"))
    return formats.columns_seen(seen)


def data_date(values, warn, until: dt.date | None = None) -> dt.date | None:
    """The newest datenstand_pvog_import of the rows (its distinct values): the honest Stand of the
    figures. A date after `until` (the day of the import) cannot be the data's: warned about, not used."""
    days, odd = set(), set()
    for value in values:
        day = parse_day(value)
        (days.add(day) if day else odd.add(value))
    if odd:
        warn(f"datenstand_pvog_import: {len(odd)} Wert(e) ohne lesbares Datum, z. B. {sorted(odd)[0]!r}")
    later = sorted(day for day in days if until is not None and day > until)
    if later:
        warn(f"datenstand_pvog_import: {len(later)} Datum/Daten nach dem Importtag {until:%d.%m.%Y}, z. B. "
             f"{later[-1].isoformat()}: nicht als Stand übernommen")
    return max((day for day in days if until is None or day <= until), default=None)


def parse_day(value: str) -> dt.date | None:
    """2026-12-01, 2026-12-01T04:00:00Z or 01.12.2026 -> the day."""
    value = value.strip()
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(value[:10], "%d.%m.%Y").date()
    except ValueError:
        return None


def row_preference(row):
    """Of several rows for one service key, the one recorded: a counted row before
    others, wider coverage first, then the smallest URL (independent of row order)."""
    online, aktiv, art, url = row[6], row[7], row[8], row[9]
    return (not counts(online, aktiv, art), -COVERAGE.get(art, -1), url, online, aktiv, art)


def merge(store, incoming: list, datum: dt.date, touched: set | None = None,
          partial: frozenset = frozenset()) -> tuple[list, int]:
    """The store's rows after this import, sorted by key and date, and how many service keys changed.

    A key absent from the export, under a regional key the export does contain,
    gets a row saying it is gone. Re-importing on the same day replaces that
    day's rows, so the result depends only on the last import of the day.
    Under a regional key in `partial` (the keys above a city imported `darueber`:
    the country's and the Land's, which NRW's import brings too) the export speaks
    only for the services it has: one it lacks keeps its rows, today's included.
    The store's rows (sorted by key and date) and `incoming` (one row per service key,
    sorted by key) are walked side by side: no index of the whole store is built.
    `touched` (a set) gets the Kreis (first 5 digits) of every key whose rows differ
    from the store's: only those Kreis files need to be written again."""
    touched = set() if touched is None else touched
    stored, result, changed = store.rows, [], 0
    by_kreis, coming = _kreis_runs(stored), _kreis_runs(incoming)
    for kreis in sorted(by_kreis.keys() | coming.keys()):  # the rows of one Kreis file at a time
        old, new = stored[slice(*by_kreis.get(kreis, (0, 0)))], incoming[slice(*coming.get(kreis, (0, 0)))]
        if not new or (old and _unchanged(old, new, datum)):
            result.extend(old)  # a Kreis this export has no row of is kept as it is (a city's import)
            continue
        rows, count = _merge_run(old, new, datum, touched, partial)
        result.extend(rows)
        changed += count
    return result, changed


_KREIS = lambda row: row[0][:5]  # noqa: E731
_DATUM = operator.itemgetter(4)
_COMPARED = operator.itemgetter(0, 1, 2, 3, 5, 6, 7, 8, 9)  # StatusRow but datum


def _kreis_runs(rows) -> dict:
    """{Kreis: (start, end)} of rows sorted by key: each Kreis's rows are one run."""
    runs, start = {}, 0
    while start < len(rows):
        kreis = rows[start][0][:5]
        end = bisect.bisect_right(rows, kreis, lo=start, key=_KREIS)
        runs[kreis], start = (start, end), end
    return runs


def _unchanged(old: list, new: list, datum: dt.date) -> bool:
    """The usual day, in a few passes at C speed: the export has exactly the stored service
    keys of this Kreis, each with the state of its one stored row, all recorded before `datum`;
    _merge_run would give back `old` with no change."""
    if len(old) != len(new) or max(map(_DATUM, old)) >= datum:
        return False
    # row by row, all fields but datum, stopping at the first difference
    return all(map(operator.eq, map(_COMPARED, old), map(_COMPARED, new)))


def _merge_run(stored: list, incoming: list, datum: dt.date, touched: set,
               partial: frozenset = frozenset()) -> tuple[list, int]:
    """merge() for the rows of one Kreis: the store's and the export's, side by side."""
    scope = {row[0] for row in incoming}
    result, changed, i, n = [], 0, 0, len(incoming)
    append, extend = result.append, result.extend
    j, m = 0, len(stored)
    coming = incoming[0][:3] if n else None  # the key of incoming[i]
    while j < m:  # one service key of the store at a time: its rows are stored[j:k]
        before = stored[j]
        key = before[:3]
        k = j + 1
        while k < m and stored[k][:3] == key:
            before, k = stored[k], k + 1
        while coming is not None and coming < key:  # keys new to the store
            append(incoming[i])
            touched.add(coming[0][:5])
            changed, i = changed + 1, i + 1
            coming = incoming[i][:3] if i < n else None
        new = None
        if coming == key:
            new, i = incoming[i], i + 1
            coming = incoming[i][:3] if i < n else None
        elif key[0] not in scope or key[0] in partial:
            extend(stored[j:k])  # a regional key this export does not speak about, or not for this service
            j = k
            continue
        if before[4] >= datum:  # rows of this day (or later) are replaced
            rows = [r for r in stored[j:k] if r.datum < datum]
            touched.add(key[0][:5])
            before = rows[-1] if rows else None
            extend(rows)
        else:
            extend(stored[j:k]) if k - j > 1 else append(before)
        j = k
        if new is None and before is not None and before.vorhanden:
            new = StatusRow(*key, before.ozg_id, datum, False, "", "", "", "")
        # StatusRow.state(): ozg_id (3) and everything from vorhanden (5) on
        if new is not None and (before is None or before[5:] != new[5:] or before[3] != new[3]):
            append(new)
            touched.add(key[0][:5])
            changed += 1
    if i < n:  # keys new to the store, after its last (the rows of one Kreis: one Kreis touched)
        touched.add(incoming[i][0][:5])
    extend(incoming[i:])
    return result, changed + n - i


def in_scope(ars: str, import_ars: str, umfang: str) -> bool:
    """A row belongs to an import of `import_ars` when its key is that key, lies above it,
    or (darunter, includeBelow) lies below it."""
    return ars == import_ars or ars in above(import_ars) or (umfang == "darunter" and import_ars in above(ars))


def current_keys(store, import_ars: str, umfang: str) -> set:
    """The regional keys in scope that have a service in the store's current state."""
    found, rows = set(), store.rows
    last = len(rows) - 1
    for index, row in enumerate(rows):  # sorted by key and date: a key's last row is its state
        if row[5] and row[0] not in found and (index == last or rows[index + 1][:3] != row[:3]):
            found.add(row[0])
    return {ars for ars in found if in_scope(ars, import_ars, umfang)}


def hold_back(store, import_ars, umfang, rows: int, keys: set, columns, share, unknown_rows=0, unknown=None) -> list:
    """Why this export looks like a bad day upstream (German, with the figures); empty: it does not.
    `unknown_rows` have a status value we do not know (`unknown`: {(column, value): rows}), and
    count as not available: when more than UNKNOWN_AT_MOST of the rows do, the figures would fall
    (say, an upstream "OK" for "ok": every one to zero), with the same number of rows."""
    reasons = []
    if rows and unknown_rows > rows * UNKNOWN_AT_MOST:
        shown = ", ".join(f"{label} {value!r}" for (label, value), _n in
                          sorted(unknown.items(), key=lambda item: (-item[1], item[0]))[:3])
        reasons.append(f"{unknown_rows} von {rows} Zeilen mit einem unbekannten Wert ({shown}), die als nicht "
                       "verfügbar zählten – hat das Dashboard seine Werte geändert?")
    previous = [i for i in store.imports if i.ars == import_ars]
    if previous:
        last = max(previous, key=lambda i: i.datum)
        if last.zeilen and rows < last.zeilen * (1 - share):
            drop = 1 - rows / last.zeilen
            reasons.append(f"{rows} Zeilen statt {last.zeilen} beim Import vom {last.datum:%d.%m.%Y} "
                           f"({drop:.0%} weniger; erlaubt sind höchstens {share:.0%})")
        # only columns the import reads: export_datum (deprecated upstream) or a name column may go
        gone = sorted((set(last.spalten) - set(columns)) & set(formats.NEEDED))
        if gone:
            reasons.append(f"Spalte(n) fehlen, die der Import vom {last.datum:%d.%m.%Y} hatte: {', '.join(gone)}")
    empty = sorted(current_keys(store, import_ars, umfang) - keys)
    if empty:
        shown = ", ".join(f"{ars} ({store.regions.get(ars, ('?',))[0]})" for ars in empty[:10])
        reasons.append(f"{len(empty)} Regionalschlüssel mit Diensten beim letzten Import haben keine Zeile mehr: "
                       f"{shown}{' …' if len(empty) > 10 else ''}")
    return reasons


def name_matches(configured: str, exported: str) -> bool:
    """"Frankfurt am Main" matches "Frankfurt am Main, Stadt"; "Duisburg" does not match "Essen"."""
    words = lambda text: [w for w in "".join(c if c.isalnum() else " " for c in text.casefold()).split()]  # noqa: E731
    wanted, have = words(configured), words(exported)
    return bool(wanted) and all(w in have for w in wanted)


def name_findings(regions: dict, group, listed=None) -> list:
    """Every peer-group key whose name differs from the export's (or that has none): reported,
    never used silently. `listed`: the API's list of regional keys ({ars: name}, /open-ars), asked
    for the keys the export names not; a str says why it could not be read."""
    findings = []
    if isinstance(listed, dict):  # what the API wrote, shown on the terminal: escaped
        listed = {key: printable(value) for key, value in listed.items()}
    for ars, name in group:
        exported = printable(regions.get(ars, ("", ""))[0])
        if not exported and isinstance(listed, dict) and ars in listed:
            if not name_matches(name, listed[ars]):
                findings.append(f"{ars}: OZG['VERGLEICHSGRUPPE_BUND'] nennt „{name}“, die Schlüsselliste der "
                                f"Schnittstelle „{listed[ars]}“ – Schlüssel oder Name in pelicanconf.py prüfen")
            findings.append(f"{ars} ({name}): keine Zeile im Export (laut Schlüsselliste: „{listed[ars]}“)")
        elif not exported:
            why = f"; Schlüsselliste nicht lesbar: {listed}" if isinstance(listed, str) else ""
            findings.append(f"{ars} ({name}): kein Name im Export{why} – ist der Schlüssel richtig?")
        elif not name_matches(name, exported):
            findings.append(f"{ars}: OZG['VERGLEICHSGRUPPE_BUND'] nennt „{name}“, der Export „{exported}“ – "
                            "Schlüssel oder Name in pelicanconf.py prüfen")
    return findings


def region_list(template: str, allow_private: bool):
    """{ars: name} from the API's list of regional keys (`…/dash/open-ars` beside the Open-PVOG
    export, `…/v1/ars` beside /v1/data), or a German sentence saying why it could not be read."""
    path = urllib.parse.urlsplit(template).path
    if "/open-pvog/" in path:
        url = template.split("/open-pvog/", 1)[0] + "/open-ars"
    elif "/v1/data/" in path:
        url = template.split("/v1/data/", 1)[0] + "/v1/ars"
    else:
        return "keine bekannte Adresse für die Schlüsselliste"
    try:
        data = fetching.fetch_json(url, allow_private)
    except (OSError, aiohttp.ClientError, ValueError, UnsafeURL) as exc:
        return f"{url}: {str(exc).splitlines()[0]}"
    entries = data.get("content", data) if isinstance(data, dict) else data
    listed = {}
    for entry in entries if isinstance(entries, list) else ():
        if isinstance(entry, dict):
            values = {formats.column_name(str(k)): v for k, v in entry.items()}
            ars = next((str(values[k]) for k in ("ars", "regionalschluessel", "schluessel") if k in values), "")
            name = next((str(values[k]) for k in ("name", "ars_name", "bezeichnung") if values.get(k)), "")
            if is_ars(ars) and name:
                listed[ars] = " ".join(name.split())
    return listed or f"{url}: keine Einträge mit Schlüssel und Name"


@dataclass
class Outcome:
    """What one key's import did, for the summary of `make update`."""

    ars: str
    umfang: str
    rows: int = 0
    changed: int = 0
    written: int = 0
    stand: dt.date | None = None
    problem: str = ""  # why it failed (nothing written)
    held: list = field(default_factory=list)  # why it was held back (nothing written)
    skipped: str = ""


@contextlib.contextmanager
def no_collections():
    """Python's cyclic garbage collector paused while half a million rows are made: it would
    walk all rows made so far again and again (a quarter of the import's time at NRW size),
    and rows, being tuples of strings, dates and numbers, make no cycles to collect."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # Everything made meanwhile moves to the oldest generation first: switched on with
            # the rows in the youngest, the collector's next pass would walk them all (0.4 s).
            gc.freeze()
            gc.unfreeze()
            gc.enable()


class Importer:
    """The store in memory across the keys of one run, written after each key that succeeds."""

    def __init__(self, data_dir: Path, datum: dt.date, *, allow_private=False, accept=False, dry_run=False,
                 share=0.2, sources_dir: Path = SOURCES, warn=None, log=None):
        self.data_dir, self.datum = Path(data_dir), datum
        self.allow_private, self.accept, self.dry_run, self.share = allow_private, accept, dry_run, share
        self.warn = warn or (lambda message: print(f"warning: {message}", file=sys.stderr))
        self.log = log or (lambda message: print(message, file=sys.stderr))
        self.catalogue, _source = load_catalogue(self.data_dir)
        with no_collections():
            self.store = read_store(self.data_dir)
        # The import log counts too: an import that saw no change adds no status row, and an
        # older day taken after it would make an older state the current one.
        newest = max(itertools.chain((row.datum for row in self.store.rows), (i.datum for i in self.store.imports)),
                     default=None)
        if newest is not None and datum < newest:
            raise ValueError(f"--date {datum} is older than the newest data in the store ({newest})")
        self.mapping = {k: v for k, v in leika_to_ozg(sources_dir / MAPPING_FILE).items() if v in self.catalogue}

    def one(self, import_ars: str, umfang: str, url: str) -> Outcome:
        """Import one key; raises (nothing written) on any problem, HeldBack on a likely bad day."""
        with no_collections():
            return self._one(import_ars, umfang, url)

    def _one(self, import_ars: str, umfang: str, url: str) -> Outcome:
        outcome = Outcome(import_ars, umfang)
        store = self.store
        digest = ExportDigest(import_ars, umfang, self.catalogue, self.mapping, self.datum)
        columns = read_export(url, digest, self.allow_private, self.warn, self.log)
        if digest.stray is not None:
            stray = digest.stray
            raise formats.ExportError(f"{url}: {stray.where}: ars {stray.ars} is neither {import_ars} "
                                      "nor a key above or below it (an export of another region?)")
        outcome.rows = digest.rows
        reasons = hold_back(store, import_ars, umfang, digest.rows, digest.keys, columns, self.share,
                            digest.unknown_rows, digest.unknown)
        if reasons and not self.accept:
            outcome.held = reasons
            raise HeldBack("\n".join(f"  - {r}" for r in reasons))
        if reasons:
            self.log(f"{import_ars}: übernommen trotz (--annehmen):\n" + "\n".join(f"  - {r}" for r in reasons))
        incoming = digest.incoming()
        touched = set()
        above = frozenset(digest.keys - {import_ars}) if umfang == "darueber" else frozenset()
        rows, changed = merge(store, incoming, self.datum, touched, above)
        del incoming
        regions = {**store.regions, **digest.regions}
        # The reasons for leaving a service out, as of this export, for every key it speaks about.
        explained = {k: v for k, v in store.reasons.items() if k[0] not in digest.keys}
        explained.update(digest.reasons)
        outcome.stand = data_date(digest.datenstand, self.warn, self.datum)
        # One row per import and day; a second run on one day replaces the first's
        # (its changes are counted against the day before, like the first run's).
        imports = [i for i in store.imports if (i.datum, i.ars) != (self.datum, import_ars)]
        imports.append(Import(self.datum, import_ars, url, digest.rows, changed, outcome.stand, umfang, columns))
        # Every file is staged beside its target before the first is renamed into place:
        # a failure above or while staging writes nothing (and one text is in memory at a time).
        base = store_dir(self.data_dir)
        # A Kreis file whose rows are the store's as read is not built again (the text
        # would be the same: the store is written by this code, and read back exactly).
        texts = ((base / name, text) for name, text in status_texts(rows, touched, presorted=True))
        extra = [(base / "regionen.csv", regions_text(regions)), (base / "importe.csv", imports_text(imports))]
        if explained or (base / "begruendungen.csv").exists():
            extra.append((base / "begruendungen.csv", reasons_text(explained)))
        outcome.changed = changed
        staged = Staged(dry_run=self.dry_run)
        try:
            outcome.written = sum(staged.add(path, text) for path, text in itertools.chain(texts, extra))
            staged.commit()
        finally:
            staged.discard()
        if not self.dry_run:
            store.rows, store.reasons = rows, explained
            store.imports = sorted(imports, key=lambda i: (i.datum, i.ars))
        store.regions = regions  # in a dry run too: the names are checked after the run
        return outcome


def run(data_dir: Path, import_ars: str, url: str, datum: dt.date, allow_private=False,
        sources_dir: Path = SOURCES, warn=None, umfang="darunter") -> int:
    """One key's import (the number of changed service keys); for scripts and benchmarks."""
    importer = Importer(data_dir, datum, allow_private=allow_private, sources_dir=sources_dir, warn=warn)
    return importer.one(import_ars, umfang, fetching.scoped(url, umfang)).changed


def covered_by(ars: str, umfang: str, plan) -> str | None:
    """The darunter key of this run whose export already holds this darueber key's rows."""
    if umfang != "darueber":
        return None
    return next((key for key, how in plan if how == "darunter" and (key == ars or key in above(ars))), None)


def shown(outcome: Outcome) -> str:
    """One line per key, the same words `make update` sums up."""
    head = f"OZG-Import {outcome.ars} ({outcome.umfang}):"
    if outcome.skipped:
        return f"{head} übersprungen – {outcome.skipped}"
    if outcome.problem:
        return f"{head} fehlgeschlagen – {outcome.problem.splitlines()[0]}"
    if outcome.held:
        return f"{head} zurückgehalten – {'; '.join(outcome.held)}"
    stand = f", Stand {outcome.stand:%d.%m.%Y}" if outcome.stand else ""
    return f"{head} {outcome.rows} Zeilen, {outcome.changed} Änderung(en){stand}, {outcome.written} Datei(en) geändert"


def import_all(importer: Importer, plan, template: str, group=()) -> tuple[list, list, int]:
    """(outcomes, findings, exit code) of importing every (ars, umfang) of `plan` in turn;
    one key's failure does not stop the next."""
    outcomes, code = [], 0
    for ars, umfang in plan:
        outcome = Outcome(ars, umfang)
        cover = covered_by(ars, umfang, plan)
        url = fetching.scoped(template.format(ars=ars), umfang)
        if cover:
            outcome.skipped = f"schon im Import von {cover} enthalten"
        else:
            try:
                outcome = importer.one(ars, umfang, url)
            except HeldBack as exc:
                print(f"{url}: Import zurückgehalten, nichts übernommen:\n{exc}\n"
                      "Sieht das nach einem schlechten Tag beim Dashboard aus, morgen erneut versuchen; "
                      "ist der Rückgang echt: make update-ozg ARGS=--annehmen", file=sys.stderr)
                outcome.held = [line.strip(" -") for line in str(exc).splitlines()]
                code = code or HELD_BACK
            except UnsafeURL as exc:
                outcome.problem = f"Adresse abgelehnt: {exc}"
                print(f"refused {url}: {exc}", file=sys.stderr)
                code = 2
            except (OSError, aiohttp.ClientError, ValueError) as exc:
                outcome.problem = str(exc)
                print(f"update-ozg failed for {url}:\n{exc}\nNothing was written.", file=sys.stderr)
                code = 1 if code in (0, HELD_BACK) else code
            except DataError as exc:
                outcome.problem = str(exc)
                print(exc, file=sys.stderr)
                code = 1 if code in (0, HELD_BACK) else code
        print(shown(outcome), flush=True)
        outcomes.append(outcome)
    unnamed = [ars for ars, _name in group if not importer.store.regions.get(ars, ("", ""))[0]]
    listed = region_list(template, importer.allow_private) if unnamed else None
    findings = name_findings(importer.store.regions, group, listed)
    for finding in findings:
        print(f"OZG-Name: {finding}", flush=True)
    return outcomes, findings, code


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ars", default=None,
                        help="one 12-digit Amtlicher Regionalschlüssel (default: every entry of OZG['IMPORT'])")
    parser.add_argument("--umfang", choices=("darunter", "darueber"), default="darunter",
                        help="with --ars: the key with every key below it (default) or with the keys above it")
    parser.add_argument("--url", default=None, help="export URL with {ars} (default: OZG['DASHBOARD_URL'])")
    parser.add_argument("--data-dir", default=None, help="default: OZG['DATA_DIR']")
    parser.add_argument("--date", default=None, help="date of the observation (default: today, Europe/Berlin)")
    parser.add_argument("--allow-private", action="store_true", help="allow loopback/private addresses (tests)")
    parser.add_argument("--annehmen", action="store_true", help="take an import that was held back as a bad day")
    parser.add_argument("--pruefen", action="store_true", help="fetch and check, report what would change, write nothing")
    args = parser.parse_args(argv)
    if args.ars is not None and not is_ars(args.ars):
        parser.error("--ars must be 12 digits, e.g. 051120000000 (Duisburg) or 050000000000 (NRW)")
    try:
        ozg = get_settings(settings_file(ROOT / "pelicanconf.py"), ROOT)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    template = args.url or ozg.dashboard_url
    if "{ars}" not in template:
        parser.error("--url must contain {ars}")
    try:
        template.format(ars="0" * 12)
    except (KeyError, IndexError, ValueError) as exc:  # another {name}, a lone brace
        parser.error(f"the URL template (--url or OZG['DASHBOARD_URL']) may hold no braces but {{ars}}: "
                     f"{template!r} ({type(exc).__name__}: {exc})")
    plan = [(args.ars, args.umfang)] if args.ars else list(ozg.imports)
    today = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    try:
        datum = dt.date.fromisoformat(args.date) if args.date else today
    except ValueError:
        parser.error(f"--date expects YYYY-MM-DD, got {args.date!r}")
    if datum > today:  # taken, it would refuse every real import until that day as older
        parser.error(f"--date {datum} is after today ({today}, Europe/Berlin)")
    group = [(ars, name) for ars, name in ozg.vergleichsgruppe_bund if any(ars == a for a, _ in plan)
             or covered_by(ars, "darueber", plan)] if not args.ars else []
    data_dir = Path(args.data_dir) if args.data_dir else ozg.data_dir
    try:
        # The collector stays off for the whole run, not only while rows are made: switched on
        # between keys, its next pass would walk every row held (a second or more at NRW size).
        # A dry run writes nothing and holds nothing: it must not make the day's real import fail.
        holding = sole_writer(data_dir) if data_dir.is_dir() and not args.pruefen else contextlib.nullcontext()
        with no_collections(), holding:
            try:
                importer = Importer(data_dir, datum, allow_private=args.allow_private, accept=args.annehmen,
                                    dry_run=args.pruefen, share=ozg.rueckgang_hoechstens)
            except (ValueError, DataError) as exc:
                print(exc, file=sys.stderr)
                return 1
            _outcomes, _findings, code = import_all(importer, plan, template, group)
    except Busy as exc:
        print(f"{exc} (make update-ozg läuft schon?): dieser Lauf hat nichts geholt und nichts geändert; "
              "nach dem anderen erneut starten.", file=sys.stderr)
        return 1
    if args.pruefen:
        print("Probelauf (--pruefen): nichts geschrieben.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
