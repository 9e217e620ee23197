"""The hand-kept question files, ``data/anfragen/<slug>.yaml``, read and checked.

    titel: Stand der Online-Dienste
    an: Stadt Duisburg, Digitalisierungsteam
    gestellt: 2026-09-01
    kanal: E-Mail
    frage: Welche OZG-Leistungen sind …?
    fragdenstaat: https://fragdenstaat.de/anfrage/stand-der-online-dienste/   # optional
    frist: 2026-10-01            # optional: a deadline the author sets
    erinnerungen: [2026-10-05]   # optional
    stand: 2026-12-01            # optional: the day the author last saw no answer
    antwort: 2026-12-03          # optional: the day the answer came
    ergebnis: abgelehnt          # optional, needs antwort (default: beantwortet)
    antwort_url: https://…       # or antwort_dokument: "Schreiben vom 3.12.2026"
    notiz: Freitext

Every problem is reported as ``data/anfragen/<slug>.yaml:LINE: message``, all files at once.
"""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from wachhund.lib.net import is_http_url
from wachhund.lib.yamlfile import DataError, LineDict, LineList, load_file

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
REQUIRED = ("titel", "an", "gestellt", "kanal", "frage")
OPTIONAL = ("fragdenstaat", "frist", "erinnerungen", "stand", "antwort", "ergebnis", "antwort_url",
            "antwort_dokument", "notiz")
# A hand-kept answer's outcome (the German labels froide's resolutions get too).
ERGEBNISSE = {
    "beantwortet": "beantwortet",
    "teilweise": "teilweise beantwortet",
    "nicht_vorhanden": "Information nicht vorhanden",
    "abgelehnt": "abgelehnt",
    "zurueckgezogen": "zurückgezogen",
}
# froide's request addresses: /anfrage/<slug>/ and the short /a/<id>
FROIDE_PATH = re.compile(r"^/(?:anfrage/(?P<slug>[a-z0-9_-]+)|a/(?P<id>[0-9]{1,12}))/?$")
MAX_TEXT = 20_000
_MISSING = object()


@dataclass(frozen=True)
class Question:
    slug: str
    path: str  # as shown in messages, e.g. data/anfragen/x.yaml
    titel: str
    an: str
    gestellt: dt.date
    kanal: str
    frage: str
    fragdenstaat: str | None = None
    frist: dt.date | None = None
    erinnerungen: tuple = ()
    stand: dt.date | None = None
    antwort: dt.date | None = None
    ergebnis: str | None = None  # a key of ERGEBNISSE
    antwort_url: str | None = None
    antwort_dokument: str | None = None
    notiz: str | None = None

    @property
    def own_dates(self) -> tuple:
        """The dates of what happened (the deadline is not one: it may lie ahead)."""
        return tuple(d for d in (self.gestellt, *self.erinnerungen, self.stand, self.antwort) if d is not None)


