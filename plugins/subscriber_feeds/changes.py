"""Change feeds (feedgen) and the /feeds/ overview page."""

import datetime as dt
import hashlib
from pathlib import Path
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from pelican.generators import Generator

from wachhund.lib.dates import datum

from .post_feeds import stylesheet_pi, with_stylesheet
from .xmltext import rss_text, xml_safe

BERLIN = ZoneInfo("Europe/Berlin")
NO_DATA = "keine Angabe"


def stable_id(*parts) -> str:
    """Same content -> same id, on any machine and any rebuild."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"urn:wachhund:{digest}"


def as_moment(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=BERLIN)
    return dt.datetime.combine(value, dt.time(), tzinfo=BERLIN)


def describe(obs) -> str:
    if obs is None:
        return NO_DATA
    parts = []
    if obs.reifegrad is not None:
        parts.append(f"Reifegrad {obs.reifegrad}")
    if obs.nur_terminbuchung:
        parts.append("nur Terminbuchung")
    elif obs.online is True:
        parts.append("online")
    elif obs.online is False:
        parts.append("nicht online")
    return ", ".join(parts) or NO_DATA


def ozg_entries(model, slug, site_url, ozg_url="ozg/"):
    kommune = model.kommunen[slug]
    entries = []
    for obs, before in model.changes(slug):
        name = model.catalogue[obs.ozg_id].name if obs.ozg_id else (obs.leika_name or obs.leika)
        if obs.leika_name and obs.ozg_id and obs.leika_name != name:
            name = f"{name} ({obs.leika_name})"
        title = f"{kommune.name}: {name} – {describe(before)} → {describe(obs)}"
        source = (
            Markup('<a href="{}">{}</a>').format(obs.quelle, obs.quelle) if obs.quelle else escape(obs.quelle_dokument or "")
        )
        body = Markup(
            "<p><strong>{}</strong> in {}: vorher <em>{}</em>, jetzt <em>{}</em>.</p>"
            "<p>Beobachtet am {}. Quelle: {}</p>{}"
            '<p><a href="{}/{}{}/">Alle Leistungen in {}</a></p>'
        ).format(
            name, kommune.name, describe(before), describe(obs), datum(obs.datum), source,
            Markup("<p>{}</p>").format(obs.notiz) if obs.notiz else "",
            site_url, ozg_url, slug, kommune.name,
        )
        entries.append(
            {
                "id": stable_id("ozg", slug, obs.ozg_id, obs.leika, obs.datum, describe(obs)),
                "title": title,
                "link": f"{site_url}/{ozg_url}{slug}/",
                "date": as_moment(obs.datum),
                "content": str(body),
            }
        )
    return entries


def _plural(count, one, many):
    return f"{count} {one if count == 1 else many}"


def dashboard_entries(model, site_url, ozg_url="ozg/"):
    """Changes of the imported dashboard data: {ars: [entry per import date]} and the
    entries for all municipalities (one per import date). An import that changed
    nothing, and a municipality's first import, give no entry."""
    ranking = model.ranking
    by_day = {}
    for change in ranking.changes:
        by_day.setdefault(change.datum, {}).setdefault(change.ars, []).append(change)
    per_ars, overall = {}, []
    for day, towns in sorted(by_day.items()):
        lines = []
        for ars, changes in sorted(towns.items()):
            mu = ranking.municipalities[ars]
            page = f"{site_url}/{ozg_url}gemeinde/{ars}/"
            gained = [c for c in changes if c.online]
            lost = [c for c in changes if not c.online]
            summary = ", ".join(part for part in (
                _plural(len(gained), "OZG-Leistung neu online", "OZG-Leistungen neu online") if gained else "",
                _plural(len(lost), "OZG-Leistung nicht mehr online", "OZG-Leistungen nicht mehr online") if lost else "",
            ) if part)
            items = Markup("").join(
                Markup("<li>{}: {}</li>").format(model.catalogue[c.ozg_id].name, "neu online" if c.online else "nicht mehr online")
                for c in changes
            )
            body = Markup("<p><strong>{}</strong> laut Datenexport des Dashboards Digitale Verwaltung vom {}: {}.</p>"
                          '<ul>{}</ul><p>Jetzt {} von {} OZG-Leistungen online (Rang {}). <a href="{}">Alle Leistungen in {}</a></p>').format(
                mu.name, datum(day), summary, items, mu.count, ranking.catalogue_size, mu.rank, page, mu.name)
            per_ars.setdefault(ars, []).append({
                "id": stable_id("dashboard", ars, day),
                "title": f"{mu.name}: {summary}",
                "link": page,
                "date": as_moment(day),
                "content": str(body),
            })
            lines.append(Markup('<li><a href="{}">{}</a>: {}</li>').format(page, mu.name, summary))
        overall.append({
            "id": stable_id("dashboard", "alle", day),
            "title": f"OZG-Dashboard: Änderungen in {_plural(len(towns), 'Kommune', 'Kommunen')}",
            "link": f"{site_url}/{ozg_url}rangliste/",
            "date": as_moment(day),
            "content": str(Markup("<p>Import vom {}:</p><ul>{}</ul>").format(datum(day), Markup("").join(lines))),
        })
    return per_ars, overall


