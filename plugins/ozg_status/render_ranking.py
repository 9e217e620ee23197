"""HTML for the ranking of municipalities and their compact pages. Every value from
data goes through escape(); f-strings because the ranking has hundreds of rows."""

from markupsafe import Markup, escape

from wachhund.lib.dates import datum

from .render import KEINE_ANGABE, prozent


def page_url(output_dir: str, ars: str) -> str:
    return f"{output_dir}/gemeinde/{ars}/"


def delta_text(value) -> str:
    """+2, ±0, −1 (a real minus sign); "keine Angabe" before a second import."""
    if value is None:
        return KEINE_ANGABE
    return f"+{value}" if value > 0 else ("±0" if value == 0 else f"−{-value}")


def _delta(value) -> str:
    return f'<td class="num" data-sort="{"" if value is None else value}">{delta_text(value)}</td>'


def _stand(day) -> str:
    return f'<time datetime="{day.isoformat()}">{datum(day, "short")}</time>' if day else KEINE_ANGABE


def _row(mu, rank, total, site_url, output_dir, highlight, extra_attrs="") -> str:
    marked = mu.ars == highlight
    name = escape(mu.name)
    link = f'<a href="{site_url}/{page_url(output_dir, mu.ars)}">{name}</a>'
    if marked:
        extra_attrs += ' class="ozg-hervorgehoben"'
        link = f"<strong>{link}</strong>"
    return (
        f'<tr data-ars="{mu.ars}" data-ozg-online="{mu.count}" data-rang="{rank}"{extra_attrs}>'
        f'<td class="num">{rank}</td><th scope="row">{link}</th>'
        f'<td>{mu.ars}</td><td>{escape(mu.kreis)}</td><td class="num">{mu.count}</td>'
        f'<td class="num">{prozent(mu.count / total) if total else KEINE_ANGABE}</td>'
        f"{_delta(mu.delta)}<td>{_stand(mu.stand)}</td></tr>"
    )


HEAD = (
    '<thead><tr><th scope="col" class="num">Rang</th><th scope="col">Kommune</th><th scope="col">ARS</th>'
    '<th scope="col">Kreis</th><th scope="col" class="num">Online verfügbar</th>'
    '<th scope="col" class="num">Anteil am Katalog</th><th scope="col" class="num">seit vorigem Import</th>'
    '<th scope="col">Stand</th></tr></thead>'
)


def ranking_table(ranking, site_url, output_dir, highlight) -> Markup:
    """The markup contract: table.ozg-table.ozg-rangliste, a row per municipality with
    data-ars, data-ozg-online and data-rang."""
    rows = "".join(
        _row(mu, mu.rank, ranking.catalogue_size, site_url, output_dir, highlight)
        for mu in ranking.municipalities.values()
    )
    caption = (f"Alle {len(ranking.municipalities)} Kommunen des Imports nach der Zahl der online verfügbaren "
               f"OZG-Leistungen (von {ranking.catalogue_size} im Katalog)")
    return Markup(
        f'<div class="table-scroll ozg-wrap" tabindex="0" role="region" aria-label="Rangliste aller Kommunen">'
        f'<table class="ozg-table ozg-rangliste" id="rangliste"><caption>{escape(caption)}</caption>'
        f"{HEAD}<tbody>{rows}</tbody></table></div>"
    )


def group_table(ranking, members, site_url, output_dir, highlight) -> Markup:
    """The peer group, ranked among themselves (data-rang); the rank among all in data-rang-gesamt."""
    rows = "".join(
        _row(mu, rank, ranking.catalogue_size, site_url, output_dir, highlight, f' data-rang-gesamt="{mu.rank}"')
        for rank, mu in members
    )
    return Markup(
        '<div class="table-scroll ozg-wrap" tabindex="0" role="region" aria-label="Vergleichsgruppe">'
        '<table class="ozg-table ozg-vergleichsgruppe" id="vergleichsgruppe">'
        f"<caption>Vergleichsgruppe: {len(members)} kreisfreie Städte, untereinander gereiht</caption>"
        f"{HEAD}<tbody>{rows}</tbody></table></div>"
    )


