"""The state file data/link-health.yaml: machine-written, committed with the site.

Written atomically (temporary file, fsync, rename): a run killed at any moment
leaves either the previous or the new state, never a broken file.
"""

from pathlib import Path

from wachhund_net import is_http_url
from wachhund_yaml import DataError, LineDict, LineList, dump_yaml, load_file, write_atomic

from .rules import VERDICTS, parse_iso

HEADER = (
    "# Link-Gesundheit: von `make linkcheck` geschrieben, nicht von Hand bearbeiten.\n"
    "# Ein Link gilt erst nach 3 Fehlschlägen über mindestens 3 Tage als tot.\n"
)


TIMESTAMPS = ("first_seen", "last_checked", "last_ok", "failing_since", "dead_since", "moved_since", "unchanged_since",
              "archived_at")
URLS = ("final_url", "moved_to", "archive_url")
FIELDS = {"verdict", "status", "error", "failures", "fingerprint", "history", "used_in", *TIMESTAMPS, *URLS}


def _is_timestamp(value) -> bool:
    try:
        parse_iso(value)
    except (TypeError, ValueError):
        return False
    return True


def _record_problems(url, record) -> list[tuple[int, str]]:
    """(line, message) for each field of one record that the build could not trust."""
    if not isinstance(record, LineDict):
        return [(0, f"record for {url} must be a mapping")]
    problems = []
    at = record.line_of
    for key in record:
        if key not in FIELDS:
            problems.append((at(key), f"unknown field {key!r}; expected one of: {', '.join(sorted(FIELDS))}"))
    if record.get("verdict") not in VERDICTS:
        problems.append((at("verdict"), f"record for {url} needs a verdict ({', '.join(VERDICTS)})"))
    for key in TIMESTAMPS:
        if record.get(key) is not None and not _is_timestamp(record[key]):
            problems.append((at(key), f"{key} must be a timestamp like 2026-11-22T10:00:00, got {record[key]!r}"))
    for key in URLS:
        if record.get(key) is not None and not is_http_url(record[key]):
            problems.append((at(key), f"{key} must be an http(s) URL, got {str(record[key])[:80]!r}"))
    failures = record.get("failures")
    if failures is not None and (isinstance(failures, bool) or not isinstance(failures, int) or failures < 0):
        problems.append((at("failures"), f"failures must be a whole number >= 0, got {failures!r}"))
    status = record.get("status")
    if status is not None and (isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599):
        problems.append((at("status"), f"status must be an HTTP status code, got {status!r}"))
    for key in ("error", "fingerprint"):
        if record.get(key) is not None and not isinstance(record[key], str):
            problems.append((at(key), f"{key} must be text, got {record[key]!r}"))
    if record.get("archive_url") and not record.get("archived_at"):
        problems.append((at("archive_url"), "archive_url needs archived_at (the snapshot's time)"))
    if record.get("verdict") == "dead" and not record.get("failing_since"):
        problems.append((at("verdict"), "a dead link needs failing_since"))
    used_in = record.get("used_in")
    if used_in is not None and not (isinstance(used_in, list) and all(isinstance(w, str) for w in used_in)):
        problems.append((at("used_in"), "used_in must be a list of places like content/posts/x.md:12"))
    history = record.get("history")
    if history is not None:
        if not isinstance(history, LineList):
            problems.append((at("history"), "history must be a list"))
        else:
            for index, item in enumerate(history):
                if not isinstance(item, dict) or not _is_timestamp(item.get("at")) or set(item) - {"at", "result"}:
                    problems.append((history.line_of(index), "history entries need 'at' (a timestamp) and 'result'"))
    return problems


def load_state(path: Path, shown: str | None = None) -> dict:
    """{url: record}; a missing file is an empty state; a broken one is a DataError.

    Machine-written, but checked like hand-written data: every URL in it ends up
    in an href, every timestamp in a date on a page."""
    if not path.exists():
        return {}
    shown = shown or str(path)
    data = load_file(path, shown)
    if data is None:
        return {}
    links = data.get("links") if isinstance(data, LineDict) else None
    if not isinstance(links, dict):
        raise DataError([(shown, getattr(data, "line", 1), "expected a mapping with a 'links:' key")])
    problems = []
    for url, record in links.items():
        line = links.line_of(url)
        if not is_http_url(url):
            problems.append((shown, line, f"link {url!r} is not an http(s) URL"))
            continue
        problems += [(shown, at or line, message) for at, message in _record_problems(url, record)]
    if problems:
        raise DataError(problems)
    return {url: dict(record) for url, record in links.items()}


def dump_state(state: dict) -> str:
    ordered = {url: {k: v for k, v in sorted(state[url].items())} for url in sorted(state)}
    return HEADER + dump_yaml({"links": ordered}, width=120)


def save_state(path: Path, state: dict) -> None:
    write_atomic(path, dump_state(state))
