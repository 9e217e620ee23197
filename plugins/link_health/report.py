"""The report page /link-gesundheit/ and its data."""

from urllib.parse import urlsplit

from pathlib import Path

from pelican.generators import Generator

from wachhund.lib.feeds import ChangeFeed
from wachhund.links.feed_entries import link_entries
from wachhund.site import site_of

from .annotate import wayback_url
from wachhund.links.rules import parse_iso

LABELS = {
    "ok": "erreichbar",
    "moved": "umgezogen",
    "dead": "nicht erreichbar",
    "unchecked": "noch nicht geprüft",
}


def citations(documents):
    """{url: [(title, page URL), …]}, gathered when the report is written:
    nothing per link is held while posts are read, and every URL is final
    (frozen_urls settles them after reading)."""
    usage = {}
    for doc in documents:
        if doc.status != "published":  # a draft's sources are as private as the draft
            continue
        for url in doc.metadata.get("cited_links") or ():
            usage.setdefault(url, []).append((doc.title, doc.url))
    return usage


def build_report(state, usage, settings):
    """usage: {url: [(title, page_url), …]} from this build's documents."""
    # Posts count as this build sees them; the state's `used_in` may name drafts.
    urls = set(usage) | {u for u, r in state.items() if any(w.startswith("data/") for w in r.get("used_in") or ())}
    counts = {key: 0 for key in LABELS}
    dead, moved, domains = [], [], {}
    for url in sorted(urls):
        record = state.get(url) or {}
        verdict = record.get("verdict", "unchecked")
        # Readers never see "suspect": until the rule says dead, it counts as reachable.
        shown = "ok" if verdict == "suspect" else verdict
        counts[shown] += 1
        entry = {
            "url": url,
            "record": record,
            "cited_in": sorted(set(usage.get(url, []))),
            "data_files": sorted({w.split(":")[0] for w in record.get("used_in") or [] if w.startswith("data/")}),
        }
        host = urlsplit(url).hostname or ""
        bucket = domains.setdefault(host, {"host": host, "total": 0, "dead": 0, "moved": 0})
        bucket["total"] += 1
        if shown == "dead":
            entry["since"] = parse_iso(record["failing_since"])
            entry["archive"] = wayback_url(settings, url, record)
            dead.append(entry)
            bucket["dead"] += 1
        elif shown == "moved":
            moved.append(entry)
            bucket["moved"] += 1
    dead.sort(key=lambda e: (e["since"], e["url"]))
    checked = [parse_iso(r["last_checked"]) for r in state.values() if r.get("last_checked")]
    return {
        "counts": [(LABELS[k], k, v) for k, v in counts.items()],
        "total": len(urls),
        "dead": dead,
        "moved": moved,
        "domains": sorted(domains.values(), key=lambda d: (-d["dead"], -d["moved"], d["host"])),
        "last_checked": max(checked) if checked else None,
        "url": settings.report_url,
    }


STATE = "link_health"  # this plugin's key in Site.private: (its settings, the recorded state)


class LinkReportGenerator(Generator):
    def generate_context(self):
        site = site_of(self.settings)
        settings, links = site.private[STATE]
        root = Path(self.settings["PATH"]).name

        def alerts():
            # Only published posts and data files are named (a link only a draft cites gets no entry).
            published = {f"{root}/{a.relative_source_path}": a
                         for a in self.context.get("articles", []) + self.context.get("pages", [])}
            return link_entries(links, published, site.site_url, settings.report_url)

        site.feeds.add(ChangeFeed(
            name="link-warnungen", title="Link-Warnungen", page=settings.report_url, entries=alerts,
            text="Zitierte Seiten, die nicht mehr erreichbar sind oder dauerhaft umgezogen sind.",
        ))

    def generate_output(self, writer):
        settings, links = site_of(self.settings).private[STATE]
        documents = list(self.context.get("articles", [])) + list(self.context.get("pages", []))
        report = build_report(links, citations(documents), settings)
        writer.write_file(
            f"{settings.report_url}index.html", self.get_template("link_report"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], report=report, page_name="link-report",
        )