def themenfeld_table(model, mu) -> Markup:
    rows = []
    for feld in model.themenfelder:
        ids = [i for i, l in model.catalogue.items() if l.themenfeld == feld]
        online = sum(1 for i in ids if i in mu.available)
        rows.append(
            f'<tr><th scope="row">{escape(feld)}</th><td class="num">{online}</td><td class="num">{len(ids)}</td>'
            f'<td class="num">{prozent(online / len(ids)) if ids else KEINE_ANGABE}</td></tr>'
        )
    return Markup(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Nach Themenfeld">'
        f'<table class="ozg-table ozg-themenfelder"><caption>{escape(mu.name)}: online verfügbare '
        "OZG-Leistungen nach Themenfeld</caption><thead><tr>"
        '<th scope="col">Themenfeld</th><th scope="col" class="num">online</th>'
        '<th scope="col" class="num">im Katalog</th><th scope="col" class="num">Anteil</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def available_list(model, mu) -> Markup:
    """What is available, by Themenfeld, each with the online service's link and where it is offered."""
    by_feld = {}
    for ozg_id, (url, where) in mu.available.items():
        name = escape(model.catalogue[ozg_id].name)
        shown = f'<a href="{escape(url)}" rel="nofollow">{name}</a>' if url else str(name)
        by_feld.setdefault(model.catalogue[ozg_id].themenfeld, []).append(
            f'<li data-ozg-id="{ozg_id}">{shown} <span class="meta">({escape(where)})</span></li>')
    parts = [
        f"<h3>{escape(feld)} ({len(by_feld[feld])})</h3><ul class=\"ozg-verfuegbar\">{''.join(by_feld[feld])}</ul>"
        for feld in model.themenfelder if feld in by_feld
    ]
    return Markup("".join(parts) or "<p>Laut Dashboard ist hier keine OZG-Leistung online verfügbar.</p>")


NATIONAL_HEAD = (
    '<thead><tr><th scope="col" class="num">Rang</th><th scope="col">Stadt</th><th scope="col">ARS</th>'
    '<th scope="col" class="num">Online verfügbar</th><th scope="col" class="num">Anteil am Katalog</th>'
    '<th scope="col">Stand</th></tr></thead>'
)


def national_table(ranking, site_url, output_dir, highlight) -> Markup:
    """The national peer group (OZG['VERGLEICHSGRUPPE_BUND']), ranked among itself with shared
    ranks: table.ozg-rangliste-bund, a row per city with data-ars, data-ozg-online, data-rang.
    Cities outside the NRW ranking have no page of their own here, so no link."""
    rows = []
    total = ranking.catalogue_size
    for rank, mu in ranking.national:
        name = escape(mu.name)
        if mu.ars in ranking.municipalities:
            name = Markup(f'<a href="{site_url}/{page_url(output_dir, mu.ars)}">{name}</a>')
        marked = ' class="ozg-hervorgehoben"' if mu.ars == highlight else ""
        shown = f"<strong>{name}</strong>" if marked else name
        rows.append(
            f'<tr data-ars="{mu.ars}" data-ozg-online="{mu.count}" data-rang="{rank}"{marked}>'
            f'<td class="num">{rank}</td><th scope="row">{shown}</th>'
            f'<td>{mu.ars}</td><td class="num">{mu.count}</td>'
            f'<td class="num">{prozent(mu.count / total) if total else KEINE_ANGABE}</td><td>{_stand(mu.stand)}</td></tr>'
        )
    return Markup(
        '<div class="table-scroll ozg-wrap" tabindex="0" role="region" aria-label="Großstädte bundesweit">'
        '<table class="ozg-table ozg-rangliste-bund" id="rangliste-bund">'
        f"<caption>Bundesweiter Vergleich: {len(ranking.national)} Großstädte, untereinander gereiht "
        "nach derselben Zählweise</caption>"
        f"{NATIONAL_HEAD}<tbody>{''.join(rows)}</tbody></table></div>"
    )


def reasons_list(model, mu) -> Markup:
    """Why the dashboard leaves services of this municipality out of its evaluation, as it says."""
    items = []
    for leika, ozg_id, why in mu.reasons:
        name = model.catalogue[ozg_id].name if ozg_id is not None else f"LeiKa {leika}"
        items.append(f'<li data-leika="{escape(leika)}"><strong>{escape(name)}</strong>: {escape(why)}</li>')
    return Markup(f'<ul class="ozg-begruendungen">{"".join(items)}</ul>') if items else Markup("")


def history_chart_path(output_dir: str, ars: str) -> str:
    return f"{page_url(output_dir, ars)}verlauf.svg"


def history_table(mu, points) -> Markup:
    """The numbers of the history chart: import date, count, change."""
    rows, previous = [], None
    for day, count in points:
        change = "" if previous is None else delta_text(count - previous)
        rows.append(f'<tr data-datum="{day.isoformat()}" data-ozg-online="{count}"><th scope="row">{_stand(day)}</th>'
                    f'<td class="num">{count}</td><td class="num">{change}</td></tr>')
        previous = count
    return Markup(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Verlauf">'
        f'<table class="ozg-table ozg-verlauf"><caption>{escape(mu.name)}: online verfügbare OZG-Leistungen '
        'je Import</caption><thead><tr><th scope="col">Import vom</th><th scope="col" class="num">online</th>'
        '<th scope="col" class="num">Änderung</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
