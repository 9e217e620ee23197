"""`{% opendaten portal="duisburg" thema="Wirtschaft" %}`: the sentence an author would
write by hand about a portal's catalogue, from the store, with Stand and source.

A Markdown preprocessor before the metadata extension (line numbers are the file's);
errors carry `.lineno` and the strict reader names the post.
"""

from markdown.extensions import Extension
from markupsafe import Markup

from wachhund.lib.dates import datum
from wachhund.lib.directives import LineDirective, parse_options
from wachhund.lib.errors import LineError
from wachhund.opendata.model import theme_sentence

OPTIONS = ("portal", "thema")


def parse(body: str, lineno: int) -> dict:
    options = parse_options(body.strip(), lineno, "opendaten", OPTIONS)
    if "portal" not in options:
        raise LineError(lineno, "'opendaten' needs portal=\"…\"")
    return options


def _datasets(count: int) -> str:
    return "Kein Datensatz" if count == 0 else "1 Datensatz" if count == 1 else f"{count} Datensätze"


def sentence(catalogues, options: dict, lineno: int, output_dir: str) -> Markup:
    slug = options["portal"]
    if slug not in catalogues:
        raise LineError(lineno, f"unknown portal {slug!r}; known: {', '.join(catalogues)}")
    catalogue = catalogues[slug]
    page = f"/{output_dir}/{slug}/"
    if catalogue.stand is None:  # no theme can be checked before the first import
        return Markup('<p class="opendaten-satz">Zum Portal {} liegt noch keine Abfrage vor '
                      '(<a href="{}">Offene Daten</a>).</p>').format(catalogue.portal.name, page)
    theme = options.get("thema")
    if theme is not None and theme not in catalogue.themes():
        raise LineError(lineno, f"portal {slug!r} has no thema {theme!r}; known: {', '.join(catalogue.themes())}")
    figures = theme_sentence(catalogue, theme)
    where = Markup(" zum Thema {}").format(theme) if theme is not None else Markup(" im Portal {}").format(
        catalogue.portal.name)
    oldest = figures["oldest"]
    if oldest is None:
        age = ", keiner mit Änderungsdatum" if figures["count"] else ""
    elif figures["count"] == 1:
        age = f", zuletzt aktualisiert am {datum(oldest.fields['geaendert'])}"
    else:
        age = f", der älteste zuletzt aktualisiert am {datum(oldest.fields['geaendert'])}"
    return Markup('<p class="opendaten-satz">{}{}{} <span class="opendaten-quelle">(Stand: {}; Quelle: '
                  '<a class="quelle" href="{}">{}</a>, <a href="{}">Auswertung</a>)</span>.</p>').format(
        _datasets(figures["count"]), where, age, datum(catalogue.stand), catalogue.portal.url,
        catalogue.portal.name, page)


class OpenDataPreprocessor(LineDirective):
    name = "opendaten"

    def __init__(self, md, catalogues, output_dir):
        super().__init__(md)
        self.catalogues, self.output_dir = catalogues, output_dir

    def render(self, body, number):
        return sentence(self.catalogues, parse(body, number), number, self.output_dir)


class OpenDataExtension(Extension):
    def __init__(self, catalogues, output_dir, **kwargs):
        self.catalogues, self.output_dir = catalogues, output_dir
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Like the OZG directive: after whitespace normalisation (30), before meta (27).
        md.preprocessors.register(OpenDataPreprocessor(md, self.catalogues, self.output_dir), "opendaten", 28.5)
