"""Validate the YAML under data/ozg/ and turn it into model objects.

Every problem is collected as (file, line, message) so an author sees all of
them at once; the build then fails with a single DataError.
"""

import datetime as dt
import re
from pathlib import Path

from wachhund.lib.files import shown_path
from wachhund.lib.net import is_http_url
from wachhund.lib.yamlfile import DataError, LineDict, LineList, load_file

from .kennzahlen import FILE as KENNZAHLEN_FILE
from .kennzahlen import parse as parse_kennzahlen
from .model import REIFEGRADE, Kommune, Leistung, Model, Observation
from .regions import is_ars

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LEIKA = re.compile(r"^\d{14}$")
EBENEN = {"kommune", "kreis", "land", "bund"}
BOOL_WORDS = {"ja": True, "nein": False}

OBSERVATION_FIELDS = {
    "ozg_id", "leika", "leika_name", "datum", "online", "reifegrad",
    "nur_terminbuchung", "url", "quelle", "quelle_dokument", "notiz",
    "zustaendig", "onlinedienst", "flaechendeckung",
}
KOMMUNE_FIELDS = {"slug", "name", "ars", "ebene", "beschreibung", "beobachtungen"}
LEISTUNG_FIELDS = {"id", "name", "themenfeld", "lebenslage", "leika_typen", "anzahl_leika"}
CATALOGUE_FIELDS = {"quelle", "themenfelder", "leistungen"}
MAX_TEXT = 2000


class Problems(list):
    def add(self, path, line, message):
        self.append((path, line, message))


def clean_text(value: str) -> str:
    """Drop control characters (they break XML feeds and mean nothing in data)."""
    return "".join(ch for ch in value if ch in "\t\n" or (ord(ch) >= 32 and ord(ch) != 127))


def _text(problems, path, node, key, required=False):
    if key not in node:
        if required:
            problems.add(path, node.line, f"{key} is missing")
        return None
    value = node[key]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        problems.add(path, node.line_of(key), f"{key} must be non-empty text, got {value!r}")
        return None
    if len(value) > MAX_TEXT:
        problems.add(path, node.line_of(key), f"{key} is longer than {MAX_TEXT} characters")
        return None
    return clean_text(value.strip())


def _url(problems, path, node, key):
    if key not in node or node[key] in (None, ""):
        return None
    value = node[key]
    if not is_http_url(value):
        problems.add(path, node.line_of(key), f"{key} must be an http(s) URL, got {str(value)[:80]!r}")
        return None
    return value


def _bool(problems, path, node, key):
    if key not in node or node[key] is None:
        return None
    value = node[key]
    if isinstance(value, str) and value.lower() in BOOL_WORDS:
        return BOOL_WORDS[value.lower()]
    if not isinstance(value, bool):
        problems.add(path, node.line_of(key), f"{key} must be ja/nein (true/false), got {value!r}")
        return None
    return value


def _unknown_fields(problems, path, node, allowed, what):
    for key in node:
        if key not in allowed:
            problems.add(path, node.line_of(key), f"unknown field {key!r} in {what}; expected one of: "
                         + ", ".join(sorted(allowed)))


def _mapping(problems, path, data, what):
    if not isinstance(data, LineDict):
        problems.add(path, getattr(data, "line", 1), f"{what} must be a mapping (key: value)")
        return None
    return data


def _load_mapping(path: Path, shown: str, fields, what):
    """Load a YAML file that must be a mapping with known top-level fields."""
    problems = Problems()
    data = _mapping(problems, shown, load_file(path, shown), what)
    if data is None:
        raise DataError(problems)
    _unknown_fields(problems, shown, data, fields, what)
    return problems, data


def parse_catalogue(path: Path, shown: str):
    problems, data = _load_mapping(path, shown, CATALOGUE_FIELDS, "the catalogue")
    source = data.get("quelle")
    if not isinstance(source, LineDict) or not isinstance(source.get("stand"), dt.date):
        problems.add(shown, data.line_of("quelle"), "quelle must have name, url and stand (a date)")
        source = LineDict(name="", url=None, stand=None)
    source_url = _url(problems, shown, source, "url")
    entries = data.get("leistungen")
    catalogue = {}
    if not isinstance(entries, LineList):
        problems.add(shown, data.line_of("leistungen"), "leistungen must be a list")
        entries = LineList()
    for index, entry in enumerate(entries):
        line = entries.line_of(index)
        if not isinstance(entry, LineDict):
            problems.add(shown, line, "each Leistung must be a mapping")
            continue
        _unknown_fields(problems, shown, entry, LEISTUNG_FIELDS, "a Leistung")
        lid = entry.get("id")
        if not isinstance(lid, int) or isinstance(lid, bool):
            problems.add(shown, entry.line_of("id"), f"id must be an OZG-ID (a number), got {lid!r}")
            continue
        if lid in catalogue:
            problems.add(shown, entry.line_of("id"), f"OZG-ID {lid} appears twice")
            continue
        name = _text(problems, shown, entry, "name", required=True)
        feld = _text(problems, shown, entry, "themenfeld", required=True)
        lage = _text(problems, shown, entry, "lebenslage", required=True)
        typen = _text(problems, shown, entry, "leika_typen") or ""
        if name and feld and lage:
            catalogue[lid] = Leistung(lid, name, feld, lage, typen)
    if problems:
        raise DataError(problems)
    meta = {"name": source.get("name", ""), "url": source_url, "stand": source.get("stand")}
    return dict(sorted(catalogue.items())), meta


