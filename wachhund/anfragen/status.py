"""A question's state as the pages show it: counted to its *Stand*, never to the build's clock.

The *Stand* is the newest date among the question's own dates (gestellt, erinnerungen,
stand, antwort) and its FragDenStaat history (each change and the last check), so two
builds of the same sources give the same bytes, and the figure says how recent it is.
"""

import datetime as dt
from dataclasses import dataclass

from wachhund.lib.dates import datum

from .froide import resolution_label, status_label
from .history import CheckRecord
from .schema import ERGEBNISSE, Question


@dataclass(frozen=True)
class Lage:
    question: Question
    history: tuple  # SyncRecord, oldest first
    checked: dt.date | None  # last FragDenStaat sync
    stand: dt.date
    closed_on: dt.date | None  # the answer (or froide's resolution); None: open
    outcome: str | None  # German: beantwortet, teilweise beantwortet, …, abgeschlossen
    deadline: dt.date | None  # the author's frist, else froide's due_date
    deadline_source: str | None  # "frist" or "fragdenstaat"

    @property
    def open(self) -> bool:
        return self.closed_on is None

    @property
    def froide(self):
        """The latest recorded FragDenStaat state, or None."""
        return self.history[-1].state if self.history else None

    @property
    def froide_status(self) -> str | None:
        state = self.froide
        if state is None:
            return None
        return status_label(state.status) + (f": {resolution_label(state.resolution)}" if state.resolution else "")

    @property
    def days(self) -> int:
        """Days from the question to its answer, or to the Stand while it is open."""
        return ((self.closed_on or self.stand) - self.question.gestellt).days

    @property
    def overdue_days(self) -> int | None:
        """Days past the deadline at the answer, or at the Stand while open; None: not overdue."""
        if self.deadline is None:
            return None
        end = self.closed_on or self.stand
        return (end - self.deadline).days if end > self.deadline else None


def lage(question: Question, history=(), check: CheckRecord | None = None) -> Lage:
    history = tuple(sorted(history, key=lambda r: r.datum))
    last = history[-1].state if history else None
    dates = [*question.own_dates, *(r.datum for r in history)]
    if check is not None:
        dates.append(check.geprueft)
    closed_on, outcome = None, None
    if question.antwort is not None:
        closed_on, outcome = question.antwort, ERGEBNISSE[question.ergebnis or "beantwortet"]
    elif last is not None and (last.status == "resolved" or last.resolution):
        resolved = next((r for r in history if r.state.status == "resolved" or r.state.resolution), history[-1])
        closed_on = last.resolved_on or resolved.datum
        outcome = resolution_label(last.resolution) if last.resolution else "abgeschlossen"
        dates.append(closed_on)
    deadline, source = question.frist, "frist" if question.frist else None
    if deadline is None and last is not None and last.due_date is not None:
        deadline, source = last.due_date, "fragdenstaat"
    return Lage(question, history, check.geprueft if check else None, max(dates), closed_on, outcome,
                deadline, source)


def tage(n: int, dativ: bool = True) -> str:
    """"seit 1 Tag / seit 5 Tagen" (dative), "nach 1 Tag", "5 Tage danach" (dativ=False)."""
    if n == 1:
        return "1 Tag"
    return f"{n} Tagen" if dativ else f"{n} Tage"


def order(lagen) -> list:
    """Open questions first (longest unanswered first), then the answered ones, newest answer first."""
    return sorted(lagen, key=lambda l: (not l.open, -l.days if l.open else -l.closed_on.toordinal(),
                                        l.question.slug))



@dataclass(frozen=True)
class Ereignis:
    """One dated line of a question's history (German text; url: where to read more)."""

    datum: dt.date
    text: str
    url: str | None = None


def verlauf(lage: Lage) -> list[Ereignis]:
    """The question's whole history, oldest first: asked, reminders, each FragDenStaat
    change (what changed), the deadline once passed, the answer."""
    q = lage.question
    found = [Ereignis(q.gestellt, f"Anfrage gestellt an {q.an} ({q.kanal})", q.fragdenstaat)]
    found += [Ereignis(day, "Erinnerung geschickt") for day in q.erinnerungen]
    previous = None
    for record in lage.history:
        state = record.state
        parts = []
        if previous is None or (state.status, state.resolution) != (previous.status, previous.resolution):
            label = status_label(state.status) + (f": {resolution_label(state.resolution)}" if state.resolution else "")
            parts.append(f"Status „{label}“")
        if state.due_date != (previous.due_date if previous else None) and state.due_date:
            parts.append(f"Frist laut FragDenStaat: {datum(state.due_date)}")
        if state.last_message != (previous.last_message if previous else None) and state.last_message:
            parts.append(f"letzte Nachricht vom {datum(state.last_message)}")
        if previous is not None and state.public_body != previous.public_body and state.public_body:
            parts.append(f"Behörde: {state.public_body}")
        if previous is not None and state.title != previous.title:
            parts.append(f"neuer Titel: {state.title}")
        if previous is not None and state.costs != previous.costs and state.costs:
            parts.append(f"Kosten: {state.costs:.2f} €".replace(".", ","))
        found.append(Ereignis(record.datum, "FragDenStaat: " + ("; ".join(parts) or "Angaben geändert"), state.url))
        previous = state
    if lage.overdue_days is not None:
        found.append(Ereignis(lage.deadline, "Frist abgelaufen ohne Antwort"))
    if lage.closed_on is not None:
        found.append(Ereignis(lage.closed_on, f"Erledigt: {lage.outcome}", q.antwort_url))
    return sorted(found, key=lambda e: e.datum)
