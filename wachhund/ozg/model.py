"""The OZG model: catalogue, observations, and the status derived from them.

Observations are history; nothing is overwritten. The current status of a
service (per OZG-ID and LeiKa key) is its latest observation.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from .kennzahlen import empty

REIFEGRADE = {
    0: "offline",
    1: "Information",
    2: "Formular-Assistent",
    3: "Online-Antrag",
    4: "Online-Abwicklung",
}
OZG_COMPLIANT_FROM = 3


@dataclass(frozen=True, slots=True)
class Leistung:
    id: int
    name: str
    themenfeld: str
    lebenslage: str
    leika_typen: str = ""


@dataclass(frozen=True, slots=True)  # slots: thousands of them live for the whole build
class Observation:
    datum: dt.date
    ozg_id: int | None = None
    leika: str | None = None
    leika_name: str | None = None
    online: bool | None = None
    reifegrad: int | None = None
    nur_terminbuchung: bool | None = None
    url: str | None = None
    quelle: str | None = None
    quelle_dokument: str | None = None
    notiz: str | None = None
    zustaendig: str | None = None
    onlinedienst: str | None = None
    flaechendeckung: str | None = None
    file: str = ""
    line: int = 0

    @property
    def key(self):
        return (self.ozg_id, self.leika)


def status_of(obs) -> tuple:
    """What a subscriber calls "the status" of one observation."""
    return (obs.online, obs.reifegrad, obs.nur_terminbuchung)


def aggregate(current) -> tuple:
    """(reifegrad, online, nur_terminbuchung, datum, url) of a row's current observations.

    Highest known Reifegrad; online if any says so (or Reifegrad >= 3), offline only
    if one says so and none says online; "nur Terminbuchung" only if nothing is online.
    """
    if not current:
        return None, None, False, None, None
    grades = [o.reifegrad for o in current if o.reifegrad is not None]
    reifegrad = max(grades) if grades else None
    if any(o.online for o in current) or (reifegrad or 0) >= OZG_COMPLIANT_FROM:
        online = True
    elif any(o.online is False for o in current):
        online = False
    else:
        online = None
    termin = any(o.nur_terminbuchung for o in current) and not online
    datum = max(o.datum for o in current)
    url = next((o.url for o in current if o.url), None)
    return reifegrad, online, termin, datum, url


def imported_observation(municipality, ozg_id) -> Observation:
    """What the federal dashboard import says about one OZG-Leistung, as an observation
    dated with the import and naming it as its source."""
    offered = municipality.available.get(ozg_id)
    if offered is None:
        return Observation(municipality.stand, ozg_id, online=False, quelle=municipality.quelle or None,
                           notiz="Laut Dashboard Digitale Verwaltung nicht online verfügbar.")
    url, where = offered
    return Observation(municipality.stand, ozg_id, online=True, url=url or None, quelle=municipality.quelle or None,
                       notiz=f"Laut Dashboard Digitale Verwaltung online verfügbar ({where}).")


@dataclass(slots=True)
class Status:
    """Current status of one row: an OZG-Leistung, or a LeiKa service without one."""

    ozg_id: int | None
    name: str
    themenfeld: str
    lebenslage: str
    leika: str | None = None
    current: list = field(default_factory=list)  # latest Observation per key
    reifegrad: int | None = None
    online: bool | None = None
    nur_terminbuchung: bool = False
    datum: dt.date | None = None
    url: str | None = None

    @property
    def known(self) -> bool:
        return bool(self.current)

    def finish(self):
        self.reifegrad, self.online, self.nur_terminbuchung, self.datum, self.url = aggregate(self.current)
        return self


@dataclass
class Kommune:
    slug: str
    name: str
    ars: str
    ebene: str
    beschreibung: str
    observations: list
    file: str = ""

    @cached_property
    def stand(self) -> dt.date | None:
        return max((o.datum for o in self.observations), default=None)


class Model:
    def __init__(self, catalogue, catalogue_source, kommunen, kennzahlen=None):
        self.catalogue = catalogue  # {id: Leistung}, sorted by id
        self.kennzahlen = kennzahlen if kennzahlen is not None else empty()  # indicators from studies and press
        self.catalogue_source = catalogue_source  # {"name", "url", "stand"}
        self.kommunen = kommunen  # {slug: Kommune}, in file order
        self.ranking = None  # ranking.Ranking from the imported dashboard data, set by the build
        self._status_cache = {}
        self.themenfelder = sorted({l.themenfeld for l in catalogue.values()})
        self.lebenslagen = sorted({l.lebenslage for l in catalogue.values()})

    def statuses(self, slug: str, until: dt.date | None = None) -> list:
        """One Status per catalogue entry, then LeiKa-only rows, as of `until`."""
        cache_key = (slug, until)
        if cache_key in self._status_cache:
            return self._status_cache[cache_key]
        latest = {}
        for obs in self.kommunen[slug].observations:
            if until is not None and obs.datum > until:
                continue
            seen = latest.get(obs.key)
            if seen is None or obs.datum >= seen.datum:
                latest[obs.key] = obs
        by_id = {lid: Status(lid, l.name, l.themenfeld, l.lebenslage) for lid, l in self.catalogue.items()}
        extra = {}
        for obs in sorted(latest.values(), key=lambda o: (o.ozg_id or 0, o.leika or "")):
            if obs.ozg_id is not None:
                by_id[obs.ozg_id].current.append(obs)
            else:
                name = obs.leika_name or obs.leika
                row = extra.setdefault(obs.leika, Status(None, name, "Ohne OZG-Zuordnung", "", leika=obs.leika))
                row.current.append(obs)
        if (imported := self.imported(slug)) is not None:
            for lid, row in by_id.items():
                if not row.current:  # a hand observation stays authoritative where there is one
                    row.current.append(imported_observation(imported, lid))
        result = [row.finish() for row in by_id.values()]
        result += sorted((row.finish() for row in extra.values()), key=lambda s: s.name.lower())
        if until is None:  # only the current status is asked for more than once
            self._status_cache[cache_key] = result
        return result

    def imported(self, slug: str):
        """The municipality's entry in the imported dashboard data, if the import has it."""
        return self.ranking.municipalities.get(self.kommunen[slug].ars) if self.ranking else None

    def stand(self, slug: str) -> dt.date | None:
        """The newest date of anything shown for the municipality: hand observations or import."""
        imported = self.imported(slug)
        dates = [d for d in (self.kommunen[slug].stand, imported.stand if imported else None) if d]
        return max(dates, default=None)

    def summary(self, slug: str, until: dt.date | None = None) -> dict:
        cache_key = ("summary", slug, until)
        if cache_key not in self._status_cache:
            self._status_cache[cache_key] = _Tally(self.statuses(slug, until)).summary(slug, until or self.stand(slug))
        return self._status_cache[cache_key]

    def changes(self, slug: str) -> list:
        """[(observation, previous or None)] where a service's status changed, oldest first."""
        previous = {}
        result = []
        for obs in sorted(self.kommunen[slug].observations, key=lambda o: o.datum):  # stable: file order within a day
            before = previous.get(obs.key)
            if before is None or status_of(before) != status_of(obs):
                result.append((obs, before))
            previous[obs.key] = obs
        return result

    def history(self, slug: str) -> list:
        """Summary at every date on which something was observed, oldest first.

        Incremental: one pass over the observations in date order, re-aggregating
        only the rows an observation touches (not every row at every date).
        """
        rows = {s.ozg_id if s.ozg_id is not None else ("leika", s.leika): s for s in self.statuses(slug)}
        state = {key: Status(r.ozg_id, r.name, r.themenfeld, r.lebenslage, r.leika) for key, r in rows.items()}
        latest = {}  # row key -> {observation key -> latest observation}
        ordered = sorted(self.kommunen[slug].observations, key=lambda o: o.datum)  # stable: file order within a day
        result = []
        tally = _Tally(state.values())  # the counts of all rows, kept up to date row by row
        for index, obs in enumerate(ordered):
            row_key = obs.ozg_id if obs.ozg_id is not None else ("leika", obs.leika)
            per_row = latest.setdefault(row_key, {})
            per_row[obs.key] = obs
            row = state[row_key]
            tally.add(row, -1)
            row.current = list(per_row.values())
            row.finish()
            tally.add(row, 1)
            last_of_day = index + 1 == len(ordered) or ordered[index + 1].datum != obs.datum
            if last_of_day:
                result.append(tally.summary(slug, obs.datum))
        return result


