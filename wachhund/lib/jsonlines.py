"""Machine-written JSON-lines files (link state, sync histories, stores), read as
strictly as hand-written data: every value may end up in a page."""

import json
from pathlib import Path

from wachhund.lib.yamlfile import DataError


class _Refused(ValueError):
    pass


def _unique_keys(pairs):
    record = {}
    for key, value in pairs:
        if key in record:
            raise _Refused(f"duplicate key {key!r}")
        record[key] = value
    return record


def _no_constant(name):
    raise _Refused(f"{name} is not a number JSON allows")


def parse_line(text: str):
    """One line's JSON value; ValueError with the reason for anything a page could not show."""
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_no_constant)
        if "\\u" in text:  # an escaped lone surrogate would only fail when a page is written
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        return value
    except UnicodeEncodeError:
        raise ValueError("text with a lone surrogate (\\ud800–\\udfff) is not allowed") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise ValueError("nested far too deep") from None
    except _Refused:
        raise
    except ValueError:  # an integer of thousands of digits
        raise ValueError("a number far too long") from None


def read_json_lines(path: Path, shown: str, max_bytes: int) -> tuple[list[tuple[int, object]], list[tuple]]:
    """([(line number, value)], [(shown, line, problem)]) of every non-blank line; a
    missing file has no lines. An unreadable or oversized file is a DataError at once."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        raise DataError([(shown, 0, f"cannot read file: {exc.strerror}")]) from None
    if len(raw) > max_bytes:
        raise DataError([(shown, 0, f"file is {len(raw)} bytes; at most {max_bytes} are allowed")])
    values, problems = [], []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            values.append((number, parse_line(line.decode("utf-8"))))
        except UnicodeDecodeError:
            problems.append((shown, number, "line is not UTF-8"))
        except ValueError as exc:
            problems.append((shown, number, str(exc)))
    return values, problems
