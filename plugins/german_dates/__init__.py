"""German dates in templates on any machine, with or without a German locale:
``{{ article.date|datum }}``, ``datum_iso`` and ``zahl`` (wachhund.lib.dates).

The twelve month names and two number symbols are CLDR's, copied (and checked
against Babel in the tests), so "22. November 2026" needs no system locale.
"""

from pelican import signals

from wachhund.lib.dates import datum, datum_iso, zahl


def add_filters(pelican):
    pelican.settings.setdefault("JINJA_FILTERS", {}).update({"datum": datum, "datum_iso": datum_iso, "zahl": zahl})


def register():
    signals.initialized.connect(add_filters)
