"""Indicators ("Kennzahlen"): dated, sourced figures from studies and the press.

Each value names its series (``reihe``), its area, what is counted, the date
of the data as the source states it (``stand``: a year, a month or a day, or
nothing), the source and a verbatim quote as evidence. A value without a
source or evidence is refused; a value without ``stand`` is kept, shown as
"Stand unbekannt" and never placed on a time axis.
"""

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from wachhund.lib.dates import MONTHS, datum, zahl
from wachhund.lib.net import is_http_url
from wachhund.lib.yamlfile import DataError, LineDict, LineList, load_file

from .regions import is_ars

FILE = "kennzahlen.yaml"
UNITS = ("Anzahl", "Prozent", "Rang", "Punkte")
REIHE = re.compile(r"^[a-z0-9_]+$")
PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
FIELDS = {"reihe", "gebiet", "ars", "kennzahl", "wert", "einheit", "von", "stand", "veroeffentlicht",
          "quelle_name", "quelle_url", "beleg", "hinweis"}
REQUIRED = ("reihe", "gebiet", "kennzahl", "einheit", "quelle_name", "quelle_url", "beleg")
MAX_TEXT = 2000


def parse_partial_date(value: str) -> tuple[int, ...] | None:
    """'2025', '2025-01' or '2025-01-31' -> (2025,), (2025, 1), (2025, 1, 31); None if not a real date."""
    match = PARTIAL_DATE.match(value)
    if not match:
        return None
    parts = tuple(int(p) for p in match.groups() if p is not None)
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return None
    return parts


def partial_date_text(value: str | None) -> str:
    """'2025' -> '2025', '2025-01' -> 'Januar 2025', '2025-01-31' -> '31. Januar 2025'."""
    if not value:
        return ""
    parts = parse_partial_date(value)
    if len(parts) == 1:
        return str(parts[0])
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return datum(dt.date(*parts))


def axis_date(value: str) -> dt.date:
    """Where a stand sits on a time axis: the middle of the period it names."""
    parts = parse_partial_date(value)
    if len(parts) == 1:
        return dt.date(parts[0], 7, 1)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], 15)
    return dt.date(*parts)


@dataclass(frozen=True, slots=True)
class Wert:
    reihe: str
    gebiet: str
    ars: str | None
    kennzahl: str
    wert: Decimal
    einheit: str
    von: Decimal | None
    stand: str | None
    veroeffentlicht: str | None
    quelle_name: str
    quelle_url: str
    beleg: str
    hinweis: str | None
    line: int

    @property
    def dated(self) -> bool:
        return self.stand is not None

    @property
    def stand_text(self) -> str:
        if self.stand:
            return partial_date_text(self.stand)
        if self.veroeffentlicht:
            return f"Stand unbekannt, veröffentlicht {partial_date_text(self.veroeffentlicht)}"
        return "Stand unbekannt"

    @property
    def sort_key(self):
        """Newest last: dated values by their stand; undated ones before all dated ones."""
        return (self.stand is not None, axis_date(self.stand) if self.stand else dt.date.min,
                axis_date(self.veroeffentlicht) if self.veroeffentlicht else dt.date.min, self.line)

    @property
    def value_text(self) -> str:
        """'197 von 575', '2,33 %', 'Rang 35 von 81', '6 von 22 Punkten'."""
        number = _number(self.wert)
        of = f" von {_number(self.von)}" if self.von is not None else ""
        if self.einheit == "Prozent":
            return f"{number} %" + (f" (Basis: {_number(self.von)})" if self.von is not None else "")
        if self.einheit == "Rang":
            return f"Rang {number}{of}"
        if self.einheit == "Punkte":
            return f"{number}{of} Punkten" if of else f"{number} Punkte"
        return f"{number}{of}"


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    return zahl(value) if value.as_tuple().exponent >= -1 else f"{value}".replace(".", ",")


class Kennzahlen:
    """All values, grouped by series in file order; lookups by series and area."""

    def __init__(self, werte: list[Wert], source: dict):
        self.werte = werte
        self.source = source  # {"datei", "stand", "beschreibung"}
        self.reihen: dict[str, list[Wert]] = {}
        for wert in werte:
            self.reihen.setdefault(wert.reihe, []).append(wert)

    def gebiete(self, reihe: str) -> list[str]:
        return sorted({w.gebiet for w in self.reihen[reihe]})

    def find_gebiet(self, reihe: str, gebiet: str) -> str | None:
        """An area of the series by its name or its 12-digit ARS."""
        return next((wert.gebiet for wert in self.reihen[reihe] if gebiet in (wert.gebiet, wert.ars)), None)

    def latest(self, reihe: str, gebiet: str) -> Wert:
        return max((w for w in self.reihen[reihe] if w.gebiet == gebiet), key=lambda w: w.sort_key)

    def description(self, reihe: str) -> str:
        """What the series counts: the text most of its values give."""
        texts = [w.kennzahl for w in self.reihen[reihe]]
        return max(texts, key=texts.count)

    def chart_unit(self, reihe: str) -> str:
        units = [w.einheit for w in self.reihen[reihe] if w.dated]
        return max(units, key=units.count) if units else ""

    def chartable(self, reihe: str) -> bool:
        """A time chart needs one area with values at two different times, in one unit."""
        unit = self.chart_unit(reihe)
        stands = {}
        for wert in self.reihen[reihe]:
            if wert.dated and wert.einheit == unit:
                stands.setdefault(wert.gebiet, set()).add(wert.stand)
        return any(len(s) >= 2 for s in stands.values())

    def for_ars(self, ars: str) -> list[Wert]:
        """The latest value of every series that has one for this regional key."""
        mine = ([w for w in werte if w.ars == ars] for werte in self.reihen.values())
        return [max(werte, key=lambda w: w.sort_key) for werte in mine if werte]


