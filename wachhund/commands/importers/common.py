"""Shared by the importers: paths, atomic writes, appending observations, clean text."""

import csv
import sys
from pathlib import Path

from wachhund.lib.settings import settings_file
from wachhund.lib.yamlfile import clean_text, dump_yaml, replaced
from wachhund.lib.yamlfile import write_atomic as atomic_write
from wachhund.ozg.settings import get_settings

ROOT = Path.cwd()  # the project: the folder `make` runs in
SOURCES = ROOT / "data" / "sources"


def ozg_dir() -> Path:
    """OZG['DATA_DIR'] of the project's pelicanconf.py (SettingsError if it cannot be read)."""
    return get_settings(settings_file(ROOT / "pelicanconf.py"), ROOT).data_dir


def dump(data) -> str:
    return dump_yaml(data)


def write_if_changed(target: Path, text: str) -> bool:
    """Write `text` atomically unless the file already holds it; return whether it changed.
    A second import of the same sources then changes no byte and no modification time."""
    changed = not target.exists() or target.read_text(encoding="utf-8") != text
    if changed:
        atomic_write(target, text)
    return changed


def observation_yaml(observations: list[dict]) -> str:
    """YAML list items, indented to sit under `beobachtungen:`."""
    text = dump(observations)
    return "".join("  " + line if line.strip() else line for line in text.splitlines(True))


def append_observations(path: Path, header: dict, new: list[dict]) -> int:
    """Append observations at the end of the file's `beobachtungen:` list.

    Appending text (rather than re-dumping the file) keeps hand-written
    comments and order; nothing already there is changed.
    """
    if path.exists():
        text = path.read_text(encoding="utf-8")
        if not text.rstrip().splitlines() or "beobachtungen:" not in text:
            raise SystemExit(f"{path}: expected a 'beobachtungen:' list as the last key")
        text = text.replace("beobachtungen: []", "beobachtungen:")
    else:
        text = dump(header) + "beobachtungen:\n"
    if not new:
        return 0
    if not text.endswith("\n"):
        text += "\n"
    atomic_write(path, text + observation_yaml(new))
    return len(new)


def status_fields(obs) -> tuple:
    """What counts as "the status" when deciding whether anything changed."""
    get = obs.get if isinstance(obs, dict) else lambda k: getattr(obs, k)
    return tuple(get(k) for k in ("online", "reifegrad", "nur_terminbuchung", "url", "flaechendeckung"))


def latest_by_key(observations, source_prefix: str) -> dict:
    """Latest observation per (ozg_id, leika) among those from one source."""
    latest = {}
    for obs in observations:
        source = obs.quelle or obs.quelle_dokument or ""
        if not source.startswith(source_prefix):
            continue
        current = latest.get(obs.key)
        if current is None or obs.datum >= current.datum:
            latest[obs.key] = obs
    return latest


def print_warning(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def clean_cells(values: dict, where: str, warn=print_warning) -> dict:
    """One source row with the characters data text may not hold replaced in every cell
    (wachhund.lib.yamlfile.clean_text), and a warning naming the row and column for each: the
    build refuses them in data, and one odd name upstream must not stop an import."""
    for name, value in values.items():
        if isinstance(value, str) and (what := replaced(value)):
            warn(f"{where}: {name}: {what}")
    return {name: clean_text(value) if isinstance(value, str) else value for name, value in values.items()}


def printable(text: str) -> str:
    """`text` for a terminal message: what a server or an export wrote (a header's name, a
    Content-Type, a redirect's address) with every character that is not printable as its
    escape (\\x1b, \\u202e), so no escape sequence reaches the terminal or a CI log raw."""
    return text if text.isprintable() else "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def read_csv(path: Path, shown: str) -> list[dict]:
    """The rows of a source CSV as dicts, each cleaned (clean_cells) with its line."""
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None:  # (reading the header moves line_num past it)
            return rows
        start = reader.line_num + 1
        for row in reader:
            rows.append(clean_cells(row, f"{shown}:{start}"))
            start = reader.line_num + 1
    return rows


def fail(message: str) -> None:
    print(message, file=sys.stderr)
    raise SystemExit(1)
