"""Feeds for subscribers.

- Post feeds (Pelican's own): language `de`, absolute URLs inside the content.
- Change feeds (feedgen): whatever the capabilities registered in
  `site_of(settings).feeds` (wachhund.site), dated by the observation, not the
  build, with ids derived from their content, so a rebuild never repeats one.
- A German page per feed, /feeds/<name>/, from the same entries (browsers drop
  XSLT, so a feed is no longer styled: readers open the page, feed readers the XML),
  and /feeds/ listing every feed.
"""

from pelican import signals

from wachhund.site import site_of

from .changes import ChangeFeedsGenerator
from .post_feeds import polish_feed
from .settings import get_settings


def on_initialized(pelican):
    config = get_settings(pelican.settings)  # a bad setting stops the build before anything is read
    site = site_of(pelican.settings)
    site.feeds_url = f"{config.output_dir}/"
    site.reserved_folders.add(config.output_dir.split("/", 1)[0])


def get_generators(pelican):
    return ChangeFeedsGenerator


def register():
    signals.initialized.connect(on_initialized)
    signals.feed_generated.connect(polish_feed)
    signals.get_generators.connect(get_generators)
