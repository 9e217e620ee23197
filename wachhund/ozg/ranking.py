"""How many OZG-Leistungen each municipality has online, from the imported dashboard data.

The method (README, "How a municipality is counted"): an OZG-Leistung is available when one
of its services is counted (`regions.counts`) under the municipality's own key, or under a
key above it that covers that key's whole area (`regions.covers_below`). One pass over the
store's change rows in date order keeps the counted services per key and OZG-Leistung and,
on each import date, looks again only at the municipalities an import touched: the current
state and every dated change of a count, without evaluating all of NRW once per import.
"""

import datetime as dt
import itertools
import operator
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .regions import above, counts, covers_below, is_area_key


@dataclass(frozen=True, slots=True)
class Change:
    datum: dt.date
    ars: str
    ozg_id: int
    online: bool  # True: became available; False: no longer available


@dataclass
class Municipality:
    ars: str
    name: str
    kreis: str  # the Kreis's name, or "kreisfreie Stadt"
    available: dict = field(default_factory=dict)  # ozg_id -> (url, where: "eigener Dienst", "Kreis", …)
    first_seen: dt.date | None = None
    rank: int = 0
    delta: int | None = None  # change of the count since the previous import; None: no previous import
    stand: dt.date | None = None
    quelle: str = ""
    reasons: tuple = ()  # (leika_key, ozg_id, why the dashboard leaves the service out)

    @property
    def count(self) -> int:
        return len(self.available)


@dataclass
class Ranking:
    municipalities: dict  # ars -> Municipality, best first
    changes: list  # Change, oldest first
    imports: list
    catalogue_size: int
    national: list = field(default_factory=list)  # (rank, Municipality): the national peer group

    def __bool__(self):
        return bool(self.municipalities)

    @property
    def stand(self):
        return max((i.shown_stand for i in self.imports), default=None)

    def national_rank(self, ars: str):
        """(rank, size) of `ars` in the national peer group, or None."""
        return next(((rank, len(self.national)) for rank, mu in self.national if mu.ars == ars), None)

    def group(self, ars_keys) -> list:
        """The municipalities of a peer group, ranked among themselves: (group rank, municipality)."""
        wanted = set(ars_keys)
        members = [m for m in self.municipalities.values() if m.ars in wanted]
        return list(zip(competition_ranks([m.count for m in members]), members, strict=True))


LEVEL_NAMES = {9: "Gemeindeverband", 5: "Kreis", 3: "Regierungsbezirk", 2: "Land", 0: "Bund"}


def level_name(ars: str) -> str:
    for digits in (9, 5, 3, 2, 0):
        if ars[digits:] == "0" * (12 - digits):
            return LEVEL_NAMES[digits]
    return "Gemeinde"


def competition_ranks(counts_best_first) -> list:
    """1, 2, 2, 4: equal counts share a rank, the next rank skips."""
    ranks = []
    for index, value in enumerate(counts_best_first):
        ranks.append(ranks[-1] if index and value == counts_best_first[index - 1] else index + 1)
    return ranks


def municipalities_of(keys) -> list:
    """Keys of the import that no other key lies below, except country, Land and
    Regierungsbezirk: the municipalities (a kreisfreie Stadt's key looks like a
    Kreis key; it has nothing below it)."""
    has_below = {a for k in keys for a in above(k)}
    return sorted(k for k in keys if not is_area_key(k) and k not in has_below)


class _Rules:
    """`counts` and `covers_below`, looked up once per distinct value (the store
    repeats a handful of status texts and a few hundred keys half a million times)."""

    def __init__(self, catalogue):
        self.catalogue = catalogue
        self._counts, self._covers = {}, {}

    def counted(self, row) -> bool:
        if row is None or not row.vorhanden or row.ozg_id not in self.catalogue:
            return False
        status = (row.online_status, row.aktiv, row.art)
        if status not in self._counts:
            self._counts[status] = counts(*status)
        return self._counts[status]

    def covers(self, row) -> bool:
        pair = (row.ars, row.art)
        if pair not in self._covers:
            self._covers[pair] = covers_below(*pair)
        return self._covers[pair]


def in_region(ars: str, imports) -> bool:
    """A key the ranking speaks about: at or below a key imported with every key below it.
    Cities imported only with the keys above them (the national peer group) are not."""
    scopes = {i.ars for i in imports if i.umfang == "darunter"}
    return not imports or ars in scopes or any(key in scopes for key in above(ars))


