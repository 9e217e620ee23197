"""The one object Wachhund's plugins share during a build.

Plugins never import each other and never read each other's settings keys.
What one plugin offers another lives in a `Site`, created on first use and kept
under the settings key `WACHHUND_SITE` (the build's own settings, so nothing
outlives a build). Read it only through `site_of()`; a plugin that needs a field
another plugin provides calls `require()`, which fails at start-up, naming the
plugin to enable, instead of silently doing less later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from wachhund.lib.feeds import FeedRegistry
from wachhund.lib.settings import SettingsError

SETTINGS_KEY = "WACHHUND_SITE"

PROVIDERS = {  # field -> the plugin that fills it
    "mark_links": "plugins.link_health",
    "link_report_url": "plugins.link_health",
    "ozg": "plugins.ozg_status",
}


@dataclass
class Site:
    site_url: str  # absolute, without trailing slash ("" in a local build without SITEURL)
    feeds_url: str | None = None  # where the feeds plugin writes, e.g. "feeds/"; None: no feeds written
    feeds: FeedRegistry = field(default_factory=FeedRegistry)
    # Output folders a capability writes; a post may not be saved there.
    reserved_folders: set[str] = field(default_factory=set)
    # Link health: marks dead/moved links in generated HTML, and the report's URL.
    mark_links: Callable[[str], Markup] | None = None
    link_report_url: str | None = None
    # OZG status: the model and its settings (wachhund.ozg types).
    ozg: Any | None = None
    # Anything else a plugin keeps for itself during one build (its own key).
    private: dict[str, Any] = field(default_factory=dict)

    def require(self, name: str, by: str):
        value = getattr(self, name)
        if value is None:
            raise SettingsError(
                f"{by} needs {name!r}, which {PROVIDERS.get(name, 'another plugin')} provides: "
                f"add that plugin to PLUGINS, before {by}"
            )
        return value


def site_url(settings: dict) -> str:
    return (settings.get("FEED_DOMAIN") or settings.get("SITEURL") or "").rstrip("/")


def site_of(settings: dict) -> Site:
    site = settings.get(SETTINGS_KEY)
    if site is None:
        site = settings[SETTINGS_KEY] = Site(site_url=site_url(settings))
    return site
