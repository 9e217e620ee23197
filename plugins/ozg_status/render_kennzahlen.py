"""HTML for indicators: one value as a sentence, a series as chart and table.

Every value is shown with its Stand and its linked source; values without a
Stand stay in the table and never reach the chart. Every value from data
goes through escape()/Markup.format().
"""

from markupsafe import Markup

from wachhund.ozg.kennzahlen import axis_date


def chart_path(output_dir: str, reihe: str) -> str:
    """Where the series' SVG is written, relative to the output root."""
    return f"{output_dir}/kennzahlen/{reihe}.svg"


def highlighted_areas(kennzahlen, reihe, blog_ars) -> set[str]:
    """The blog's own areas (its municipalities' regional keys) in this series."""
    return {w.gebiet for w in kennzahlen.reihen[reihe] if w.ars and w.ars in blog_ars}


def chart_lines(kennzahlen, reihe) -> dict:
    """{area: [(date on the axis, value, label)]} for the dated values in the series' chart unit."""
    unit = kennzahlen.chart_unit(reihe)
    lines = {}
    for wert in kennzahlen.reihen[reihe]:
        if wert.dated and wert.einheit == unit:
            lines.setdefault(wert.gebiet, []).append(
                (axis_date(wert.stand), wert.wert, f"{wert.value_text} ({wert.stand_text})"))
    return lines


def source_link(wert) -> Markup:
    return Markup('<a class="quelle" href="{}">{}</a>').format(wert.quelle_url, wert.quelle_name)


def kennzahl_sentence(kennzahlen, reihe, gebiet) -> Markup:
    """`{% ozg kennzahl %}`: the latest value of one series for one area."""
    wert = kennzahlen.latest(reihe, gebiet)
    return Markup(
        '<p class="ozg-kennzahl" data-reihe="{}"><strong>{}: {}</strong> – {} (Stand: {}). Quelle: {}.</p>'
    ).format(reihe, wert.gebiet, wert.value_text, wert.kennzahl, wert.stand_text, source_link(wert))


def series_table(kennzahlen, reihe, caption, table_id) -> Markup:
    werte = sorted(kennzahlen.reihen[reihe], key=lambda w: (w.gebiet, w.sort_key))
    rows = Markup("").join(
        Markup(
            '<tr data-reihe="{}"><th scope="row">{}</th><td class="num">{}</td><td>{}</td>'
            "<td>{}<br><q>{}</q>{}</td></tr>"
        ).format(
            reihe, w.gebiet, w.value_text, w.stand_text, source_link(w), w.beleg,
            Markup('<br><span class="source">{}</span>').format(w.hinweis) if w.hinweis else "",
        )
        for w in werte
    )
    return Markup(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="{}">'
        '<table class="kennzahlen-table" id="{}"><caption>{}</caption>'
        '<thead><tr><th scope="col">Gebiet</th><th scope="col" class="num">Wert</th>'
        '<th scope="col">Stand</th><th scope="col">Quelle und Beleg</th></tr></thead>'
        "<tbody>{}</tbody></table></div>"
    ).format(caption, table_id, caption, rows)


def chart_figure(kennzahlen, reihe, highlighted, output_dir, caption) -> Markup:
    """The series' chart as an image (a file written by the OZG pages generator)."""
    if not kennzahlen.chartable(reihe):
        return Markup("")
    latest = [kennzahlen.latest(reihe, area) for area in sorted(highlighted)]
    shown = "; ".join(f"{w.gebiet} zuletzt {w.value_text} ({w.stand_text})" for w in latest)
    alt = f"Liniendiagramm: {caption}." + (f" Hervorgehoben: {shown}." if shown else "") + \
        " Alle Werte stehen in der Tabelle."
    return Markup(
        '<figure class="ozg-zeitreihe"><img src="/{}" alt="{}" width="720" height="360" loading="lazy">'
        "<figcaption>{} {}Werte ohne Stand fehlen im Diagramm; sie stehen in der Tabelle.</figcaption></figure>"
    ).format(
        chart_path(output_dir, reihe), alt, caption,
        Markup("Farbig: {}. ").format(", ".join(sorted(highlighted))) if highlighted else "",
    )


def zeitreihe(kennzahlen, reihe, highlighted, output_dir, table_id, titel=None) -> Markup:
    """`{% ozg zeitreihe %}` and the indicator pages: chart (when it has a time axis) and table."""
    caption = titel or kennzahlen.description(reihe)
    return Markup('<div class="ozg-reihe">{}{}</div>').format(
        chart_figure(kennzahlen, reihe, highlighted, output_dir, caption),
        series_table(kennzahlen, reihe, caption, table_id))
