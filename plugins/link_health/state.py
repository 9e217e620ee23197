"""The state file data/link-health.yaml: machine-written, committed with the site.

Written atomically (temporary file, fsync, rename): a run killed at any moment
leaves either the previous or the new state, never a broken file.
"""

from pathlib import Path

from wachhund_yaml import DataError, LineDict, dump_yaml, load_file, write_atomic

from .rules import VERDICTS

HEADER = (
    "# Link-Gesundheit: von `make linkcheck` geschrieben, nicht von Hand bearbeiten.\n"
    "# Ein Link gilt erst nach 3 Fehlschlägen über mindestens 3 Tage als tot.\n"
)


def load_state(path: Path, shown: str | None = None) -> dict:
    """{url: record}; a missing file is an empty state; a broken one is a DataError."""
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
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            problems.append((shown, line, f"link {url!r} is not an http(s) URL"))
        elif not isinstance(record, dict) or record.get("verdict") not in VERDICTS:
            problems.append((shown, line, f"record for {url} needs a verdict ({', '.join(VERDICTS)})"))
    if problems:
        raise DataError(problems)
    return {url: dict(record) for url, record in links.items()}


def dump_state(state: dict) -> str:
    ordered = {url: {k: v for k, v in sorted(state[url].items())} for url in sorted(state)}
    return HEADER + dump_yaml({"links": ordered}, width=120)


def save_state(path: Path, state: dict) -> None:
    write_atomic(path, dump_state(state))
