"""Settings checks shared by every plugin and command.

Each capability reads its settings in one place (a settings dataclass and its
``get_settings``) with these helpers, so a mistake in pelicanconf.py always reads
the same way: ``OZG['DEADLINE'] must be a date YYYY-MM-DD, got '31.12.2022'``.
"""

import datetime as dt
import re
import runpy
from pathlib import Path

from wachhund.lib.feeds import BERLIN

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class SettingsError(ValueError):
    """A setting in pelicanconf.py/publishconf.py that the build cannot use."""


def settings_file(path: Path) -> dict:
    """The names a settings file defines, for a command: the file is run without
    Pelican (half a second less per run). One that cannot run stops with the reason."""
    try:
        return runpy.run_path(str(path))
    except Exception as exc:  # noqa: BLE001 - whatever it is, the command cannot go on
        raise SettingsError(f"{path} cannot be read: {type(exc).__name__}: {exc}") from exc


def options(settings: dict, name: str, defaults: dict) -> dict:
    """The plugin's dict setting `name` over its defaults; unknown keys are an error."""
    given = settings.get(name) or {}
    if not isinstance(given, dict):
        raise SettingsError(f"{name} must be a dict of settings, got {given!r}")
    if unknown := set(given) - set(defaults):
        raise SettingsError(f"{name}: unknown setting(s) {', '.join(sorted(unknown))}; "
                            f"expected: {', '.join(sorted(defaults))}")
    return {**defaults, **given}


def fail(label: str, expected: str, value) -> None:
    raise SettingsError(f"{label} must be {expected}, got {value!r}")


def text(label: str, value) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(label, "a non-empty string", value)
    return value


def path_part(label: str, value) -> str:
    """A folder or URL path inside the site, without leading or trailing slashes."""
    return text(label, value).strip("/") or fail(label, "a path like 'ozg'", value)


def project_path(settings: dict, value: str, root: Path | None = None) -> Path:
    """A path setting: absolute as given, else inside the project (`root`, or the folder holding PATH)."""
    path = Path(value)
    return path if path.is_absolute() else (root or Path(settings.get("PATH", "content")).resolve().parent) / path


def positive_int(label: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        fail(label, "a positive whole number", value)
    return value


def boolean(label: str, value) -> bool:
    if not isinstance(value, bool):
        fail(label, "True or False", value)
    return value


def strings(label: str, value) -> tuple:
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        fail(label, "a list of strings", value)
    return tuple(value)


def cutoff_day(settings, now=None) -> dt.date:
    """The cut-off day for scheduled posts, for the build and `make webmention` alike: the
    `HEUTE` setting (pelicanconf.py takes it from the environment, so `make publish
    HEUTE=2026-12-24`), or today in Berlin when empty."""
    value = settings.get("HEUTE") or ""
    if value == "":
        return (now or dt.datetime.now(BERLIN)).astimezone(BERLIN).date()
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    fail("HEUTE", "a real day written YYYY-MM-DD (e.g. HEUTE=2026-12-07) or empty for today", value)
