"""Feeds for subscribers.

- Post feeds (Pelican's own): language `de`, absolute URLs inside the content,
  and an XSLT stylesheet so a feed opened in a browser is a readable page.
- Change feeds (feedgen): whatever the capabilities registered in
  `site_of(settings).feeds` (wachhund.site), dated by the observation, not the
  build, with ids derived from their content, so a rebuild never repeats one.
- The German page /feeds/ listing every feed.
"""

from pelican import signals

from wachhund.site import site_of

from .changes import ChangeFeedsGenerator
from .post_feeds import add_stylesheet, polish_feed
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
    signals.feed_written.connect(add_stylesheet)
    signals.get_generators.connect(get_generators)
