"""The `{% ozg … %}` directive: a Python-Markdown extension.

    {% ozg tabelle kommune="duisburg" themenfeld="Familie & Kind" reifegrad="3-4" %}
    {% ozg zusammenfassung kommune="duisburg" %}
    {% ozg vergleich kommunen="duisburg,nrw" %}
    {% ozg kennzahl reihe="ozg_land_flaechendeckend" gebiet="Nordrhein-Westfalen" %}
    {% ozg zeitreihe reihe="ozg_land_flaechendeckend" titel="…" %}

It runs as a preprocessor before the metadata extension, so the line numbers it
reports are the lines of the file. Errors carry `.lineno`; the strict reader
turns them into ``content/posts/x.md:12: …``.
"""

import re

from markdown.extensions import Extension

from wachhund.lib.directives import LineDirective, parse_options
from wachhund.lib.errors import LineError as DirectiveError

from . import render, render_kennzahlen

OPTIONS = {
    "tabelle": {"kommune", "themenfeld", "lebenslage", "reifegrad", "ids", "nur_beobachtet", "titel"},
    "zusammenfassung": {"kommune"},
    "vergleich": {"kommunen"},
    "kennzahl": {"reihe", "gebiet"},
    "zeitreihe": {"reihe", "titel"},
}
REQUIRED = {"tabelle": {"kommune"}, "zusammenfassung": {"kommune"}, "vergleich": {"kommunen"},
            "kennzahl": {"reihe", "gebiet"}, "zeitreihe": {"reihe"}}


def parse_directive(body: str, lineno: int):
    """'tabelle kommune="x"' -> ("tabelle", {"kommune": "x"}); raise DirectiveError."""
    kind, _, rest = body.strip().partition(" ")
    if kind not in OPTIONS:
        raise DirectiveError(lineno, f"unknown ozg directive {kind!r}; expected one of: {', '.join(OPTIONS)}")
    options = parse_options(rest.rstrip(), lineno, f"ozg {kind}", OPTIONS[kind])
    if missing := REQUIRED[kind] - options.keys():
        raise DirectiveError(lineno, f"'ozg {kind}' needs {', '.join(sorted(missing))}=\"…\"")
    return kind, options


def _kommune(model, slug, lineno):
    if slug not in model.kommunen:
        raise DirectiveError(lineno, f"unknown municipality {slug!r}; known: {', '.join(model.kommunen)}")
    return slug


def _range(value, lineno):
    match = re.fullmatch(r"([0-4])(?:-([0-4]))?", value.strip())
    if not match:
        raise DirectiveError(lineno, f'reifegrad must be like "3" or "3-4" (0-4), got {value!r}')
    low = int(match.group(1))
    high = int(match.group(2) or low)
    if low > high:
        raise DirectiveError(lineno, f"reifegrad range {value!r} is empty")
    return low, high


def select_rows(model, options, lineno):
    slug = _kommune(model, options["kommune"], lineno)
    rows = model.statuses(slug)
    if "themenfeld" in options:
        if options["themenfeld"] not in model.themenfelder:
            raise DirectiveError(lineno, f"unknown themenfeld {options['themenfeld']!r}; expected one of: "
                                 + ", ".join(model.themenfelder))
        rows = [r for r in rows if r.themenfeld == options["themenfeld"]]
    if "lebenslage" in options:
        if options["lebenslage"] not in model.lebenslagen:
            raise DirectiveError(lineno, f"unknown lebenslage {options['lebenslage']!r}")
        rows = [r for r in rows if r.lebenslage == options["lebenslage"]]
    if "ids" in options:
        try:
            ids = [int(part) for part in options["ids"].split(",") if part.strip()]
        except ValueError:
            raise DirectiveError(lineno, f'ids must be OZG-IDs like "10000,10001", got {options["ids"]!r}') from None
        unknown = [i for i in ids if i not in model.catalogue]
        if unknown or not ids:
            raise DirectiveError(lineno, f"unknown OZG-ID(s): {', '.join(map(str, unknown)) or '(none given)'}")
        wanted = set(ids)
        rows = [r for r in rows if r.ozg_id in wanted]
    if "reifegrad" in options:
        low, high = _range(options["reifegrad"], lineno)
        rows = [r for r in rows if r.reifegrad is not None and low <= r.reifegrad <= high]
    if "nur_beobachtet" in options:
        if options["nur_beobachtet"] not in ("ja", "nein"):
            raise DirectiveError(lineno, f'nur_beobachtet must be "ja" or "nein", got {options["nur_beobachtet"]!r}')
        if options["nur_beobachtet"] == "ja":
            rows = [r for r in rows if r.known]
    return slug, rows


