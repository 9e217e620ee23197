"""Change-feed entries of link health: a cited page died or moved for good."""

from markupsafe import Markup, escape

from wachhund.lib.dates import datum
from wachhund.lib.feeds import ChangeEntry, as_moment, stable_id

from .rules import parse_iso


def link_entries(state, articles_by_source, site_url, report_url="link-gesundheit/") -> list[ChangeEntry]:
    """articles_by_source: {"content/posts/x.md": published article}; a link cited
    nowhere public (say, only in a draft) gets no entry at all."""
    entries = []
    for url, record in sorted(state.items()):
        verdict = record.get("verdict")
        if verdict == "dead":
            when = record.get("dead_since") or record.get("failing_since")
            title = f"Link nicht mehr erreichbar: {url}"
            what = Markup("<p>Die Seite <code>{}</code> antwortet seit {} nicht mehr.</p>").format(
                url, datum(as_moment(parse_iso(record["failing_since"])))
            )
        elif verdict == "moved" and record.get("final_url"):
            when = record.get("moved_since") or record.get("last_checked")
            title = f"Link umgezogen: {url}"
            what = Markup('<p>Die Seite <code>{}</code> leitet dauerhaft weiter nach <a href="{}">{}</a>.</p>').format(
                url, record["final_url"], record["final_url"]
            )
        else:
            continue
        if not when:
            continue
        cited = []
        for where in record.get("used_in") or []:
            path = where.rsplit(":", 1)[0]
            article = articles_by_source.get(path)
            if article is not None:
                cited.append(Markup('<a href="{}/{}">{}</a>').format(site_url, article.url, article.title))
            elif path.startswith("data/"):
                cited.append(escape(path))
        if not cited:
            continue
        entries.append(ChangeEntry(
            id=stable_id("link", url, verdict, when),
            title=title,
            link=f"{site_url}/{report_url}",
            date=as_moment(parse_iso(when)),
            content=what + Markup("<p>Zitiert in: {}</p>").format(Markup(", ").join(sorted(set(cited)))),
        ))
    return entries
