"""Followable and attributable: the settings behind the `fediverse:creator` tag on posts
(Mastodon shows the author under a shared link) and the `rel="me"` profile links in the
footer and on the about page (Mastodon verifies a profile link that the page links back).
The microformats2 markup Bridgy Fed reads is in the theme's templates."""

from pelican import signals

from .settings import get_settings


def check_settings(pelican):
    # Pelican copies the settings into every template's context: the theme reads FEDIVERSE.
    pelican.settings["FEDIVERSE"] = get_settings(pelican.settings)


def register():
    signals.initialized.connect(check_settings)
