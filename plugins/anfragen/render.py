"""A question's state as HTML (every value escaped by Markup.format): the sentence the
list, the question's page and the `{% anfrage %}` box share."""

from markupsafe import Markup

from wachhund.anfragen.status import tage
from wachhund.lib.dates import datum


def _time(day) -> Markup:
    return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), datum(day))


def _join(days) -> Markup:
    parts = [_time(d) for d in days]
    if len(parts) <= 1:
        return Markup("").join(parts)
    return Markup(", ").join(parts[:-1]) + Markup(" und ") + parts[-1]


def summary(lage) -> Markup:
    """"Gestellt am …, unbeantwortet seit N Tagen (Stand: …)." plus reminders and deadline."""
    q = lage.question
    lines = []
    if lage.open:
        waiting = (Markup("unbeantwortet seit <strong>{}</strong>").format(tage(lage.days)) if lage.days
                   else Markup("noch unbeantwortet"))
        lines.append(Markup('<span class="anfrage-offen">Gestellt am {}, {} (Stand: {}).</span>').format(
            _time(q.gestellt), waiting, _time(lage.stand)))
    else:
        lines.append(Markup('<span class="anfrage-erledigt">Gestellt am {}, erledigt am {} nach {}: '
                            "<strong>{}</strong>.</span>").format(
            _time(q.gestellt), _time(lage.closed_on), tage(lage.days), lage.outcome))
    if q.erinnerungen:
        lines.append(Markup("Erinnert am {}.").format(_join(q.erinnerungen)))
    overdue = lage.overdue_days
    if overdue is not None:
        source = "unsere Frist" if lage.deadline_source == "frist" else "Frist laut FragDenStaat"
        if lage.open:
            lines.append(Markup('<span class="anfrage-frist">Frist überschritten seit {} ({}, {} '
                                "bis zum Stand).</span>").format(_time(lage.deadline), source,
                                                                  tage(overdue, dativ=False)))
        else:
            lines.append(Markup('<span class="anfrage-frist">Die Antwort kam {} nach der Frist ({}: {}).</span>').format(
                tage(overdue, dativ=False), source, _time(lage.deadline)))
    elif lage.deadline is not None and lage.open:
        lines.append(Markup("Frist: {}.").format(_time(lage.deadline)))
    if lage.froide is not None:
        checked = Markup(", geprüft am {}").format(_time(lage.checked)) if lage.checked else Markup("")
        lines.append(Markup('Auf <a href="{}">FragDenStaat</a>: {}{}.').format(
            lage.froide.url, lage.froide_status, checked))
    return Markup(" ").join(lines)


def box(lage, page_url: str) -> Markup:
    """The status box a post gets from `{% anfrage id="…" %}`."""
    q = lage.question
    state = "offen" if lage.open else "erledigt"
    return Markup('<div class="anfrage-box anfrage-{}" role="note" aria-label="Anfrage: {}">'
                  '<p class="anfrage-box-titel">Anfrage an {}: <a href="{}">{}</a></p>'
                  "<p>{}</p></div>").format(state, q.titel, q.an, page_url, q.titel, summary(lage))
