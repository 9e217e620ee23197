"""froide's read API (FragDenStaat and other instances), as far as we use it; pure parsing.

From froide's source (froide/foirequest/serializers.py, models/request.py):
``GET /api/v1/request/?slug=<slug>`` answers ``{"meta": …, "objects": [{"id": …, "slug": …}, …]}``;
``GET /api/v1/request/<id>/`` answers one request with ``status``, ``resolution`` ("" until
resolved), ``due_date``, ``resolved_on``, ``last_message`` (datetimes with offsets or null),
``public_body`` (an object with ``name``, or null), ``costs``, ``title`` and ``url`` (a path on
the instance). Anything else in an answer is ignored; anything we need that is missing or
of the wrong type refuses the whole answer (FroideError), so nothing half-read is recorded.
"""

import datetime as dt
import json
import math
from urllib.parse import quote, urljoin

from wachhund.lib.feeds import BERLIN
from wachhund.lib.net import is_http_url
from wachhund.lib.yamlfile import clean_text, replaced

from .history import MAX_TEXT, FroideState

STATUSES = {
    "awaiting_user_confirmation": "wartet auf Bestätigung der Fragestellerin oder des Fragestellers",
    "publicbody_needed": "Behörde noch nicht bestimmt",
    "awaiting_publicbody_confirmation": "wartet auf Eingangsbestätigung der Behörde",
    "awaiting_response": "wartet auf Antwort",
    "awaiting_classification": "Antwort eingegangen, noch nicht eingeordnet",
    "asleep": "eingeschlafen",
    "resolved": "abgeschlossen",
}
RESOLUTIONS = {
    "successful": "beantwortet",
    "partially_successful": "teilweise beantwortet",
    "not_held": "Information nicht vorhanden",
    "refused": "abgelehnt",
    "user_withdrew_costs": "zurückgezogen (wegen Kosten)",
    "user_withdrew": "zurückgezogen",
}


class FroideError(ValueError):
    """An answer we cannot use (not JSON, not the expected shape)."""


def search_url(base: str, slug: str) -> str:
    return f"{base}/api/v1/request/?slug={quote(slug, safe='')}"


def detail_url(base: str, ident: int | str) -> str:
    return f"{base}/api/v1/request/{int(ident)}/"


def _json(body: bytes, where: str):
    try:
        return json.loads(body.decode("utf-8"), parse_constant=lambda name: float("nan"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FroideError(f"{where}: the answer is not JSON ({type(exc).__name__}); cut off?") from None


def parse_search(body: bytes, slug: str, where: str) -> int | None:
    """The id of the request `slug` in a search answer, or None when froide lists none."""
    data = _json(body, where)
    objects = data.get("objects") if isinstance(data, dict) else None
    if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
        raise FroideError(f'{where}: expected {{"meta": …, "objects": […]}}')
    for item in objects:
        ident = item.get("id")
        if item.get("slug") == slug and isinstance(ident, int) and not isinstance(ident, bool) and ident > 0:
            return ident
    return None


def _day(data, key, where):
    """A froide datetime (with offset) or date as the day in Europe/Berlin; null stays None."""
    value = data.get(key)
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise FroideError(f"{where}: {key} is not a date, got {str(value)[:40]!r}") from None
    return (moment.astimezone(BERLIN) if moment.tzinfo else moment).date()


def _text(data, key, where, warn, empty=True):
    value = data.get(key)
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise FroideError(f"{where}: {key} must be a text, got {str(value)[:40]!r}")
    if what := replaced(value):
        warn(f"{where}: {key}: {what}")
    return clean_text(value).strip()[:MAX_TEXT]


def parse_detail(body: bytes, base: str, where: str, warn) -> FroideState:
    """One request's state; `warn` gets what was cleaned (control characters in a title)."""
    data = _json(body, where)
    if not isinstance(data, dict):
        raise FroideError(f"{where}: expected one request (a JSON object)")
    ident = data.get("id")
    if isinstance(ident, bool) or not isinstance(ident, int) or not 0 < ident < 10**12:
        raise FroideError(f"{where}: id must be a request number, got {str(ident)[:40]!r}")
    resolution = data.get("resolution")
    resolution = "" if resolution is None else _text(data, "resolution", where, warn)
    body_ = data.get("public_body")
    if body_ is not None and not (isinstance(body_, dict) and isinstance(body_.get("name"), str)):
        raise FroideError(f"{where}: public_body must be an object with a name, or null")
    path = _text(data, "url", where, warn, empty=False)
    url = urljoin(base + "/", path)
    if not is_http_url(url) or not url.startswith(base + "/"):
        raise FroideError(f"{where}: url {path[:80]!r} is not a path on {base}")
    costs = data.get("costs")
    if costs is not None and (isinstance(costs, bool) or not isinstance(costs, (int, float, str))):
        raise FroideError(f"{where}: costs must be a number, got {str(costs)[:40]!r}")
    try:
        costs = None if costs is None else float(costs)
    except ValueError:
        raise FroideError(f"{where}: costs must be a number, got {costs[:40]!r}") from None
    if costs is not None and (not math.isfinite(costs) or costs < 0):
        raise FroideError(f"{where}: costs must be a number >= 0, got {costs!r}")
    return FroideState(
        id=ident,
        status=_text(data, "status", where, warn, empty=False)[:60],
        resolution=resolution[:60],
        due_date=_day(data, "due_date", where),
        resolved_on=_day(data, "resolved_on", where),
        last_message=_day(data, "last_message", where),
        title=_text(data, "title", where, warn),
        public_body=(clean_text(body_["name"]).strip()[:MAX_TEXT] or None) if body_ else None,
        url=url,
        costs=costs,
    )


def status_label(status: str) -> str:
    """German; an unknown status is shown as froide's own word."""
    return STATUSES.get(status, status)


def resolution_label(resolution: str) -> str:
    return RESOLUTIONS.get(resolution, resolution)


def is_known(state: FroideState) -> bool:
    return state.status in STATUSES and (not state.resolution or state.resolution in RESOLUTIONS)
