"""Feeds for subscribers.

- Post feeds (Pelican's own): language `de`, absolute URLs inside the content,
  and an XSLT stylesheet so a feed opened in a browser is a readable page.
- Change feeds (feedgen): "OZG-Statusänderungen" per municipality and for all,
  and "Link-Warnungen". Entries are dated by the observation, not the build,
  and have ids derived from their content, so a rebuild never repeats one.
- The German page /feeds/ listing every feed.
"""

from pelican import signals

from .changes import ChangeFeedsGenerator
from .post_feeds import polish_feed, add_stylesheet
from .settings import get_settings


def on_initialized(pelican):
    pelican.settings["SUBSCRIBER_FEEDS"] = get_settings(pelican.settings)


def get_generators(pelican):
    return ChangeFeedsGenerator


def register():
    signals.initialized.connect(on_initialized)
    signals.feed_generated.connect(polish_feed)
    signals.feed_written.connect(add_stylesheet)
    signals.get_generators.connect(get_generators)