class _Tally:
    """The counts behind a summary; a row is added (+1) or taken out again (-1)."""

    def __init__(self, rows=()):
        self.counts = {grad: 0 for grad in REIFEGRADE}
        self.total = self.known = self.online = self.termin = self.others = 0
        for row in rows:
            self.add(row, 1)

    def add(self, row, sign: int) -> None:
        if row.ozg_id is None:
            self.others += sign  # a LeiKa service without an OZG-Leistung
            return
        self.total += sign
        if row.reifegrad is not None:
            self.counts[row.reifegrad] += sign
        self.known += sign * row.known
        self.online += sign * bool(row.online)
        self.termin += sign * bool(row.nur_terminbuchung)

    def summary(self, slug, stand) -> dict:
        total = self.total
        compliant = sum(number for grad, number in self.counts.items() if grad >= OZG_COMPLIANT_FROM)
        return {
            "kommune": slug,
            "gesamt": total,
            "mit_angabe": self.known,
            "keine_angabe": total - self.known,
            "online": self.online,
            "reifegrad_3_plus": compliant,
            "anteil_ozg_konform": (compliant / total) if total else 0.0,
            "nur_terminbuchung": self.termin,
            "nach_reifegrad": dict(self.counts),
            "ohne_ozg_zuordnung": self.others,
            "stand": stand,
        }