def _reihe(model, reihe, lineno):
    if reihe not in model.kennzahlen.reihen:
        known = ", ".join(model.kennzahlen.reihen) or "none (run `make import-catalog`)"
        raise DirectiveError(lineno, f"unknown reihe {reihe!r}; known: {known}")
    return reihe


def render_directive(model, kind, options, lineno, counter, output_dir="ozg"):
    if kind == "kennzahl":
        reihe = _reihe(model, options["reihe"], lineno)
        gebiet = model.kennzahlen.find_gebiet(reihe, options["gebiet"])
        if gebiet is None:
            raise DirectiveError(lineno, f"reihe {reihe!r} has no gebiet {options['gebiet']!r}; known: "
                                 + ", ".join(model.kennzahlen.gebiete(reihe)))
        return render_kennzahlen.kennzahl_sentence(model.kennzahlen, reihe, gebiet)
    if kind == "zeitreihe":
        reihe = _reihe(model, options["reihe"], lineno)
        blog_ars = {k.ars for k in model.kommunen.values()}
        highlighted = render_kennzahlen.highlighted_areas(model.kennzahlen, reihe, blog_ars)
        return render_kennzahlen.zeitreihe(model.kennzahlen, reihe, highlighted, output_dir,
                                           f"ozg-zeitreihe-{counter}", options.get("titel"))
    if kind == "zusammenfassung":
        return render.summary_sentence(model, _kommune(model, options["kommune"], lineno), output_dir)
    if kind == "vergleich":
        slugs = [s.strip() for s in options["kommunen"].split(",") if s.strip()]
        if not slugs:
            raise DirectiveError(lineno, "kommunen needs at least one municipality")
        for slug in slugs:
            _kommune(model, slug, lineno)
        return render.comparison_table(model, slugs, f"ozg-vergleich-{counter}")
    slug, rows = select_rows(model, options, lineno)
    caption = options.get("titel") or f"OZG-Leistungen in {model.kommunen[slug].name}"
    filters = [f"{k}: {v}" for k, v in options.items() if k in ("themenfeld", "lebenslage", "reifegrad")]
    if filters:
        caption += " (" + ", ".join(filters) + ")"
    return render.status_table(model, slug, rows, caption, f"ozg-tabelle-{counter}")


class OzgPreprocessor(LineDirective):
    name = "ozg"

    def __init__(self, md, model, output_dir):
        super().__init__(md)
        self.model = model
        self.output_dir = output_dir
        self.counter = 0  # numbers the tables of one post (their ids); run() starts each file at 0

    def run(self, lines):
        self.counter = 0
        return super().run(lines)

    def render(self, body, number):
        kind, options = parse_directive(body, number)
        self.counter += 1
        return render_directive(self.model, kind, options, number, self.counter, self.output_dir)


class OzgExtension(Extension):
    def __init__(self, model, output_dir="ozg", **kwargs):
        self.model = model
        self.output_dir = output_dir
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Priority 28: after whitespace normalisation (30), before meta (27),
        # so line numbers are still those of the file.
        md.preprocessors.register(OzgPreprocessor(md, self.model, self.output_dir), "ozg_directive", 28)
