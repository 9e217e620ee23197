"""Change-feed entries of the OZG data: hand-kept observations and dashboard imports."""

from markupsafe import Markup, escape

from wachhund.lib.dates import datum
from wachhund.lib.feeds import ChangeEntry, as_moment, stable_id

NO_DATA = "keine Angabe"


def describe(obs) -> str:
    if obs is None:
        return NO_DATA
    parts = []
    if obs.reifegrad is not None:
        parts.append(f"Reifegrad {obs.reifegrad}")
    if obs.nur_terminbuchung:
        parts.append("nur Terminbuchung")
    elif obs.online is True:
        parts.append("online")
    elif obs.online is False:
        parts.append("nicht online")
    return ", ".join(parts) or NO_DATA


def observation_entries(model, slug, site_url, ozg_url="ozg/") -> list[ChangeEntry]:
    """One entry per change in a hand-kept municipality's observations."""
    kommune = model.kommunen[slug]
    where = escape(kommune.name)
    entries = []
    for obs, before in model.changes(slug):
        name = model.catalogue[obs.ozg_id].name if obs.ozg_id else (obs.leika_name or obs.leika)
        if obs.leika_name and obs.ozg_id and obs.leika_name != name:
            name = f"{name} ({obs.leika_name})"
        was, now = describe(before), describe(obs)
        # f-strings with escape(), as Markup.format would give (a few thousand entries, ~3x faster).
        source = f'<a href="{escape(obs.quelle)}">{escape(obs.quelle)}</a>' if obs.quelle \
            else escape(obs.quelle_dokument or "")
        note = f"<p>{escape(obs.notiz)}</p>" if obs.notiz else ""
        body = Markup(
            f"<p><strong>{escape(name)}</strong> in {where}: vorher <em>{escape(was)}</em>, jetzt <em>{escape(now)}</em>.</p>"
            f"<p>Beobachtet am {escape(datum(obs.datum))}. Quelle: {source}</p>{note}"
            f'<p><a href="{escape(site_url)}/{escape(ozg_url)}{escape(slug)}/">Alle Leistungen in {where}</a></p>'
        )
        entries.append(ChangeEntry(
            id=stable_id("ozg", slug, obs.ozg_id, obs.leika, obs.datum, now),
            title=f"{kommune.name}: {name} – {was} → {now}",
            link=f"{site_url}/{ozg_url}{slug}/",
            date=as_moment(obs.datum),
            content=body,
        ))
    return entries


def _plural(count, one, many):
    return f"{count} {one if count == 1 else many}"


def dashboard_entries(model, site_url, ozg_url="ozg/"):
    """Changes of the imported dashboard data: ({ars: [entry per import date]}, the
    entries for all municipalities, one per import date). An import that changed
    nothing, and a municipality's first import, give no entry."""
    ranking = model.ranking
    by_day = {}
    for change in ranking.changes:
        by_day.setdefault(change.datum, {}).setdefault(change.ars, []).append(change)
    per_ars, overall = {}, []
    for day, towns in sorted(by_day.items()):
        lines = []
        for ars, changes in sorted(towns.items()):
            mu = ranking.municipalities[ars]
            page = f"{site_url}/{ozg_url}gemeinde/{ars}/"
            gained = [c for c in changes if c.online]
            lost = [c for c in changes if not c.online]
            summary = ", ".join(part for part in (
                _plural(len(gained), "OZG-Leistung neu online", "OZG-Leistungen neu online") if gained else "",
                _plural(len(lost), "OZG-Leistung nicht mehr online", "OZG-Leistungen nicht mehr online") if lost else "",
            ) if part)
            items = Markup("").join(
                Markup("<li>{}: {}</li>").format(model.catalogue[c.ozg_id].name, "neu online" if c.online else "nicht mehr online")
                for c in changes
            )
            body = Markup("<p><strong>{}</strong> laut Datenexport des Dashboards Digitale Verwaltung vom {}: {}.</p>"
                          '<ul>{}</ul><p>Jetzt {} von {} OZG-Leistungen online (Rang {}). <a href="{}">Alle Leistungen in {}</a></p>').format(
                mu.name, datum(day), summary, items, mu.count, ranking.catalogue_size, mu.rank, page, mu.name)
            per_ars.setdefault(ars, []).append(ChangeEntry(
                id=stable_id("dashboard", ars, day),
                title=f"{mu.name}: {summary}",
                link=page,
                date=as_moment(day),
                content=body,
            ))
            lines.append(Markup('<li><a href="{}">{}</a>: {}</li>').format(page, mu.name, summary))
        overall.append(ChangeEntry(
            id=stable_id("dashboard", "alle", day),
            title=f"OZG-Dashboard: Änderungen in {_plural(len(towns), 'Kommune', 'Kommunen')}",
            link=f"{site_url}/{ozg_url}rangliste/",
            date=as_moment(day),
            content=Markup("<p>Import vom {}:</p><ul>{}</ul>").format(datum(day), Markup("").join(lines)),
        ))
    return per_ars, overall
