"""/anfragen/ (open questions first) and /anfragen/<slug>/ (one question, its whole history)."""

from pelican.generators import Generator

from wachhund.anfragen.status import verlauf
from wachhund.site import site_of

from .render import summary


def view(lage, output_dir):
    return {"slug": lage.question.slug, "url": f"{output_dir}/{lage.question.slug}/", "lage": lage,
            "q": lage.question, "summary": summary(lage)}


class AnfragenGenerator(Generator):
    def generate_context(self):
        site = site_of(self.settings)
        own = site.private["anfragen"]
        out = self.anfragen_dir = own["settings"].output_dir
        self.views = [view(lage, out) for lage in own["data"].ordered()]
        self.context["ANFRAGEN"] = {
            "url": f"{out}/",
            # None when no plugin writes feeds: then the pages link none.
            "feed": site.feeds_url and f"{site.feeds_url}anfragen.atom.xml",
            "feed_page": site.feeds_url and f"{site.feeds_url}anfragen/",
            "offen": [v for v in self.views if v["lage"].open],
            "erledigt": [v for v in self.views if not v["lage"].open],
        }
        self.context["SITEMAP_EXTRA"] = list(self.context.get("SITEMAP_EXTRA", [])) + [f"{out}/"] + [
            v["url"] for v in self.views]

    def generate_output(self, writer):
        out = self.anfragen_dir
        relative = self.settings["RELATIVE_URLS"]
        writer.write_file(f"{out}/index.html", self.get_template("anfragen"), self.context,
                          relative_urls=relative, url=f"{out}/", page_name="anfragen")
        for item in self.views:
            writer.write_file(f"{item['url']}index.html", self.get_template("anfrage"), self.context,
                              relative_urls=relative, url=item["url"], page_name="anfragen",
                              anfrage={**item, "verlauf": verlauf(item["lage"])})
