"""Scheduled posts: a post dated after the build's cut-off day is not published yet.

`make publish` treats it exactly like a draft; `make html`/`make serve` render it at its
final address marked "Geplant für …", as hidden posts are. Its status becomes
"scheduled", which every "published only" check already reads as not published. The
cut-off day is an input (`HEUTE=YYYY-MM-DD`, default today in Berlin) printed by every
build, so the same sources and cut-off give the same site.
"""

import datetime as dt

from wachhund.lib.feeds import BERLIN
from wachhund.site import site_of

from .settings import cutoff

SCHEDULED = "scheduled"
CUTOFF = "drafts_cutoff"  # key in Site.private: the parsed day, once per build (a build running past midnight keeps it)


def announce_cutoff(pelican):
    day = cutoff(pelican.settings)
    site_of(pelican.settings).private[CUTOFF] = day
    print(f"Stichtag für geplante Beiträge: {day.isoformat()}", flush=True)


def build_cutoff(settings) -> dt.date:
    return site_of(settings).private.get(CUTOFF) or cutoff(settings)


def is_scheduled(article, day: dt.date) -> bool:
    """Dated after the cut-off day, counted in Berlin (a `Date:` with another offset
    is moved to Berlin first; dates without one already are Berlin's)."""
    date = getattr(article, "date", None)
    if not isinstance(date, dt.datetime):
        return False
    if date.tzinfo is not None:
        date = date.astimezone(BERLIN)
    return date.date() > day


def hold_back_scheduled(generator):
    """Before Pelican builds tags, categories, authors and archives: scheduled posts
    leave the published lists for the hidden ones (rendered only in the preview)."""
    day = build_cutoff(generator.settings)
    for published, hidden in (("articles", "hidden_articles"), ("translations", "hidden_translations")):
        kept, held = [], []
        for article in getattr(generator, published):
            (held if is_scheduled(article, day) else kept).append(article)
        if held:
            for article in held:
                article.status = SCHEDULED
            getattr(generator, published)[:] = kept
            getattr(generator, hidden).extend(held)
