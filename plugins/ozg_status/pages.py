"""The generated pages /ozg/ and /ozg/<slug>/ with their CSV/JSON exports."""

import itertools

from pelican.generators import Generator

from wachhund.lib.dates import datum
from wachhund.lib.files import write_output
from wachhund.ozg.exports import kennzahlen_csv, kennzahlen_json, ranking_csv, ranking_json, to_csv, to_json
from wachhund.ozg.ranking import history as ranking_history
from wachhund.ozg.settings import get_settings
from wachhund.site import site_of

from . import render, render_kennzahlen, render_ranking
from .chart import progress_svg, series_svg


def deadline_info(settings, stand):
    overdue = None if stand is None else max(0, (stand - settings.deadline).days)
    return {"frist": settings.deadline, "tage_ueberfaellig": overdue, "stand": stand}


def kommune_view(model, settings, slug):
    """What every page may show of a municipality (the sidebar, /ozg/)."""
    kommune = model.kommunen[slug]
    return {
        "kommune": kommune,
        "summary": model.summary(slug),
        "summary_html": render.summary_sentence(model, slug, settings.output_dir),
        "deadline": deadline_info(settings, model.stand(slug)),
        "csv_url": f"{settings.output_dir}/{slug}.csv",
        "json_url": f"{settings.output_dir}/{slug}.json",
        "url": f"{settings.output_dir}/{slug}/",
        "kennzahlen": model.kennzahlen.for_ars(kommune.ars),
    }


def _marked(settings, html):
    """Links in generated tables get their link-health marks, when that plugin runs."""
    mark = site_of(settings).mark_links
    return mark(html) if mark else html


def kennzahlen_view(model, settings):
    """/ozg/kennzahlen/: every series, those with a time axis first, then by size."""
    kennzahlen = model.kennzahlen
    blog_ars = {k.ars for k in model.kommunen.values()}
    order = sorted(kennzahlen.reihen, key=lambda r: (not kennzahlen.chartable(r), -len(kennzahlen.reihen[r])))
    series = [
        {
            "id": reihe,
            "title": kennzahlen.description(reihe),
            "count": len(kennzahlen.reihen[reihe]),
            "html": render_kennzahlen.zeitreihe(
                kennzahlen, reihe, render_kennzahlen.highlighted_areas(kennzahlen, reihe, blog_ars),
                settings.output_dir, f"reihe-{reihe}-tabelle"),
        }
        for reihe in order
    ]
    return {
        "url": f"{settings.output_dir}/kennzahlen/",
        "csv_url": f"{settings.output_dir}/kennzahlen.csv",
        "json_url": f"{settings.output_dir}/kennzahlen.json",
        "count": len(kennzahlen.werte),
        "undated": sum(1 for w in kennzahlen.werte if not w.dated),
        "series": series,
    }


NO_LICENCE = "keine Lizenzangabe der Quelle"


def dashboard_source(ranking, settings) -> dict:
    """Where the imported figures come from, as the pages and exports name it."""
    latest = max(ranking.imports, key=lambda i: (i.datum, i.ars), default=None)
    return {
        "name": "Dashboard Digitale Verwaltung (Bund), Datenexport",
        "url": latest.quelle if latest else "",
        "stand": latest.shown_stand if latest else None,
        "lizenz": settings.dashboard_lizenz or NO_LICENCE,
    }


def kommune_page(model, view, slug):
    """The rest of /ozg/<slug>/: every service's row, by Themenfeld, and the history.
    Built for that page only (hundreds of table rows per municipality need
    not stay in memory for the whole build)."""
    kommune = model.kommunen[slug]
    ordered = sorted(model.statuses(slug), key=lambda s: (s.ozg_id is None, s.themenfeld, s.ozg_id or 0, s.name))
    groups = []
    for number, (feld, rows) in enumerate(itertools.groupby(ordered, key=lambda s: s.themenfeld), start=1):
        rows, anchor = list(rows), f"feld-{number}"
        table = render.status_table(model, slug, rows, f"{feld} – {kommune.name}", f"tabelle-{anchor}")
        groups.append({"themenfeld": feld, "anchor": anchor, "count": len(rows),
                       "known": sum(1 for r in rows if r.known), "table": table})
    history = model.history(slug)
    return {**view, "groups": groups, "history": history, "chart": progress_svg(history, f"chart-{slug}")}


