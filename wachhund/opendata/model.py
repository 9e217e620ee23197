"""One portal's catalogue over time, and what the pages count in it.

Every figure is measured at an import's date (its *Stand*), never at the build's
clock: the same store gives the same pages on any day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from markupsafe import Markup

from wachhund.lib.dates import datum as german_date
from wachhund.lib.feeds import ChangeEntry, as_moment, stable_id

from .settings import OpenDataSettings, Portal
from .store import (BACKDATED, NEW, REMOVED, UPDATED, Event, Import, event_path, import_path, read_events,
                    read_imports, state_on)

NO_THEME = "ohne Thema"
PDF = "PDF"
ANNOUNCED = {NEW: "neu", UPDATED: "aktualisiert", BACKDATED: "Änderungsdatum zurückgesetzt", REMOVED: "entfernt"}


@dataclass
class Catalogue:
    portal: Portal
    events: list[Event]
    imports: list[Import]

    @property
    def stand(self) -> dt.date | None:
        return self.imports[-1].datum if self.imports else None

    def datasets(self, datum: dt.date | None = None) -> list[Event]:
        """The catalogue on `datum` (default: the last import), by title."""
        return sorted(state_on(self.events, datum).values(), key=lambda e: (e.title.casefold(), e.id))

    def themes(self) -> list[str]:
        """Every theme the portal has ever used: a post may name one that is empty today."""
        return sorted({t for e in self.events for t in e.fields.get("themen", ())}, key=str.casefold)

    def changes(self, datum: dt.date) -> list[Event]:
        """What an import announced: added, updated (or moved back) and removed datasets."""
        # A removed dataset is named by its last title.
        titles = {event.id: event.title for event in self.events if event.datum < datum and event.title}
        out = [event if event.kind != REMOVED
               else Event(event.id, event.datum, REMOVED, {"titel": titles.get(event.id, event.id)})
               for event in self.events if event.datum == datum and event.kind in ANNOUNCED]
        return sorted(out, key=lambda e: (list(ANNOUNCED).index(e.kind), e.title.casefold(), e.id))


def load(settings: OpenDataSettings, shown=str) -> dict[str, Catalogue]:
    """Every configured portal's catalogue (empty where no import has run yet)."""
    out = {}
    for slug, portal in settings.portals.items():
        events_file, imports_file = event_path(settings.data_dir, slug), import_path(settings.data_dir, slug)
        out[slug] = Catalogue(portal, read_events(events_file, shown(events_file)),
                              read_imports(imports_file, shown(imports_file)))
    return out


def two_years_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 2)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 2, day=28)


@dataclass(frozen=True)
class Statistics:
    stand: dt.date
    count: int
    themes: list  # [(theme, count, oldest modified or "")], largest first
    stale: int  # modified more than two years before the Stand
    undated: int  # no modified day (perhaps only a frequency)
    frequency_only: int
    newest: Event | None
    oldest: Event | None
    formats: list  # [(format, datasets)], most first
    only_pdf: int
    access_only: int  # distributions, but none with a download address
    no_distribution: int


def statistics(datasets: list[Event], stand: dt.date) -> Statistics:
    cutoff = two_years_before(stand)
    dated = [e for e in datasets if e.fields["geaendert"]]
    by_theme: dict[str, list[Event]] = {}
    for event in datasets:
        for theme in event.fields["themen"] or [NO_THEME]:
            by_theme.setdefault(theme, []).append(event)
    themes = [(theme, len(rows), min((r.fields["geaendert"] for r in rows if r.fields["geaendert"]), default=""))
              for theme, rows in by_theme.items()]
    themes.sort(key=lambda t: (-t[1], t[0].casefold()))
    formats = Counter(f for e in datasets for f in e.fields["formate"])
    by_day = sorted(dated, key=lambda e: (e.fields["geaendert"], e.id))
    return Statistics(
        stand=stand, count=len(datasets), themes=themes,
        stale=sum(1 for e in dated if dt.date.fromisoformat(e.fields["geaendert"]) < cutoff),
        undated=len(datasets) - len(dated),
        frequency_only=sum(1 for e in datasets if not e.fields["geaendert"] and e.fields["frequenz"]),
        newest=by_day[-1] if by_day else None, oldest=by_day[0] if by_day else None,
        formats=sorted(formats.items(), key=lambda f: (-f[1], f[0])),
        only_pdf=sum(1 for e in datasets if e.fields["formate"] == [PDF]),
        access_only=sum(1 for e in datasets if e.fields["verteilungen"] and not e.fields["downloads"]),
        no_distribution=sum(1 for e in datasets if not e.fields["verteilungen"]),
    )