def link_entries(state, articles_by_source, site_url, report_url="link-gesundheit/"):
    entries = []
    for url, record in sorted(state.items()):
        verdict = record.get("verdict")
        if verdict == "dead":
            when = record.get("dead_since") or record.get("failing_since")
            title = f"Link nicht mehr erreichbar: {url}"
            what = Markup("<p>Die Seite <code>{}</code> antwortet seit {} nicht mehr.</p>").format(
                url, datum(as_moment(_parse(record["failing_since"])))
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
        # Only published posts and data files are named; a link cited nowhere
        # public (say, only in a draft) gets no entry at all.
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
        body = what + (Markup("<p>Zitiert in: {}</p>").format(Markup(", ").join(sorted(set(cited)))) if cited else "")
        moment = as_moment(_parse(when))
        entries.append(
            {
                "id": stable_id("link", url, verdict, when),
                "title": title,
                "link": f"{site_url}/{report_url}",
                "date": moment,
                "content": str(body),
            }
        )
    return entries


def corrections_of(articles):
    """Every correction of the published posts, newest first: (correction, article)."""
    found = [(c, a) for a in articles for c in getattr(a, "corrections", ()) or ()]
    return sorted(found, key=lambda ca: (ca[0].date, ca[1].date, ca[1].relative_source_path, ca[0].line), reverse=True)


def correction_entries(articles, site_url):
    entries = []
    for correction, article in corrections_of(articles):
        anchor = f"#{correction.anchor}" if correction.anchor else "#korrekturen"
        body = Markup('<p><strong>Korrektur vom {}</strong> im Beitrag <a href="{}/{}{}">{}</a>:</p><p>{}</p>').format(
            datum(correction.date), site_url, article.url, anchor, article.title, correction.text)
        entries.append({
            "id": stable_id("korrektur", article.relative_source_path, correction.date, correction.text),
            "title": f"Korrektur: {article.title}",
            "link": f"{site_url}/{article.url}{anchor}",
            "date": as_moment(correction.date),
            "content": str(body),
        })
    return entries


def _parse(value):
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def one_per_moment(entries, page):
    """Changes observed at the same moment become one entry (a day's import is one
    notification, with every change in it): entries are dated by their observation,
    and a feed whose entries share `updated` is ambiguous to feed readers."""
    by_moment = {}
    for entry in entries:
        by_moment.setdefault(entry["date"], []).append(entry)
    merged = []
    for moment, group in by_moment.items():
        if len(group) == 1:
            merged.append(group[0])
            continue
        group.sort(key=lambda e: (e["title"], e["id"]))
        body = Markup("").join(
            Markup("<h2>{}</h2>{}").format(e["title"], Markup(e["content"])) for e in group
        )
        merged.append({
            "id": stable_id("group", *(e["id"] for e in group)),
            "title": f"{len(group)} Änderungen vom {datum(moment)}",
            "link": group[0]["link"] if len({e["link"] for e in group}) == 1 else page,
            "date": moment,
            "content": str(body),
        })
    return merged


def render_feed(meta, entries, max_entries, fallback_date):
    """(atom bytes, rss bytes) for entries, newest first, at most max_entries."""
    from feedgen.feed import FeedGenerator  # lxml is heavy; load it only when writing feeds
    entries = one_per_moment(entries, meta["page"] or "/")
    entries = sorted(entries, key=lambda e: (e["date"], e["id"]), reverse=True)[:max_entries]
    fg = FeedGenerator()
    fg.id(meta["id"])
    fg.title(xml_safe(meta["title"]))
    fg.subtitle(xml_safe(meta["subtitle"]))
    fg.description(xml_safe(meta["subtitle"]))
    fg.link(href=meta["page"] or "/", rel="alternate")
    fg.link(href=meta["self"], rel="self")
    fg.language("de")
    fg.author({"name": meta["author"]})
    fg.generator("Wachhund (feedgen)")
    fg.updated(entries[0]["date"] if entries else as_moment(fallback_date))
    fg.lastBuildDate(entries[0]["date"] if entries else as_moment(fallback_date))
    for entry in entries:
        fe = fg.add_entry(order="append")
        fe.id(entry["id"])
        fe.guid(entry["id"], permalink=False)
        fe.title(xml_safe(entry["title"]))
        fe.link(href=entry["link"])
        fe.published(entry["date"])
        fe.updated(entry["date"])
        fe.description(xml_safe(entry["content"]))  # RSS; must come before content()
        fe.content(xml_safe(entry["content"]), type="html")
    atom = fg.atom_str(pretty=True)
    # Each format names itself as "self" (the validator checks it against its location).
    fg.link([{"href": meta["page"] or "/", "rel": "alternate"}, {"href": meta["self_rss"], "rel": "self"}], replace=True)
    # Atom says type="text" (feedgen's default); RSS cannot, so its text is written so
    # that no reader takes it for markup (xmltext.rss_text).
    fg.title(rss_text(meta["title"]))
    fg.description(rss_text(meta["subtitle"]))
    for fe, entry in zip(fg.entry(), entries, strict=True):
        fe.title(rss_text(entry["title"]))
    return atom, fg.rss_str(pretty=True)


class ChangeFeedsGenerator(Generator):
    def generate_context(self):
        config = self.settings["SUBSCRIBER_FEEDS"]
        out = config.output_dir
        feeds = [{"group": "Beiträge", "title": "Alle Beiträge", "atom": self.settings.get("FEED_ALL_ATOM"),
                  "rss": self.settings.get("FEED_ALL_RSS"), "text": "Jeder neue Beitrag, mit vollem Text."}]
        self.change_feeds = []
        ozg = self.context.get("OZG")
        if ozg:
            self.change_feeds.append(("ozg", None, f"{out}/ozg-aenderungen", "OZG-Statusänderungen (alle)",
                                      "Jede Änderung im belegten Status einer OZG-Leistung, für alle Kommunen."))
            for slug, view in ozg["views"].items():
                name = view["kommune"].name
                self.change_feeds.append(("ozg", slug, f"{out}/ozg-aenderungen/{slug}", f"OZG-Statusänderungen: {name}",
                                          f"Nur Änderungen für {name}: neue Online-Dienste, neue Reifegrade."))
        if ozg and ozg["model"].ranking:
            self.change_feeds.append(("dashboard", None, f"{out}/ozg-dashboard", "OZG-Dashboard: Änderungen (alle Kommunen)",
                                      "Jede Änderung der Zahl online verfügbarer OZG-Leistungen laut Datenexport des "
                                      "Dashboards Digitale Verwaltung, ein Eintrag je Import."))
        self.change_feeds.append(("links", None, f"{out}/link-warnungen", "Link-Warnungen",
                                  "Zitierte Seiten, die nicht mehr erreichbar sind oder dauerhaft umgezogen sind."))
        self.change_feeds.append(("korrekturen", None, f"{out}/korrekturen", "Korrekturen",
                                  "Jede Korrektur eines Beitrags, mit Datum und was korrigiert wurde."))
        self.context["CORRECTIONS_URL"] = config.corrections_url
        self.context["SITEMAP_EXTRA"] = list(self.context.get("SITEMAP_EXTRA", [])) + [config.corrections_url]
        listed = list(self.change_feeds)
        if ozg and ozg["model"].ranking:  # one feed per municipality, linked from its page only
            for ars, mu in ozg["model"].ranking.municipalities.items():
                self.change_feeds.append(("dashboard", ars, f"{out}/ozg-dashboard/{ars}", f"OZG-Dashboard: {mu.name}",
                                          f"Änderungen der online verfügbaren OZG-Leistungen in {mu.name}."))
        for kind, slug, base, title, text in listed:
            feeds.append({"group": "Änderungen", "title": title, "atom": f"{base}.atom.xml", "rss": f"{base}.rss.xml", "text": text})
        self.context["FEED_LIST"] = feeds
        self.context["CHANGE_FEEDS"] = [
            {"title": title, "atom": f"{base}.atom.xml"} for _k, _s, base, title, _t in listed
        ]

    def generate_output(self, writer):
        config = self.settings["SUBSCRIBER_FEEDS"]
        site = (self.settings.get("FEED_DOMAIN") or self.settings.get("SITEURL") or "").rstrip("/")
        pi = stylesheet_pi(self.context)
        ozg = self.context.get("OZG")
        model = ozg["model"] if ozg else None
        fallback = model.catalogue_source["stand"] if model else dt.date(2022, 12, 31)
        articles = {
            str(Path(self.settings["PATH"]).name + "/" + a.relative_source_path): a
            for a in self.context.get("articles", []) + self.context.get("pages", [])
        }
        per_kommune = {}  # each municipality's entries, for its own feed and the one for all
        imported, imported_all = dashboard_entries(model, site, ozg["url"]) if model and model.ranking else ({}, [])
        for kind, slug, base, title, text in self.change_feeds:
            if kind == "ozg":
                slugs = [slug] if slug else list(model.kommunen)
                for s in slugs:
                    if s not in per_kommune:
                        per_kommune[s] = ozg_entries(model, s, site, ozg["url"])
                entries = [e for s in slugs for e in per_kommune[s]]
                if slug:  # a hand-kept municipality's feed also reports its imported changes
                    entries += imported.get(model.kommunen[slug].ars, [])
                page = f"{site}/{ozg['url']}{slug + '/' if slug else ''}"
            elif kind == "dashboard":
                entries = imported.get(slug, []) if slug else imported_all
                page = f"{site}/{ozg['url']}{'gemeinde/' + slug + '/' if slug else 'rangliste/'}"
            elif kind == "korrekturen":
                entries = correction_entries(self.context.get("articles", []), site)
                page = f"{site}/{config.corrections_url}"
            else:
                report = self.settings.get("LINK_REPORT_URL", "link-gesundheit/")
                entries = link_entries(self.settings.get("LINK_STATE") or {}, articles, site, report)
                page = f"{site}/{report}"
            meta = {"id": stable_id("feed", base), "title": f"{self.settings['SITENAME']} – {title}", "subtitle": text,
                    "page": page, "self": f"{site}/{base}.atom.xml",
                    "self_rss": f"{site}/{base}.rss.xml", "author": self.settings.get("AUTHOR", "")}
            atom, rss = render_feed(meta, entries, config.max_entries, fallback)
            for suffix, data in ((".atom.xml", atom), (".rss.xml", rss)):
                path = Path(self.output_path) / f"{base}{suffix}"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(with_stylesheet(data, pi))
        writer.write_file(
            f"{config.output_dir}/index.html", self.get_template("feeds_page"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], page_name="feeds",
        )
        writer.write_file(
            f"{config.corrections_url}index.html", self.get_template("korrekturen"), self.context,
            relative_urls=self.settings["RELATIVE_URLS"], page_name="korrekturen",
            corrections=corrections_of(self.context.get("articles", [])),
            corrections_feed=f"{config.output_dir}/korrekturen.atom.xml",
        )