def empty() -> Kennzahlen:
    return Kennzahlen([], {})


def parse(path: Path, shown: str) -> Kennzahlen:
    """Load and validate data/ozg/kennzahlen.yaml; raise DataError with file:line."""
    data = load_file(path, shown)
    if not isinstance(data, LineDict):
        raise DataError([(shown, 1, "expected a mapping with 'quelle' and 'werte'")])
    problems = [(shown, data.line_of(key), f"unknown field {key!r}; expected quelle, werte")
                for key in data if key not in ("quelle", "werte")]
    source = data.get("quelle")
    if not isinstance(source, LineDict):
        problems.append((shown, data.line_of("quelle"), "quelle must describe the collection (datei, stand)"))
        source = LineDict()
    werte = data.get("werte")
    if not isinstance(werte, LineList):
        problems.append((shown, data.line_of("werte"), "werte must be a list"))
        werte = LineList()
    parsed = []
    for index, node in enumerate(werte):
        if not isinstance(node, LineDict):
            problems.append((shown, werte.line_of(index), "each value must be a mapping"))
            continue
        wert = parse_value(node, lambda key, message: problems.append((shown, node.line_of(key), message)))
        if wert is not None:
            parsed.append(wert)
    if problems:
        raise DataError(problems)
    return Kennzahlen(parsed, {k: str(v) for k, v in source.items()})


def parse_value(node, report) -> Wert | None:
    """One value from a mapping (YAML node or CSV row); report(key, message) for each problem."""
    count = [0]

    def bad(key, message):
        count[0] += 1
        report(key, message)

    for key in node:
        if key not in FIELDS:
            bad(key, f"unknown field {key!r}; expected one of: {', '.join(sorted(FIELDS))}")

    def text(key, required=False):
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                what = {"quelle_url": "a source (quelle_url)", "quelle_name": "a source name (quelle_name)",
                        "beleg": "evidence (beleg: a verbatim quote from the source)"}.get(key, key)
                bad(key, f"a value needs {what}")
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            bad(key, f"{key} must be text, got {value!r}")
            return None
        value = " ".join(str(value).split())
        if len(value) > MAX_TEXT:
            bad(key, f"{key} is longer than {MAX_TEXT} characters")
            return None
        return value

    def number(key, required=False):
        value = node.get(key)
        if value is None or value == "":
            if required:
                bad(key, f"{key} is missing")
            return None
        try:
            result = Decimal(str(value))
        except InvalidOperation:
            bad(key, f"{key} must be a number with '.' as decimal point, got {value!r}")
            return None
        if not result.is_finite() or isinstance(value, bool):
            bad(key, f"{key} must be a number, got {value!r}")
            return None
        return result

    def partial(key):
        value = text(key)
        if value is not None and parse_partial_date(value) is None:
            bad(key, f"{key} must be a date like 2025, 2025-01 or 2025-01-31, got {value!r}")
            return None
        return value

    fields = {key: text(key, required=True) for key in REQUIRED}
    reihe, einheit, url = fields["reihe"], fields["einheit"], fields["quelle_url"]
    if reihe is not None and not REIHE.match(reihe):
        bad("reihe", f"reihe must be an id of a-z, 0-9 and '_', got {reihe!r}")
    if einheit is not None and einheit not in UNITS:
        bad("einheit", f"einheit must be one of {', '.join(UNITS)}, got {einheit!r}")
    if url is not None and not is_http_url(url):
        bad("quelle_url", f"quelle_url must be an http(s) URL, got {url[:80]!r}")
    ars = text("ars")
    if ars is not None and not is_ars(ars):
        bad("ars", f"ars must be a 12-digit regional key in quotes, got {ars!r}")
    wert, von = number("wert", required=True), number("von")
    stand, veroeffentlicht, hinweis = partial("stand"), partial("veroeffentlicht"), text("hinweis")
    if count[0]:
        return None
    return Wert(
        reihe=reihe, gebiet=fields["gebiet"], ars=ars, kennzahl=fields["kennzahl"], wert=wert, einheit=einheit,
        von=von, stand=stand, veroeffentlicht=veroeffentlicht, quelle_name=fields["quelle_name"], quelle_url=url,
        beleg=fields["beleg"], hinweis=hinweis, line=getattr(node, "line", 0),
    )