def in_theme(datasets: list[Event], theme: str) -> list[Event]:
    return [e for e in datasets if theme in e.fields["themen"] or (theme == NO_THEME and not e.fields["themen"])]


def theme_sentence(catalogue: Catalogue, theme: str | None) -> dict:
    """The figures of `{% opendaten %}`: how many datasets (in a theme), the oldest's day."""
    datasets = catalogue.datasets()
    if theme is not None:
        datasets = in_theme(datasets, theme)
    dated = sorted((e for e in datasets if e.fields["geaendert"]), key=lambda e: (e.fields["geaendert"], e.id))
    return {"count": len(datasets), "oldest": dated[0] if dated else None, "undated": len(datasets) - len(dated)}


# --- feed -------------------------------------------------------------------------------

def _portal_changes(catalogue: Catalogue, datum: dt.date) -> list[Event]:
    """What one import day announced; a portal's first import is its baseline (every dataset
    would be "neu") and announces nothing."""
    first = catalogue.imports[0].datum if catalogue.imports else None
    return [] if datum == first else catalogue.changes(datum)


def _summary(changes: list[Event]) -> str:
    counts = Counter(e.kind for e in changes)
    return ", ".join(f"{counts[k]} {ANNOUNCED[k]}" for k in ANNOUNCED if counts[k])


def _change_item(event: Event) -> Markup:
    title = Markup('<a href="{}">{}</a>').format(event.fields["link"], event.title) \
        if event.fields.get("link") else event.title
    since = f" (zuletzt geändert: {german_date(event.fields['geaendert'])})" \
        if event.kind != REMOVED and event.fields.get("geaendert") else ""
    return Markup("<li>{}: {}{}</li>").format(ANNOUNCED[event.kind], title, since)


def entries(catalogues: dict[str, Catalogue], site_url: str, output_dir: str) -> list[ChangeEntry]:
    """One entry per import day that added, updated or removed a dataset in any portal
    (one moment, one entry), newest first; each portal's changes listed under its name."""
    days = sorted({i.datum for c in catalogues.values() for i in c.imports}, reverse=True)
    out = []
    for day in days:
        parts = [(slug, c, changes) for slug, c in catalogues.items() if (changes := _portal_changes(c, day))]
        if not parts:
            continue
        page = f"{output_dir}/{parts[0][0]}/" if len(parts) == 1 else f"{output_dir}/"
        content = Markup("").join(
            Markup('<h2>{}</h2><p>Abfrage vom {}: {} Datensätze im Katalog; {}.</p><ul>{}</ul>').format(
                c.portal.name, german_date(day), next(i.datasets for i in c.imports if i.datum == day),
                _summary(changes), Markup("").join(_change_item(e) for e in changes))
            for _slug, c, changes in parts)
        out.append(ChangeEntry(
            id=stable_id("offene-daten", day, *(f"{slug}:{e.kind}:{e.id}" for slug, _c, ch in parts for e in ch)),
            title="; ".join(f"{c.portal.name}: {_summary(ch)}" for _slug, c, ch in parts)
            + f" (Stand {german_date(day)})",
            link=f"{site_url}/{page}", date=as_moment(day), content=content))
    return out


FREQUENCIES = {"R/P1D": "täglich", "R/P1W": "wöchentlich", "R/P2W": "alle zwei Wochen", "R/P1M": "monatlich",
               "R/P3M": "vierteljährlich", "R/P6M": "halbjährlich", "R/P1Y": "jährlich", "R/PT1H": "stündlich",
               "R/PT1S": "laufend"}


def frequency_text(value: str) -> str:
    """A declared update frequency in words, e.g. "täglich (R/P1D)"; "" stays ""."""
    return f"{FREQUENCIES[value]} ({value})" if value in FREQUENCIES else value


def themes_over_time(catalogue: Catalogue, days: list) -> list:
    """[(theme, [datasets on each day])] for the given import days: what came and went per theme."""
    counts = [Counter(t for e in state_on(catalogue.events, day).values() for t in e.fields["themen"] or [NO_THEME])
              for day in days]
    themes = sorted({t for c in counts for t in c}, key=lambda t: (-counts[-1][t], t.casefold()))
    return [(theme, [c[theme] for c in counts]) for theme in themes]
