"""One Jinja environment for every generator of a build.

Pelican gives each generator (posts, pages, static files, and each plugin's own:
OZG, questions, open data, link report, corrections, feeds) an environment of its
own, built from the same settings, so each compiled `base.html` and its partials
again: about a second of a 1,000-post build. Here every generator after the first
uses the first one's environment. Its templates, filters, globals and tests are the
same (Pelican makes them from the settings alone); `neighbours`, the one global a
plugin adds later (plugins/article_navigation), is read only by article.html.
"""

from pelican import signals

from wachhund.site import site_of

KEY = "shared_templates"  # this plugin's key in Site.private: the build's environment


def start_build(pelican):
    site_of(pelican.settings).private.pop(KEY, None)  # a settings dict used for a second build starts afresh


def share(generator):
    generator.env = site_of(generator.settings).private.setdefault(KEY, generator.env)


def register():
    signals.initialized.connect(start_build)
    signals.generator_init.connect(share)