def parse_observation(problems, path, node, catalogue):
    _unknown_fields(problems, path, node, OBSERVATION_FIELDS, "an observation")
    count = len(problems)
    ozg_id = node.get("ozg_id")
    if ozg_id is not None:
        if not isinstance(ozg_id, int) or isinstance(ozg_id, bool):
            problems.add(path, node.line_of("ozg_id"), f"ozg_id must be a number, got {ozg_id!r}")
        elif ozg_id not in catalogue:
            problems.add(path, node.line_of("ozg_id"), f"unknown OZG-ID {ozg_id} (not in data/ozg/katalog.yaml)")
    leika = node.get("leika")
    if leika is not None and (not isinstance(leika, str) or not LEIKA.match(leika)):
        problems.add(path, node.line_of("leika"), f"leika must be a 14-digit LeiKa key in quotes, got {leika!r}")
    leika_name = _text(problems, path, node, "leika_name")
    if ozg_id is None and (leika is None or not leika_name):
        problems.add(path, node.line, "an observation needs ozg_id, or leika and leika_name")
    datum = node.get("datum")
    if isinstance(datum, dt.datetime):
        datum = datum.date()
    if not isinstance(datum, dt.date):
        line = node.line_of("datum")
        got = "nothing" if datum is None else repr(datum)
        problems.add(path, line, f"datum must be a date YYYY-MM-DD, got {got}")
    reifegrad = node.get("reifegrad")
    if reifegrad is not None and (
        not isinstance(reifegrad, int) or isinstance(reifegrad, bool) or reifegrad not in REIFEGRADE
    ):
        problems.add(path, node.line_of("reifegrad"), f"reifegrad must be 0-4, got {reifegrad!r}")
    online = _bool(problems, path, node, "online")
    termin = _bool(problems, path, node, "nur_terminbuchung")
    if reifegrad is None and online is None and termin is None and len(problems) == count:
        problems.add(path, node.line, "an observation needs at least one of reifegrad, online, nur_terminbuchung")
    url = _url(problems, path, node, "url")
    quelle = _url(problems, path, node, "quelle")
    dokument = _text(problems, path, node, "quelle_dokument")
    if "quelle" not in node and not dokument:
        problems.add(path, node.line, "source missing: give quelle (a URL) or quelle_dokument (a document)")
    texts = {k: _text(problems, path, node, k) for k in ("notiz", "zustaendig", "onlinedienst", "flaechendeckung")}
    if len(problems) > count:
        return None
    return Observation(
        datum=datum, ozg_id=ozg_id, leika=leika, leika_name=leika_name, online=online,
        reifegrad=reifegrad, nur_terminbuchung=termin, url=url, quelle=quelle,
        quelle_dokument=dokument, file=path, line=node.line, **texts,
    )


def parse_kommune(path: Path, shown: str, catalogue):
    problems, data = _load_mapping(path, shown, KOMMUNE_FIELDS, "a municipality file")
    slug = data.get("slug")
    if slug != path.stem or not isinstance(slug, str) or not SLUG.match(slug):
        problems.add(shown, data.line_of("slug"), f"slug must be {path.stem!r} (the file name), got {slug!r}")
    name = _text(problems, shown, data, "name", required=True)
    ars = data.get("ars")
    if not is_ars(ars):
        problems.add(shown, data.line_of("ars"), f"ars must be a 12-digit key in quotes, got {ars!r}")
    ebene = data.get("ebene")
    if ebene not in EBENEN:
        problems.add(shown, data.line_of("ebene"), f"ebene must be one of {', '.join(sorted(EBENEN))}, got {ebene!r}")
    beschreibung = _text(problems, shown, data, "beschreibung") or ""
    raw = data.get("beobachtungen")
    if raw is None:
        raw = LineList()
    if not isinstance(raw, LineList):
        problems.add(shown, data.line_of("beobachtungen"), "beobachtungen must be a list")
        raw = LineList()
    observations = []
    for index, node in enumerate(raw):
        if not isinstance(node, LineDict):
            problems.add(shown, raw.line_of(index), "each observation must be a mapping")
            continue
        if (obs := parse_observation(problems, shown, node, catalogue)) is not None:
            observations.append(obs)
    if problems:
        raise DataError(problems)
    return Kommune(slug, name, ars, ebene, beschreibung, observations, file=shown)


def load_catalogue(data_dir: Path, root: Path | None = None):
    """(catalogue, source) of data/ozg/katalog.yaml, validated: all an importer needs of the model."""
    path = data_dir / "katalog.yaml"
    shown = shown_path(path, root or data_dir.parent.parent)
    if not path.exists():
        raise DataError([(shown, 0, "missing; run `make import-catalog`")])
    return parse_catalogue(path, shown)


def load_model(data_dir: Path, root: Path | None = None) -> Model:
    """Load and validate everything under data/ozg/ once; raise DataError on any problem."""
    root = root or data_dir.parent.parent

    def shown(p: Path) -> str:
        return shown_path(p, root)

    catalogue, source = load_catalogue(data_dir, root)
    problems = []
    kommunen = {}
    for path in sorted((data_dir / "kommunen").glob("*.yaml")):
        try:
            kommune = parse_kommune(path, shown(path), catalogue)
            kommunen[kommune.slug] = kommune
        except DataError as exc:
            problems.extend(exc.problems)
    for path in sorted((data_dir / "kommunen").glob("*.yml")):
        problems.append((shown(path), 0, "use the extension .yaml"))
    indicators = None
    indicator_path = data_dir / KENNZAHLEN_FILE
    if indicator_path.exists():
        try:
            indicators = parse_kennzahlen(indicator_path, shown(indicator_path))
        except DataError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataError(problems)
    # Municipalities first, then the state: Duisburg leads every comparison.
    order = {"kommune": 0, "kreis": 1, "land": 2, "bund": 3}
    kommunen = dict(sorted(kommunen.items(), key=lambda kv: (order[kv[1].ebene], kv[0])))
    return Model(catalogue, source, kommunen, indicators)
