"""The feed `anfragen` as data: one entry per event of a question, dated by the event.

Events: the question was asked (its `gestellt` day: the day it was recorded is
nowhere in the sources), the answer came, the deadline passed (dated by the deadline
day itself, and only once the question's own dates show it passed unanswered), and
every status change seen on FragDenStaat (dated by the sync that saw it).
"""

from markupsafe import Markup

from wachhund.lib.dates import datum
from wachhund.lib.feeds import ChangeEntry, as_moment, stable_id

from .froide import resolution_label, status_label
from .status import tage


def _entry(lage, link, day, what, title, content):
    return ChangeEntry(id=stable_id("anfrage", lage.question.slug, day.isoformat(), what, title),
                       title=title, link=link, date=as_moment(day), content=content)


def question_entries(lage, link: str) -> list[ChangeEntry]:
    q = lage.question
    entries = [_entry(lage, link, q.gestellt, "gestellt", f"Anfrage gestellt: {q.titel}", Markup(
        "<p>Am {} per {} an {} gestellt:</p><blockquote><p>{}</p></blockquote>").format(
        datum(q.gestellt), q.kanal, q.an, q.frage))]
    previous = None
    for record in lage.history:
        state = record.state
        key = (state.status, state.resolution)
        if key != previous:
            label = status_label(state.status) + (f": {resolution_label(state.resolution)}" if state.resolution else "")
            entries.append(_entry(lage, link, record.datum, f"fragdenstaat {key}", f"FragDenStaat: {label} – {q.titel}",
                                  Markup('<p>Die Anfrage <a href="{}">auf FragDenStaat</a> steht seit dem {} auf '
                                         "„{}“.</p>").format(state.url, datum(record.datum), label)))
            previous = key
    if lage.deadline is not None and lage.overdue_days is not None:
        entries.append(_entry(lage, link, lage.deadline, "frist", f"Frist abgelaufen: {q.titel}", Markup(
            "<p>Die Frist für die Antwort von {} lief am {} ab; bis dahin kam keine Antwort.</p>").format(
            q.an, datum(lage.deadline))))
    if lage.closed_on is not None:
        entries.append(_entry(lage, link, lage.closed_on, "erledigt", f"{lage.outcome.capitalize()}: {q.titel}", Markup(
            "<p>Die Anfrage an {} ist seit dem {} erledigt: {}, {} nach der Anfrage.</p>").format(
            q.an, datum(lage.closed_on), lage.outcome, tage(lage.days, dativ=False))))
    return entries


def entries(anfragen, site_url: str, output_dir: str) -> list[ChangeEntry]:
    """Every question's entries, newest first (the feed writer bounds the number)."""
    found = [entry for slug, lage in anfragen.lagen.items()
             for entry in question_entries(lage, f"{site_url}/{output_dir}/{slug}/")]
    return sorted(found, key=lambda e: (e.date, e.id), reverse=True)
