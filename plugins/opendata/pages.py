"""/offene-daten/ and /offene-daten/<portal>/."""

from pelican.generators import Generator

from wachhund.opendata.model import NO_THEME, frequency_text, statistics, themes_over_time, two_years_before
from wachhund.site import site_of

from .chart import count_svg

RECENT_IMPORTS = 10  # imports whose changes the portal page lists
THEME_COLUMNS = 6  # import days in the table of themes over time (the last ones)


def portal_view(slug, catalogue, output_dir):
    view = {"slug": slug, "portal": catalogue.portal, "url": f"{output_dir}/{slug}/", "stand": catalogue.stand,
            "imports": catalogue.imports}
    if catalogue.stand is None:
        return view
    datasets = catalogue.datasets()
    stats = statistics(datasets, catalogue.stand)
    view.update(
        stats=stats,
        cutoff=two_years_before(catalogue.stand),
        no_theme=NO_THEME,
        datasets=[{"event": e, "frequency": frequency_text(e.fields["frequenz"])} for e in datasets],
        theme_days=[i.datum for i in catalogue.imports[-THEME_COLUMNS:]],
        chart=count_svg([(i.datum, i.datasets) for i in catalogue.imports], f"opendaten-chart-{slug}"),
        recent=[{"import": i, "changes": catalogue.changes(i.datum), "baseline": n == 0}
                for n, i in reversed(list(enumerate(catalogue.imports)))][:RECENT_IMPORTS],
    )
    view["theme_history"] = themes_over_time(catalogue, view["theme_days"])
    return view


class OpenDataPagesGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opendata, self.catalogues = site_of(self.settings).private["opendata"]

    def generate_context(self):
        out = self.opendata.output_dir
        self.views = {slug: portal_view(slug, c, out) for slug, c in self.catalogues.items()}
        self.context["SITEMAP_EXTRA"] = list(self.context.get("SITEMAP_EXTRA", [])) + [f"{out}/"] + [
            v["url"] for v in self.views.values()]

    def generate_output(self, writer):
        out = self.opendata.output_dir
        feeds = site_of(self.settings).feeds_url  # None when no plugin writes feeds: then no feed links
        common = {"relative_urls": self.settings["RELATIVE_URLS"], "page_name": "offene-daten",
                  "opendaten_url": f"{out}/", "opendaten_feed": feeds and f"{feeds}offene-daten.atom.xml",
                  "opendaten_feed_page": feeds and f"{feeds}offene-daten/"}
        writer.write_file(f"{out}/index.html", self.get_template("offene_daten"), self.context,
                          portals=list(self.views.values()), url=f"{out}/", **common)
        for view in self.views.values():
            writer.write_file(f"{view['url']}index.html", self.get_template("offene_daten_portal"), self.context,
                              view=view, url=view["url"], **common)