class OzgPagesGenerator(Generator):
    """Adds OZG to every template's context and writes the dashboard pages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = site_of(self.settings).ozg
        self.ozg = get_settings(self.settings)

    def generate_context(self):
        views = {slug: kommune_view(self.model, self.ozg, slug) for slug in self.model.kommunen}
        self.views = views
        sidebar = views.get(self.ozg.sidebar_kommune)
        self.context["OZG"] = {
            "views": views,
            "sidebar": sidebar,
            "comparison": render.comparison_table(self.model, list(self.model.kommunen)),
            "catalogue": self.model.catalogue_source,
            "url": f"{self.ozg.output_dir}/",
            "deadline": self.ozg.deadline,
            "model": self.model,
            "kennzahlen_url": f"{self.ozg.output_dir}/kennzahlen/" if self.model.kennzahlen.werte else None,
            "rangliste_url": f"{self.ozg.output_dir}/rangliste/" if self.model.ranking else None,
            "national": self.national_rank(sidebar),
        }
        self.context["SITEMAP_EXTRA"] = list(self.context.get("SITEMAP_EXTRA", [])) + [
            f"{self.ozg.output_dir}/"
        ] + [v["url"] for v in views.values()] + (
            [f"{self.ozg.output_dir}/kennzahlen/"] if self.model.kennzahlen.werte else [])
        if self.model.ranking:
            self.context["SITEMAP_EXTRA"] += [f"{self.ozg.output_dir}/rangliste/"] + [
                render_ranking.page_url(self.ozg.output_dir, ars) for ars in self.model.ranking.municipalities]

    def write_page(self, writer, path, template, **values):
        writer.write_file(path, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], page_name="ozg", **values)

    def generate_output(self, writer):
        out = self.ozg.output_dir
        if self.model.kennzahlen.werte:
            self.write_kennzahlen(writer)
        if self.model.ranking:
            self.write_ranking(writer)
        self.write_page(writer, f"{out}/index.html", "ozg_index", url=f"{out}/")
        for slug, view in self.views.items():
            self.write_page(writer, f"{out}/{slug}/index.html", "ozg_kommune", view=self.marked_page(view, slug),
                            url=view["url"])
            for name, text in ((f"{slug}.csv", to_csv(self.model, slug)), (f"{slug}.json", to_json(self.model, slug))):
                write_output(self.output_path, f"{out}/{name}", text)

    def marked_page(self, view, slug):
        page = kommune_page(self.model, view, slug)
        page["groups"] = [{**group, "table": _marked(self.settings, group["table"])} for group in page["groups"]]
        return page

    def national_rank(self, view):
        """{"rank", "size"} of a municipality in the national peer group, or None."""
        found = self.model.ranking.national_rank(view["kommune"].ars) if view and self.model.ranking else None
        return {"rank": found[0], "size": found[1]} if found else None

    def write_ranking(self, writer):
        out, ranking = self.ozg.output_dir, self.model.ranking
        site = self.settings.get("SITEURL", "")
        kommune = self.model.kommunen.get(self.ozg.sidebar_kommune)
        highlight = kommune.ars if kommune else ""
        members = ranking.group(self.ozg.vergleichsgruppe)
        source = dashboard_source(ranking, self.ozg)
        view = {
            "url": f"{out}/rangliste/",
            "csv_url": f"{out}/rangliste.csv",
            "json_url": f"{out}/rangliste.json",
            "count": len(ranking.municipalities),
            "catalogue_size": ranking.catalogue_size,
            "stand": ranking.stand,
            "source": source,
            "highlight": ranking.municipalities.get(highlight),
            "table": render_ranking.ranking_table(ranking, site, out, highlight),
            "group_table": render_ranking.group_table(ranking, members, site, out, highlight) if members else None,
            "group_rank": next((rank for rank, mu in members if mu.ars == highlight), None),
            "group_size": len(members),
            "national_table": render_ranking.national_table(ranking, site, out, highlight) if ranking.national else None,
            "national_rank": ranking.national_rank(highlight),
        }
        self.write_page(writer, f"{out}/rangliste/index.html", "ozg_rangliste", rangliste=view, url=view["url"])
        feeds_url = site_of(self.settings).feeds_url
        for ars, mu in ranking.municipalities.items():
            page = {
                "url": render_ranking.page_url(out, ars),
                "municipality": mu,
                "delta": render_ranking.delta_text(mu.delta),
                "catalogue_size": ranking.catalogue_size,
                "count": len(ranking.municipalities),
                "source": source,
                "themenfelder": render_ranking.themenfeld_table(self.model, mu),
                # Not link-marked: these are the online services themselves, not cited sources.
                "available": render_ranking.available_list(self.model, mu),
                "feed": f"{feeds_url}ozg-dashboard/{ars}.atom.xml" if feeds_url else None,
                "feed_page": f"{feeds_url}ozg-dashboard/{ars}/" if feeds_url else None,
                "rangliste_url": view["url"],
                "national_rank": ranking.national_rank(ars),
                "reasons": render_ranking.reasons_list(self.model, mu),
                **self.write_history(mu),
            }
            self.write_page(writer, f"{page['url']}index.html", "ozg_gemeinde", gemeinde=page, url=page["url"])
        for name, text in ((view["csv_url"], ranking_csv(ranking, source)), (view["json_url"], ranking_json(ranking, source, view["url"]))):
            write_output(self.output_path, name, text)

    def write_history(self, mu) -> dict:
        """The count over import dates (chart and table), once two imports exist."""
        points = ranking_history(self.model.ranking, mu)
        if len(points) < 2:
            return {"verlauf": None}
        chart = render_ranking.history_chart_path(self.ozg.output_dir, mu.ars)
        lines = {mu.name: [(day, count, f"{count} ({datum(day, 'short')})") for day, count in points]}
        write_output(self.output_path, chart, series_svg(lines, "OZG-Leistungen", {mu.name}))
        return {"verlauf": render_ranking.history_table(mu, points), "verlauf_svg": chart}

    def write_kennzahlen(self, writer):
        out, kennzahlen = self.ozg.output_dir, self.model.kennzahlen
        blog_ars = {k.ars for k in self.model.kommunen.values()}
        view = kennzahlen_view(self.model, self.ozg)
        view["series"] = [{**series, "html": _marked(self.settings, series["html"])} for series in view["series"]]
        self.write_page(writer, f"{out}/kennzahlen/index.html", "ozg_kennzahlen", kennzahlen=view, url=view["url"])
        files = {f"{out}/kennzahlen.csv": kennzahlen_csv(kennzahlen), f"{out}/kennzahlen.json": kennzahlen_json(kennzahlen)}
        for reihe in kennzahlen.reihen:
            if kennzahlen.chartable(reihe):
                highlighted = render_kennzahlen.highlighted_areas(kennzahlen, reihe, blog_ars)
                files[render_kennzahlen.chart_path(out, reihe)] = series_svg(
                    render_kennzahlen.chart_lines(kennzahlen, reihe), kennzahlen.chart_unit(reihe), highlighted)
        for name, text in files.items():
            write_output(self.output_path, name, text)
