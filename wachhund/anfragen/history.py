"""``data/anfragen/fragdenstaat.jsonl``: the dated history of the linked FragDenStaat requests.

Machine-written by ``make update-anfragen``, committed, read by the build. One JSON object a
line, keys sorted; per question its changes in date order (a line only when something froide
reports differs from the line before), then its check line, which every sync moves on, so the
question's *Stand* says how recent the figure is:

    {"anfrage": "x", "datum": "2026-12-01", "id": 123, "status": "awaiting_response", "resolution": "", …}
    {"anfrage": "x", "geprueft": "2026-12-07"}

One file for all questions, replaced in one atomic step: a run that fails half-way leaves the
whole previous state, never a mix. Checked on reading like hand-written data: every URL in it
ends up in an href, every text on a page.
"""

import datetime as dt
import json
import math
from dataclasses import astuple, dataclass
from pathlib import Path

from wachhund.lib.net import is_http_url
from wachhund.lib.jsonlines import read_json_lines
from wachhund.lib.yamlfile import DataError, text_problem

from .schema import SLUG

HISTORY_FILE = "fragdenstaat.jsonl"
MAX_BYTES = 16 * 1024 * 1024
MAX_TEXT = 2000
STATE_FIELDS = ("id", "status", "resolution", "due_date", "resolved_on", "last_message", "title", "public_body",
                "url", "costs")
DATE_FIELDS = ("due_date", "resolved_on", "last_message")
CHANGE_FIELDS = {"anfrage", "datum", *STATE_FIELDS}
CHECK_FIELDS = {"anfrage", "geprueft"}


@dataclass(frozen=True)
class FroideState:
    """What froide says about one request, as recorded (dates in Europe/Berlin)."""

    id: int
    status: str  # froide's value, kept as text even when we do not know it
    resolution: str  # "" until resolved
    due_date: dt.date | None
    resolved_on: dt.date | None
    last_message: dt.date | None
    title: str
    public_body: str | None
    url: str  # absolute
    costs: float | None


@dataclass(frozen=True)
class SyncRecord:
    anfrage: str
    datum: dt.date  # the day of the sync that saw this state first
    state: FroideState
    line: int = 0


@dataclass(frozen=True)
class CheckRecord:
    anfrage: str
    geprueft: dt.date
    line: int = 0


class _Refused(ValueError):
    pass


def _date(record, key, optional=False):
    value = record.get(key)
    if value is None and optional:
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Refused(f"{key} must be a date YYYY-MM-DD, got {str(value)[:40]!r}") from None


def _text(record, key, optional=False, empty=False):
    value = record.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or (not empty and not value.strip()) or len(value) > MAX_TEXT:
        raise _Refused(f"{key} must be a text of at most {MAX_TEXT} characters, got {str(value)[:40]!r}")
    if problem := text_problem(value):
        raise _Refused(f"{key}: {problem}")
    return value


def parse_record(record) -> SyncRecord | CheckRecord:
    """One line's record, checked field by field (raises _Refused with the reason)."""
    if not isinstance(record, dict):
        raise _Refused('expected one record a line: {"anfrage": "<slug>", …}')
    slug = record.get("anfrage")
    if not isinstance(slug, str) or not SLUG.match(slug):
        raise _Refused(f"anfrage must be a question's slug, got {str(slug)[:40]!r}")
    fields = CHECK_FIELDS if "geprueft" in record else CHANGE_FIELDS
    if unknown := sorted(set(record) - fields):
        raise _Refused(f"unknown field(s) {', '.join(unknown)}; expected: {', '.join(sorted(fields))}")
    if "geprueft" in record:
        return CheckRecord(slug, _date(record, "geprueft"))
    if missing := sorted({"anfrage", "datum", "id", "status", "resolution", "title", "url"} - set(record)):
        raise _Refused(f"missing field(s) {', '.join(missing)}")
    ident = record["id"]
    if isinstance(ident, bool) or not isinstance(ident, int) or not 0 < ident < 10**12:
        raise _Refused(f"id must be froide's request number, got {str(ident)[:40]!r}")
    url = record["url"]
    if not is_http_url(url):
        raise _Refused(f"url must be an http(s) URL, got {str(url)[:80]!r}")
    costs = record.get("costs")
    if costs is not None and (isinstance(costs, bool) or not isinstance(costs, (int, float)) or costs < 0
                              or not math.isfinite(costs)):
        raise _Refused(f"costs must be a number >= 0 or null, got {str(costs)[:40]!r}")
    state = FroideState(ident, _text(record, "status"), _text(record, "resolution", empty=True),
                        *(_date(record, key, optional=True) for key in DATE_FIELDS),
                        _text(record, "title", empty=True), _text(record, "public_body", optional=True), url,
                        costs)
    return SyncRecord(slug, _date(record, "datum"), state)


def load_history(path: Path, shown: str | None = None) -> tuple[list[SyncRecord], dict[str, CheckRecord]]:
    """(change records in (question, date) order, {slug: last check}); a missing file is
    an empty history; a broken one a DataError naming ``shown:LINE`` for each refused line."""
    shown = shown or str(path)
    lines, problems = read_json_lines(path, shown, MAX_BYTES)
    records, checks, seen = [], {}, {}
    for number, value in lines:
        try:
            record = parse_record(value)
        except _Refused as exc:
            problems.append((shown, number, str(exc)))
            continue
        key = (record.anfrage, getattr(record, "datum", None))
        if key in seen:
            what = "a second check line" if key[1] is None else f"a second change on {key[1].isoformat()}"
            problems.append((shown, number, f"{what} for {record.anfrage!r} (first on line {seen[key]})"))
            continue
        seen[key] = number
        if isinstance(record, CheckRecord):
            checks[record.anfrage] = CheckRecord(record.anfrage, record.geprueft, number)
        else:
            records.append(SyncRecord(record.anfrage, record.datum, record.state, number))
    if problems:
        raise DataError(problems)
    return sorted(records, key=lambda r: (r.anfrage, r.datum)), checks


def _as_json(record: SyncRecord | CheckRecord) -> str:
    if isinstance(record, CheckRecord):
        data = {"anfrage": record.anfrage, "geprueft": record.geprueft.isoformat()}
    else:
        state = dict(zip(STATE_FIELDS, astuple(record.state)))
        for key in DATE_FIELDS:
            state[key] = state[key].isoformat() if state[key] else None
        data = {"anfrage": record.anfrage, "datum": record.datum.isoformat(), **state}
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def history_text(records, checks: dict) -> str:
    """The file's text: per question (in slug order) its changes by date, then its check line."""
    lines = []
    for slug in sorted({r.anfrage for r in records} | set(checks)):
        lines += [_as_json(r) for r in sorted((r for r in records if r.anfrage == slug), key=lambda r: r.datum)]
        if slug in checks:
            lines.append(_as_json(checks[slug]))
    return "".join(line + "\n" for line in lines)
