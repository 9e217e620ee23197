"""What `make webmention` sent: data/webmentions.jsonl, machine-written, committed.

One JSON object a line, one per (source, target) pair, sorted, keys sorted:

    {"source": "https://blog/2026/x/", "target": "https://other/post", "digest": "…",
     "outcome": "sent", "at": "2026-12-07T05:00:00", "endpoint": "https://other/wm", "status": 202}

`digest` is the post's source at the last attempt: a changed text sends again. `outcome` is the
last attempt's: sent (2xx), rejected, no-endpoint, refused (a private address without
--allow-private) or retry (5xx, 429, network: the next run tries again). `sent_at` is when the
target last accepted one; `removed` is true once it was told the post no longer links it.
Written atomically; read back with the same checks as hand-written data, each problem as
`file:line: message`.
"""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from wachhund.lib.net import is_http_url
from wachhund.lib.jsonlines import read_json_lines
from wachhund.lib.yamlfile import DataError, write_atomic

OUTCOMES = ("sent", "rejected", "no-endpoint", "refused", "retry")
FINAL = frozenset(OUTCOMES) - {"retry"}
FIELDS = {"source", "target", "digest", "outcome", "at", "sent_at", "endpoint", "status", "error", "removed"}
REQUIRED = ("digest", "outcome", "at")
MAX_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class Job:
    source: str
    target: str
    digest: str | None  # None: the link is gone, the target is told once more


def _timestamp(value) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is None
    except ValueError:
        return False


def _problems(record: dict) -> list[str]:
    problems = [f"unknown field {key!r}; expected one of: {', '.join(sorted(FIELDS))}"
                for key in sorted(record) if key not in FIELDS]
    problems += [f"{key} missing" for key in REQUIRED if key not in record]
    problems += [f"{key} must be an http(s) URL, got {str(record[key])[:80]!r}"
                 for key in ("source", "target", "endpoint") if key in record and not is_http_url(record[key])]
    if "outcome" in record and record["outcome"] not in OUTCOMES:
        problems.append(f"outcome must be one of {', '.join(OUTCOMES)}, got {record['outcome']!r}")
    digest = record.get("digest")
    if digest is not None and not (isinstance(digest, str) and len(digest) == 64
                                   and all(c in "0123456789abcdef" for c in digest)):
        problems.append(f"digest must be 64 hex digits (sha256), got {str(digest)[:80]!r}")
    problems += [f"{key} must be a timestamp like 2026-12-07T05:00:00, got {record[key]!r}"
                 for key in ("at", "sent_at") if key in record and not _timestamp(record[key])]
    status = record.get("status")
    if status is not None and (isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599):
        problems.append(f"status must be an HTTP status code, got {status!r}")
    if "error" in record and not isinstance(record["error"], str):
        problems.append(f"error must be text, got {record['error']!r}")
    if "removed" in record and record["removed"] is not True:
        problems.append(f"removed is either true or left out, got {record['removed']!r}")
    return problems


def load_state(path: Path, shown: str | None = None) -> dict:
    """{(source, target): record}; a missing file is an empty state, a broken one a
    DataError naming `shown:LINE` for every line it refuses."""
    shown = shown or str(path)
    lines, problems = read_json_lines(path, shown, MAX_BYTES)
    state, first_line = {}, {}
    for number, record in lines:
        if not isinstance(record, dict) or "source" not in record or "target" not in record:
            problems.append((shown, number, 'expected one record a line: {"source": "https://…", "target": "https://…", …}'))
            continue
        if found := _problems(record):
            problems += [(shown, number, message) for message in found]
            continue
        pair = (record.pop("source"), record.pop("target"))
        if pair in first_line:
            problems.append((shown, number, f"{pair[0]} -> {pair[1]} is already on line {first_line[pair]}"))
            continue
        state[pair], first_line[pair] = record, number
    if problems:
        raise DataError(problems)
    return state


def dump_state(state: dict) -> str:
    return "".join(
        json.dumps({"source": source, "target": target, **dict(sorted(state[source, target].items()))},
                   ensure_ascii=False) + "\n"
        for source, target in sorted(state)
    )


def save_state(path: Path, state: dict) -> None:
    write_atomic(path, dump_state(state))


def plan(current: dict, state: dict) -> list[Job]:
    """What to send, given {(source, target): digest} of the published posts now.

    A pair is sent when it is new, its post changed, it was notified as removed and is
    back, or its last attempt is to be retried. A pair no longer current whose target
    once accepted a Webmention is sent once more, so the target can drop the mention."""
    jobs = []
    for pair, digest in sorted(current.items()):
        record = state.get(pair)
        if (record is None or record.get("removed") or record["digest"] != digest
                or record["outcome"] not in FINAL):
            jobs.append(Job(*pair, digest))
    for pair, record in sorted(state.items()):
        if pair not in current and record.get("sent_at") and not record.get("removed"):
            jobs.append(Job(*pair, None))
    return jobs


def record_result(state: dict, job: Job, outcome: str, at: str, endpoint=None, status=None, error=None) -> None:
    """Write one attempt's result into `state`."""
    before = state.get((job.source, job.target), {})
    record = {"digest": job.digest or before.get("digest"), "outcome": outcome, "at": at}
    if sent_at := (at if outcome == "sent" else before.get("sent_at")):
        record["sent_at"] = sent_at
    if job.digest is None and outcome in FINAL:
        record["removed"] = True
    for key, value in (("endpoint", endpoint), ("status", status), ("error", error)):
        if value is not None:
            record[key] = value
    state[job.source, job.target] = record