def compute(store, catalogue, national=()) -> Ranking:
    """The NRW ranking, and the national peer group `national` ((ars, name), …) ranked
    among itself by the same method (a city-state's key is a Land's: counted all the same)."""
    keys = {row.ars for row in store.rows}
    ranked = [m for m in municipalities_of(keys) if in_region(m, store.imports)]
    munis = sorted(set(ranked) | {ars for ars, _name in national if ars in keys})
    above_of = {m: above(m) for m in munis}
    below = defaultdict(list)
    for m in munis:
        for key in above_of[m]:
            below[key].append(m)
    rules = _Rules(catalogue)
    own, cov = defaultdict(Counter), defaultdict(Counter)  # key -> {ozg_id: counted services}
    own_ids, cov_ids = defaultdict(frozenset), defaultdict(frozenset)  # key -> ozg_ids with at least one
    state = {}
    available = {m: frozenset() for m in munis}
    first_seen = {}
    changes = []
    by_date = operator.itemgetter(4)
    for datum, rows in itertools.groupby(sorted(store.rows, key=by_date), key=by_date):
        touched = set()
        for row in rows:
            key = row[:3]  # row.key, without the property call: this loop sees every row
            old = state.get(key)
            for version, sign in ((old, -1), (row, 1)):
                if rules.counted(version):
                    own[version.ars][version.ozg_id] += sign
                    if rules.covers(version):
                        cov[version.ars][version.ozg_id] += sign
                    touched.add(version.ars)
            state[key] = row
            if row.ars in available and row.ars not in first_seen:
                first_seen[row.ars] = datum
        for key in touched:
            own_ids[key] = frozenset(o for o, n in own[key].items() if n)
            cov_ids[key] = frozenset(o for o, n in cov[key].items() if n)
        affected = {key for key in touched if key in available}
        for key in touched:
            affected.update(below.get(key, ()))
        for m in sorted(affected):
            now = own_ids[m].union(*(cov_ids[a] for a in above_of[m]))
            if now != available[m]:
                if first_seen[m] < datum:  # the first import of a municipality is its baseline
                    changes += [Change(datum, m, o, True) for o in sorted(now - available[m])]
                    changes += [Change(datum, m, o, False) for o in sorted(available[m] - now)]
                available[m] = now
    region = set(ranked)
    changes = [c for c in changes if c.ars in region]
    return _ranking(store, catalogue, munis, above_of, available, first_seen, state, changes, rules, region, national)


def _links(state, rules):
    """Where each counted OZG-Leistung is offered: (key, ozg_id) -> smallest URL, separately
    for all counted rows and for rows that cover the area below their key."""
    own, cov = {}, {}
    for row in state.values():
        if rules.counted(row):
            pair = (row.ars, row.ozg_id)
            own[pair] = _prefer(own.get(pair), row.url)
            if rules.covers(row):
                cov[pair] = _prefer(cov.get(pair), row.url)
    return own, cov


def _prefer(current, url) -> str:
    """The smallest non-empty URL, so the choice does not depend on row order."""
    return min(current, url) if current and url else current or url


def _ranking(store, catalogue, munis, above_of, available, first_seen, state, changes, rules, region,
             national) -> Ranking:
    own_links, cov_links = _links(state, rules)
    dates = sorted({i.datum for i in store.imports})
    previous = dates[-2] if len(dates) > 1 else None
    since_previous = Counter()
    for change in changes:
        if previous is not None and change.datum > previous:
            since_previous[change.ars] += 1 if change.online else -1
    names = dict(national)
    reasons = defaultdict(list)
    for (ars, leika, ozgid), why in sorted(store.reasons.items()):
        reasons[ars].append((leika, int(ozgid) if ozgid.isdigit() and int(ozgid) in catalogue else None, why))
    result = []
    for m in munis:
        name = store.regions.get(m, (names.get(m, m), ""))[0]
        kreis_key = m[:5] + "0" * 7
        kreis = "kreisfreie Stadt" if kreis_key == m else store.regions.get(kreis_key, (kreis_key, ""))[0]
        offered = {}
        for ozg_id in sorted(available[m]):
            if (m, ozg_id) in own_links:
                offered[ozg_id] = (own_links[(m, ozg_id)], "eigener Dienst")
            else:
                key = next(a for a in above_of[m] if (a, ozg_id) in cov_links)
                offered[ozg_id] = (cov_links[(key, ozg_id)], level_name(key))
        scope = [i for i in store.imports if i.ars == m or i.ars in above_of[m]]
        latest = max(scope, key=lambda i: i.datum, default=None)
        delta = since_previous[m] if previous is not None and first_seen[m] <= previous else None
        result.append(Municipality(
            m, name, kreis, offered, first_seen[m], delta=delta,
            stand=latest.shown_stand if latest else None, quelle=latest.quelle if latest else "",
            reasons=tuple(reasons.get(m, ())),
        ))
    result.sort(key=lambda mu: (-mu.count, mu.name, mu.ars))
    group = [mu for mu in result if mu.ars in names]
    ranked = [mu for mu in result if mu.ars in region]
    for rank, mu in zip(competition_ranks([mu.count for mu in ranked]), ranked, strict=True):
        mu.rank = rank
    peers = list(zip(competition_ranks([mu.count for mu in group]), group, strict=True))
    return Ranking({mu.ars: mu for mu in ranked}, changes, store.imports, len(catalogue), peers)


def history(ranking: Ranking, mu: Municipality) -> list:
    """(import date, count) for every import that spoke about the municipality since its
    first one: its count then, worked back from today's count through the dated changes."""
    scope = set(above(mu.ars)) | {mu.ars}
    dates = sorted({i.datum for i in ranking.imports if i.ars in scope
                    and (mu.first_seen is None or i.datum >= mu.first_seen)})
    result = []
    for day in dates:
        later = [c for c in ranking.changes if c.ars == mu.ars and c.datum > day]
        result.append((day, mu.count - sum(1 if c.online else -1 for c in later)))
    return result
