"""HTML for status tables and summaries. Every value from data goes through escape()."""

from markupsafe import Markup, escape

from wachhund.lib.dates import datum

from wachhund.ozg.model import OZG_COMPLIANT_FROM, REIFEGRADE

KEINE_ANGABE = "keine Angabe"


def prozent(share: float) -> str:
    return f"{share * 100:.1f}".replace(".", ",") + " %"


_GRADE_LABELS = {
    grad: Markup('<span class="{}" data-sort="{}">{} – {}</span>').format(
        "ozg-ok" if grad >= OZG_COMPLIANT_FROM else "ozg-low", grad, grad, name
    )
    for grad, name in REIFEGRADE.items()
}
_NO_DATA = Markup('<span class="ozg-na">keine Angabe</span>')


def reifegrad_label(grad) -> Markup:
    return _NO_DATA if grad is None else _GRADE_LABELS[grad]


def online_label(status) -> Markup:
    if status.nur_terminbuchung:
        return Markup('<span class="ozg-termin">nur Terminbuchung</span>')
    if status.online is True:
        if status.url:
            return Markup('<a class="ozg-ok" href="{}" rel="nofollow">ja</a>').format(status.url)
        return Markup('<span class="ozg-ok">ja</span>')
    if status.online is False:
        return Markup('<span class="ozg-low">nein</span>')
    return _NO_DATA


def source_links(status) -> Markup:
    first = {}  # each source once, where it is first named
    for obs in status.current:
        first.setdefault(obs.quelle or obs.quelle_dokument, obs)
    parts = [Markup('<a class="quelle" href="{}">Quelle</a>').format(obs.quelle) if obs.quelle
             else escape(obs.quelle_dokument) for key, obs in first.items() if key]
    return Markup(", ").join(parts) if parts else Markup("–")


def note_text(status) -> Markup:
    notes = [obs.notiz for obs in status.current if obs.notiz]
    if status.leika and status.current and status.current[0].onlinedienst:
        notes.insert(0, "Online-Dienst: " + status.current[0].onlinedienst)
    return escape(" ".join(notes[:2]))


def _row_html(row) -> str:
    """One table row. Plain f-strings with escape(): Markup.format is ~3x slower,
    and the dashboard pages render thousands of rows."""
    ident = "" if row.ozg_id is None else str(row.ozg_id)
    leika = f' data-leika="{escape(row.leika)}"' if row.leika else ""
    grad = "" if row.reifegrad is None else row.reifegrad
    if row.datum:
        stand = f'<time datetime="{row.datum.isoformat()}">{datum(row.datum, "short")}</time>'
    else:
        stand = KEINE_ANGABE
    return (
        f'<tr data-ozg-id="{ident}"{leika} data-reifegrad="{grad}">'
        f'<td class="num">{ident or "–"}</td><th scope="row">{escape(row.name)}</th><td>{escape(row.themenfeld)}</td>'
        f"<td>{reifegrad_label(row.reifegrad)}</td><td>{online_label(row)}</td><td>{stand}</td>"
        f"<td>{source_links(row)}</td><td>{note_text(row)}</td></tr>"
    )


def status_table(model, slug, rows, caption, table_id) -> Markup:
    """The markup contract: table.ozg-table, <caption>, data-ozg-id per row, th with scope."""
    kommune = model.kommunen[slug]
    stand = max((r.datum for r in rows if r.datum), default=None)
    head = Markup(
        "<thead><tr>"
        '<th scope="col" class="num">OZG-ID</th>'
        '<th scope="col">Leistung</th>'
        '<th scope="col">Themenfeld</th>'
        '<th scope="col">Reifegrad</th>'
        '<th scope="col">Online nutzbar</th>'
        '<th scope="col">Stand</th>'
        '<th scope="col">Quelle</th>'
        '<th scope="col">Anmerkung</th>'
        "</tr></thead>"
    )
    body = [_row_html(row) for row in rows]
    if not body:
        body.append('<tr data-ozg-id=""><td colspan="8">Keine Leistungen für diese Auswahl.</td></tr>')
    source = model.catalogue_source
    caption_html = Markup(
        '<caption>{} <span class="source">({} Leistungen · Stand der Beobachtungen: {} · '
        'Katalog: {}, Stand {})</span></caption>'
    ).format(
        caption, len(rows), datum(stand) if stand else KEINE_ANGABE,
        source["name"], datum(source["stand"]) if source["stand"] else KEINE_ANGABE,
    )
    return Markup(
        '<div class="table-scroll ozg-wrap" tabindex="0" role="region" aria-label="{}">'
        '<table class="ozg-table" id="{}" data-kommune="{}">'
        "{}{}<tbody>{}</tbody></table></div>"
    ).format(caption, table_id, kommune.slug, caption_html, head, Markup("".join(body)))


def summary_sentence(model, slug, output_dir="ozg") -> Markup:
    s = model.summary(slug)
    kommune = model.kommunen[slug]
    stand = datum(s["stand"]) if s["stand"] else KEINE_ANGABE
    return Markup(
        '<p class="ozg-summary" data-kommune="{}">'
        "<strong>{}:</strong> {} von {} Leistungen mindestens Reifegrad 3 (Stand: {}). "
        "Belegt online nutzbar: {}; nur Terminbuchung: {}; keine Angabe: {}."
        '{} <a href="/{}/{}/">Alle Leistungen</a></p>'
    ).format(
        kommune.slug, kommune.name, s["reifegrad_3_plus"], s["gesamt"], stand,
        s["online"], s["nur_terminbuchung"], s["keine_angabe"],
        Markup(" Dazu {} Online-Dienste ohne OZG-Zuordnung im Katalog von 2019.").format(s["ohne_ozg_zuordnung"])
        if s["ohne_ozg_zuordnung"] else Markup(""),
        output_dir, kommune.slug,
    )


def comparison_table(model, slugs, table_id="ozg-vergleich") -> Markup:
    summaries = [(model.kommunen[s], model.summary(s)) for s in slugs]
    head = Markup('<th scope="col">Kennzahl</th>') + Markup("").join(
        Markup('<th scope="col" class="num">{}</th>').format(k.name) for k, _ in summaries
    )
    lines = [
        ("Leistungen im Katalog", lambda s: str(s["gesamt"])),
        ("mit belegter Beobachtung", lambda s: str(s["mit_angabe"])),
        ("keine Angabe", lambda s: str(s["keine_angabe"])),
        ("belegt online nutzbar", lambda s: str(s["online"])),
        ("mindestens Reifegrad 3 (OZG-konform)", lambda s: str(s["reifegrad_3_plus"])),
        ("Anteil OZG-konform", lambda s: prozent(s["anteil_ozg_konform"])),
        ("nur Terminbuchung", lambda s: str(s["nur_terminbuchung"])),
        ("Online-Dienste ohne OZG-Zuordnung", lambda s: str(s["ohne_ozg_zuordnung"])),
        ("Stand", lambda s: datum(s["stand"]) if s["stand"] else KEINE_ANGABE),
    ]
    rows = Markup("").join(
        Markup('<tr data-ozg-id=""><th scope="row">{}</th>{}</tr>').format(
            label,
            Markup("").join(Markup('<td class="num">{}</td>').format(fn(s)) for _, s in summaries),
        )
        for label, fn in lines
    )
    return Markup(
        '<div class="table-scroll" tabindex="0" role="region" aria-label="Vergleich">'
        '<table class="ozg-table ozg-compare" id="{}">'
        "<caption>OZG-Umsetzung im Vergleich: {}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>"
    ).format(table_id, ", ".join(k.name for k, _ in summaries), head, rows)
