"""The OZG change feeds: hand-kept observations per municipality and for all,
and the dashboard imports for all and per municipality (linked from its page only)."""

from functools import cache

from wachhund.lib.feeds import ChangeFeed
from wachhund.ozg.feed_entries import dashboard_entries, observation_entries


def register_feeds(site, model, settings):
    ozg_url = f"{settings.output_dir}/"
    fallback = model.catalogue_source["stand"]

    @cache
    def observations(slug):
        return observation_entries(model, slug, site.site_url, ozg_url)

    @cache
    def imported():
        return dashboard_entries(model, site.site_url, ozg_url) if model.ranking else ({}, [])

    def one_kommune(slug):
        # A hand-kept municipality's feed also reports its imported changes.
        return observations(slug) + imported()[0].get(model.kommunen[slug].ars, [])

    site.feeds.add(ChangeFeed(
        name="ozg-aenderungen", title="OZG-Statusänderungen (alle)", page=ozg_url, fallback_date=fallback,
        text="Jede Änderung im belegten Status einer OZG-Leistung, für alle Kommunen.",
        entries=lambda: [entry for slug in model.kommunen for entry in observations(slug)],
    ))
    for slug, kommune in model.kommunen.items():
        site.feeds.add(ChangeFeed(
            name=f"ozg-aenderungen/{slug}", title=f"OZG-Statusänderungen: {kommune.name}",
            page=f"{ozg_url}{slug}/", fallback_date=fallback,
            text=f"Nur Änderungen für {kommune.name}: neue Online-Dienste, neue Reifegrade.",
            entries=lambda slug=slug: one_kommune(slug),
        ))
    if not model.ranking:
        return
    site.feeds.add(ChangeFeed(
        name="ozg-dashboard", title="OZG-Dashboard: Änderungen (alle Kommunen)", page=f"{ozg_url}rangliste/",
        fallback_date=fallback, entries=lambda: imported()[1],
        text="Jede Änderung der Zahl online verfügbarer OZG-Leistungen laut Datenexport des "
             "Dashboards Digitale Verwaltung, ein Eintrag je Import.",
    ))
    for ars, mu in model.ranking.municipalities.items():
        site.feeds.add(ChangeFeed(
            name=f"ozg-dashboard/{ars}", title=f"OZG-Dashboard: {mu.name}", page=f"{ozg_url}gemeinde/{ars}/",
            fallback_date=fallback, listed=False, entries=lambda ars=ars: imported()[0].get(ars, []),
            text=f"Änderungen der online verfügbaren OZG-Leistungen in {mu.name}.",
        ))