def froide_ref(url: str, base: str) -> tuple[str, str] | None:
    """("slug", s) or ("id", n) of a request URL on the instance `base`; None if it is none."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base or parts.query or parts.fragment:
        return None
    match = FROIDE_PATH.match(parts.path)
    if not match:
        return None
    return ("slug", match.group("slug")) if match.group("slug") else ("id", match.group("id"))


class _Checker:
    def __init__(self, path: str, data: LineDict, base: str):
        self.path, self.data, self.base = path, data, base
        self.problems = []

    def problem(self, key, message, line=None):
        self.problems.append((self.path, line or self.data.line_of(key), message))

    def text(self, key, required):
        value = self.data.get(key)
        if value is None:
            if required:
                self.problem(key, f"{key} is missing (a question needs {', '.join(REQUIRED)})", self.data.line or 1)
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"{key} must be a non-empty text, got {value!r}")
            return None
        if len(value) > MAX_TEXT:
            self.problem(key, f"{key} has {len(value)} characters; at most {MAX_TEXT}")
            return None
        return value.strip()

    def date(self, key, value=_MISSING, line=None):
        value = self.data.get(key) if value is _MISSING else value
        if value is None and line is None:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            self.problem(key, f"{key} must be a date YYYY-MM-DD, got {str(value)[:40]!r}", line)
            return None
        return value

    def url(self, key):
        value = self.data.get(key)
        if value is None:
            return None
        if not is_http_url(value):
            self.problem(key, f"{key} must be an http(s) URL, got {str(value)[:80]!r}")
            return None
        return value


def _check(slug: str, path: str, data, base: str) -> tuple[Question | None, list]:
    if not isinstance(data, LineDict):
        return None, [(path, getattr(data, "line", 1) or 1, "expected the keys of one question (titel: …, an: …)")]
    c = _Checker(path, data, base)
    for key in data:
        if key not in REQUIRED and key not in OPTIONAL:
            c.problem(key, f"unknown key {key!r}; expected: {', '.join(REQUIRED + OPTIONAL)}")
    titel, an, kanal, frage = (c.text(k, True) for k in ("titel", "an", "kanal", "frage"))
    gestellt = c.date("gestellt")
    if "gestellt" not in data:
        c.problem("gestellt", "gestellt is missing: the date the question was asked", data.line or 1)
    frist, stand, antwort = c.date("frist"), c.date("stand"), c.date("antwort")
    erinnerungen = []
    raw = data.get("erinnerungen")
    if raw is not None:
        if not isinstance(raw, LineList):
            c.problem("erinnerungen", "erinnerungen must be a list of dates, e.g. [2026-10-05, 2026-11-02]")
        else:
            for index, item in enumerate(raw):
                if (day := c.date("erinnerungen", item, raw.line_of(index))) is not None:
                    erinnerungen.append((day, raw.line_of(index)))
    if gestellt is not None:
        for key, day in (("antwort", antwort), ("stand", stand), ("frist", frist)):
            if day is not None and day < gestellt:
                c.problem(key, f"{key} {day.isoformat()} is before gestellt {gestellt.isoformat()}")
        for day, line in erinnerungen:
            if day < gestellt:
                c.problem("erinnerungen", f"Erinnerung {day.isoformat()} is before gestellt {gestellt.isoformat()}",
                          line)
    fragdenstaat = c.url("fragdenstaat")
    if fragdenstaat is not None and froide_ref(fragdenstaat, base) is None:
        c.problem("fragdenstaat", f"fragdenstaat must be a request's address on {base}: {base}/anfrage/<slug>/ "
                  f"or {base}/a/<nummer>, got {fragdenstaat[:80]!r}")
        fragdenstaat = None
    antwort_url = c.url("antwort_url")
    antwort_dokument = c.text("antwort_dokument", False)
    ergebnis = data.get("ergebnis")
    if ergebnis is not None and ergebnis not in ERGEBNISSE:
        c.problem("ergebnis", f"ergebnis must be one of {', '.join(ERGEBNISSE)}, got {ergebnis!r}")
    for key in ("ergebnis", "antwort_url", "antwort_dokument"):
        if key in data and "antwort" not in data:
            c.problem(key, f"{key} needs antwort: the date the answer came")
    notiz = c.text("notiz", False)
    if c.problems:
        return None, c.problems
    return Question(slug, path, titel, an, gestellt, kanal, frage, fragdenstaat, frist,
                    tuple(sorted(d for d, _ in erinnerungen)), stand, antwort, ergebnis, antwort_url,
                    antwort_dokument, notiz), []


def load_questions(folder: Path, base: str, shown=lambda path: str(path)) -> dict[str, Question]:
    """{slug: Question} of every ``*.yaml`` in `folder` (none: the folder is missing or empty).
    `base` is the froide instance the `fragdenstaat` addresses must be on."""
    folder = Path(folder)
    questions, problems = {}, []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else ():
        name = shown(path)
        if not SLUG.match(path.stem):
            problems.append((name, 0, f"the file name {path.stem!r} is the question's address: use a-z, 0-9 and '-'"))
            continue
        try:
            data = load_file(path, name)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        question, found = _check(path.stem, name, data, base)
        problems.extend(found)
        if question is not None:
            questions[question.slug] = question
    if problems:
        raise DataError(problems)
    return questions
