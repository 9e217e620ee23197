"""`Korrektur:` header lines: dated, visible corrections (Pressekodex, Ziffer 3).

    Korrektur: 2026-11-24: Die Zahl der Dienste war falsch angegeben.
    Korrektur: 2026-11-25 #unsere-quellen: Quelle ergänzt.

The key may appear more than once. Each line needs a real date (not before the
post's own date) and text; an optional ``#anchor`` names the heading of the
changed section, where a note is shown too. The latest correction becomes the
post's ``modified`` date, so feeds give the entry a new ``updated``.
"""

import datetime as dt
import re
from dataclasses import dataclass

from markupsafe import Markup

from wachhund.lib.dates import datum
from wachhund.lib.errors import ContentError
from wachhund.lib.feeds import ChangeEntry, as_moment, stable_id

LINE = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})(?:\s+#(?P<anchor>[A-Za-z0-9_-]+))?\s*:\s*(?P<text>.*)$")
HEADING = r'<h[1-6][^>]*\bid="{}"[^>]*>.*?</h[1-6]>'


@dataclass(frozen=True)
class Correction:
    date: dt.date
    text: str
    anchor: str | None
    line: int


def parse_corrections(entries, post_date: dt.date | None, path) -> tuple[Correction, ...]:
    """entries: [(value, line)] of every `Korrektur:` line, oldest first after sorting."""
    found = []
    for value, line in entries:
        match = LINE.match(value)
        if not match:
            raise ContentError(path, line, f"Korrektur {value[:60]!r}: expected 'Korrektur: 2026-11-24: what was "
                               "corrected' (optionally '2026-11-24 #abschnitt: …')")
        try:
            date = dt.date.fromisoformat(match.group("date"))
        except ValueError:
            raise ContentError(path, line, f"Korrektur date {match.group('date')!r} is not a real date") from None
        text = match.group("text").strip()
        if not text:
            raise ContentError(path, line, "Korrektur needs a text: say what was corrected")
        if post_date is not None and date < post_date:
            raise ContentError(path, line, f"Korrektur date {date.isoformat()} is before the post's date {post_date.isoformat()}")
        found.append(Correction(date, text, match.group("anchor"), line))
    return tuple(sorted(found, key=lambda c: (c.date, c.line)))


def mark_sections(html: str, corrections, path) -> str:
    """A note right after the heading of each corrected section; an unknown anchor is an error."""
    for correction in corrections:
        if not correction.anchor:
            continue
        heading = re.search(HEADING.format(re.escape(correction.anchor)), html, re.S)
        if heading is None:
            raise ContentError(path, correction.line, f"Korrektur names #{correction.anchor}, but the post has no "
                               "heading with that id (see the table of contents for the ids)")
        note = Markup('<p class="korrektur-hinweis" role="note"><strong>Korrigiert am {}:</strong> {}</p>').format(
            datum(correction.date), correction.text)
        html = html[:heading.end()] + str(note) + html[heading.end():]
    return html


def corrections_of(articles):
    """Every correction of the published posts, newest first: (correction, article)."""
    found = [(c, a) for a in articles for c in getattr(a, "corrections", ()) or ()]
    return sorted(found, key=lambda ca: (ca[0].date, ca[1].date, ca[1].relative_source_path, ca[0].line), reverse=True)


def correction_entries(articles, site_url) -> list[ChangeEntry]:
    entries = []
    for correction, article in corrections_of(articles):
        anchor = f"#{correction.anchor}" if correction.anchor else "#korrekturen"
        entries.append(ChangeEntry(
            id=stable_id("korrektur", article.relative_source_path, correction.date, correction.text),
            title=f"Korrektur: {article.title}",
            link=f"{site_url}/{article.url}{anchor}",
            date=as_moment(correction.date),
            content=Markup('<p><strong>Korrektur vom {}</strong> im Beitrag <a href="{}/{}{}">{}</a>:</p><p>{}</p>').format(
                datum(correction.date), site_url, article.url, anchor, article.title, correction.text),
        ))
    return entries
