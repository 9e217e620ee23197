"""The state file data/link-health.jsonl: machine-written, committed with the site.

One JSON object a line, in URL order, keys sorted, unset fields left out:

    {"url": "https://www.duisburg.de/", "failures": 0, "history": [...], "verdict": "ok", ...}

A run changes the lines of the links it checked and no other, and 1,500
records read and write in milliseconds (reading and writing the YAML this
replaced took 0.4 s for 600 records, a third of a whole run). Written atomically (temporary file, fsync,
rename): a run killed at any moment leaves the previous or the new state,
never a broken file.
"""

import json
from pathlib import Path

from wachhund.lib.net import is_http_url
from wachhund.lib.jsonlines import read_json_lines
from wachhund.lib.yamlfile import DataError, write_atomic

from .rules import VERDICTS, parse_iso

MAX_BYTES = 32 * 1024 * 1024  # about 50,000 links with full histories
TIMESTAMPS = ("first_seen", "last_checked", "last_ok", "failing_since", "dead_since", "moved_since", "unchanged_since",
              "archived_at")
URLS = ("final_url", "moved_to", "archive_url")
FIELDS = {"verdict", "status", "error", "failures", "fingerprint", "history", "used_in", *TIMESTAMPS, *URLS}


def _is_timestamp(value) -> bool:
    try:
        return isinstance(value, str) and parse_iso(value) is not None
    except ValueError:
        return False


def _is_count(value, low, high) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _record_problems(url, record) -> list[str]:
    """One message for each field of one record that the build could not trust."""
    problems = [f"unknown field {key!r}; expected one of: {', '.join(sorted(FIELDS))}"
                for key in sorted(record) if key not in FIELDS]
    if record.get("verdict") not in VERDICTS:
        problems.append(f"record for {url} needs a verdict ({', '.join(VERDICTS)})")
    problems += [f"{key} must be a timestamp like 2026-11-22T10:00:00, got {record[key]!r}" for key in TIMESTAMPS
                 if record.get(key) is not None and not _is_timestamp(record[key])]
    problems += [f"{key} must be an http(s) URL, got {str(record[key])[:80]!r}" for key in URLS
                 if record.get(key) is not None and not is_http_url(record[key])]
    if record.get("failures") is not None and not _is_count(record["failures"], 0, 10**9):
        problems.append(f"failures must be a whole number >= 0, got {record['failures']!r}")
    if record.get("status") is not None and not _is_count(record["status"], 100, 599):
        problems.append(f"status must be an HTTP status code, got {record['status']!r}")
    problems += [f"{key} must be text, got {record[key]!r}" for key in ("error", "fingerprint")
                 if record.get(key) is not None and not isinstance(record[key], str)]
    if record.get("archive_url") and not record.get("archived_at"):
        problems.append("archive_url needs archived_at (the snapshot's time)")
    if record.get("verdict") == "dead" and not record.get("failing_since"):
        problems.append("a dead link needs failing_since")
    used_in = record.get("used_in")
    if used_in is not None and not (isinstance(used_in, list) and all(isinstance(w, str) for w in used_in)):
        problems.append("used_in must be a list of places like content/posts/x.md:12")
    history = record.get("history")
    if history is not None:
        if not isinstance(history, list) or not all(
            isinstance(item, dict) and set(item) == {"at", "result"} and _is_timestamp(item["at"])
            and (isinstance(item["result"], str) or _is_count(item["result"], 100, 599))
            for item in history
        ):
            problems.append("history must be a list of {\"at\": timestamp, \"result\": status or error}")
    return problems


def load_state(path: Path, shown: str | None = None) -> dict:
    """{url: record}; a missing file is an empty state; a broken one is a DataError
    naming `shown:LINE` for every record it refuses.

    Machine-written, but checked like hand-written data: every URL in it ends up
    in an href, every timestamp in a date on a page."""
    shown = shown or str(path)
    lines, problems = read_json_lines(path, shown, MAX_BYTES)
    state, first_line = {}, {}
    for number, record in lines:
        url = record.pop("url", None) if isinstance(record, dict) else None
        if not isinstance(record, dict) or url is None:
            problems.append((shown, number, 'expected one record a line: {"url": "https://…", "verdict": …}'))
        elif not is_http_url(url):
            problems.append((shown, number, f"link {str(url)[:80]!r} is not an http(s) URL"))
        elif url in first_line:
            problems.append((shown, number, f"link {url} is already on line {first_line[url]}"))
        else:
            problems += [(shown, number, message) for message in _record_problems(url, record)]
            state[url], first_line[url] = record, number
    if problems:
        raise DataError(problems)
    return state


def dump_state(state: dict) -> str:
    return "".join(
        json.dumps({"url": url, **{key: value for key, value in sorted(state[url].items()) if value is not None}},
                   ensure_ascii=False) + "\n"
        for url in sorted(state)
    )


def save_state(path: Path, state: dict) -> None:
    write_atomic(path, dump_state(state))
