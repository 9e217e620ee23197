"""Pelican settings for the development build (``make html`` / ``make serve``).

``publishconf.py`` imports this file and changes only what differs online.
"""

import os

AUTHOR = "Wachhund-Redaktion"
SITENAME = "Wachhund"
SITESUBTITLE = "Das Onlinezugangsgesetz in Duisburg und NRW, nachgeprüft"
SITE_DESCRIPTION = (
    "Ein Watchdog-Blog über die Umsetzung des Onlinezugangsgesetzes (OZG) "
    "in Duisburg, NRW und im Bund: was wirklich online geht, mit Quelle und Datum."
)
# Root-relative links in development, so the site works on any local port.
SITEURL = ""
RELATIVE_URLS = False

PATH = "content"
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images", "extra"]
# Authors write Markdown only: its reader checks and sanitises every post.
# Pelican's HTML and reStructuredText readers would bypass both.
READERS = {"html": None, "htm": None, "rst": None}
EXTRA_PATH_METADATA = {}
# Hidden files (.DS_Store, editor lock and swap files) are never read or copied;
# Pelican's default "**/.*" matches no file name (fnmatch needs the slash).
IGNORE_FILES = [".*"]
THEME = "theme"
DATA_PATH = "data"

DEFAULT_LANG = "de"
TIMEZONE = "Europe/Berlin"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"  # templates use the `datum` filter (plugins/german_dates)
DEFAULT_PAGINATION = 10
DEFAULT_CATEGORY = "Allgemein"
DELETE_OUTPUT_DIRECTORY = True
OUTPUT_SOURCES = False


# No content cache: a cache keyed on less than everything a page is made of
# (images, attached files, link-health state, plugin code) can publish what a
# cold build would not. Every build reads every post; the site is small.
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
SUMMARY_MAX_LENGTH = 45

# --- URLs --------------------------------------------------------------------
INDEX_URL = ""
ARTICLE_URL = "{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "kategorie/{slug}/"
CATEGORY_SAVE_AS = "kategorie/{slug}/index.html"
CATEGORIES_URL = "kategorie/"
CATEGORIES_SAVE_AS = "kategorie/index.html"
TAG_URL = "schlagwort/{slug}/"
TAG_SAVE_AS = "schlagwort/{slug}/index.html"
TAGS_URL = "schlagwort/"
TAGS_SAVE_AS = "schlagwort/index.html"
AUTHOR_URL = "autor/{slug}/"
AUTHOR_SAVE_AS = "autor/{slug}/index.html"
AUTHORS_URL = "autor/"
AUTHORS_SAVE_AS = "autor/index.html"
ARCHIVES_URL = "archiv/"
ARCHIVES_SAVE_AS = "archiv/index.html"
YEAR_ARCHIVE_URL = "archiv/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = "archiv/{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
DRAFT_URL = "entwurf/{slug}/"
DRAFT_SAVE_AS = "entwurf/{slug}/index.html"
DRAFT_PAGE_URL = "entwurf/seite/{slug}/"
DRAFT_PAGE_SAVE_AS = "entwurf/seite/{slug}/index.html"
# Drafts and hidden posts are rendered for the author's preview (marked, noindex,
# not searchable); publishconf.py turns this off so they are never published.
PREVIEW_UNPUBLISHED = True
# Posts dated after this day are scheduled: previewed, published from that day on
# (plugins/drafts). `make publish HEUTE=2026-12-24`; empty means today in Berlin.
HEUTE = os.environ.get("HEUTE", "")
# Page 2+ of any list lives under .../page/N/ and can never clash with a slug.
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
# Pages made from a theme template alone (no Markdown source).
DIRECT_TEMPLATES = [
    "index", "archives", "categories", "tags", "authors",
    "search", "404", "sitemap", "robots",
]
TEMPLATE_EXTENSIONS = [".html", ".xml", ".txt"]
SEARCH_URL = "suche/"
SEARCH_SAVE_AS = "suche/index.html"
SITEMAP_SAVE_AS = "sitemap.xml"
ROBOTS_SAVE_AS = "robots.txt"
# auto_reload off: a build reads each template once; Jinja would otherwise stat() the file at
# every include of every page (~20,000 times at 1,000 posts). `make serve` reads the theme
# afresh after every change to it (a new environment), so nothing can go stale.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True, "auto_reload": False}

# --- Slugs: German transliteration (Bürgeramt -> buergeramt, Straße -> strasse) --
# Pelican's default ASCII-fies first (ü -> u); we keep Unicode and transliterate
# ourselves, then drop whatever non-ASCII is left.
SLUGIFY_USE_UNICODE = True
_TRANSLITERATION = [
    ("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ẞ", "ss"),
    ("[áàâãåā]", "a"), ("[éèêëē]", "e"), ("[íìîïī]", "i"), ("[óòôõøō]", "o"),
    ("[úùûū]", "u"), ("[çčć]", "c"), ("[ñń]", "n"), ("[šś]", "s"), ("[žźż]", "z"),
    ("ł", "l"), ("æ", "ae"), ("œ", "oe"), ("&", "und"),
]
_CLEANUP = [
    (r"[^\w\s-]", ""),
    (r"[^\x00-\x7f]", ""),
    (r"(?u)\A\s*", ""),
    (r"(?u)\s*\Z", ""),
    (r"[-\s_]+", "-"),
]
SLUG_REGEX_SUBSTITUTIONS = _TRANSLITERATION + _CLEANUP
CATEGORY_REGEX_SUBSTITUTIONS = _TRANSLITERATION + _CLEANUP
TAG_REGEX_SUBSTITUTIONS = _TRANSLITERATION + _CLEANUP
AUTHOR_REGEX_SUBSTITUTIONS = _TRANSLITERATION + _CLEANUP

# --- Markdown ----------------------------------------------------------------
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {"toc_depth": "2-3"},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.smarty": {
            # German quotes: „…“ and ‚…‘
            "substitutions": {
                "left-double-quote": "&bdquo;",
                "right-double-quote": "&ldquo;",
                "left-single-quote": "&sbquo;",
                "right-single-quote": "&lsquo;",
            }
        },
    },
    "output_format": "html5",
}

# --- Feeds -------------------------------------------------------------------
FEED_ALL_ATOM = "feeds/alle.atom.xml"
FEED_ALL_RSS = "feeds/alle.rss.xml"
CATEGORY_FEED_ATOM = "feeds/kategorie/{slug}.atom.xml"
CATEGORY_FEED_RSS = "feeds/kategorie/{slug}.rss.xml"
TAG_FEED_ATOM = "feeds/schlagwort/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/schlagwort/{slug}.rss.xml"
FEED_ATOM = None
FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
RSS_FEED_SUMMARY_ONLY = False
FEED_MAX_ITEMS = 50

# --- Plugins -----------------------------------------------------------------
# Pelican loads `plugins.<name>` from this folder's plugins/ (the path is relative to
# this file), so a copy of the site runs its own plugins; `wachhund` is installed.
PLUGIN_PATHS = ["."]
PLUGINS = [
    "plugins.source_files",
    "plugins.strict_reader",
    "plugins.drafts",
    "plugins.unique_output",
    "plugins.post_images",
    "plugins.article_navigation",
    "plugins.frozen_urls",
    "plugins.german_dates",
    "plugins.ozg_status",
    "plugins.anfragen",
    "plugins.opendata",
    "plugins.link_health",
    "plugins.corrections",
    "plugins.subscriber_feeds",
    "plugins.pagefind_search",
    "plugins.fediverse",
    "plugins.shared_templates",
]
LINK_HEALTH = {
    "STATE_FILE": "data/link-health.jsonl",
    # Pages cited as evidence that nothing happens: show "unverändert seit …".
    "WATCH": ["https://www.duisburg-business.de/download-presse"],
}
OZG = {
    "DATA_DIR": "data/ozg",
    "SIDEBAR_KOMMUNE": "duisburg",
}
# Open-data portals whose catalogue `make update-opendata` follows (/offene-daten/).
# A CKAN portal: {"name": …, "art": "ckan", "url": "https://portal/", "organisation": "stadt-x", "lizenz": …}.
OPENDATA = {
    "PORTALE": {
        "duisburg": {
            "name": "Open Data Duisburg",
            "art": "dcat-us",
            "url": "https://opendata-duisburg.de/data.json",
            "lizenz": "Metadaten aus dem Katalog des Portals; die Lizenz jedes Datensatzes nennt das Portal "
                      "auf dessen Seite.",
        },
    },
}
MENU_PAGES = ["ueber-dieses-blog"]
FOOTER_PAGES = ["ueber-dieses-blog", "impressum", "datenschutzerklaerung"]
MENUITEMS = [("OZG-Status", "ozg/"), ("Anfragen", "anfragen/"), ("Offene Daten", "offene-daten/")]
SITEMAP_EXTRA = []
# `make serve` answers only IP addresses and localhost, and these names (e.g. "vorschau.example").
SERVE_ALLOWED_HOSTS = []

# The fediverse (plugins/fediverse): the author's handle for Mastodon's "fediverse:creator"
# attribution ("@name@instanz.example") and the profile pages that link back to the blog
# (rel="me", shown in the footer and on ABOUT_PAGE). Empty: nothing is shown.
FEDIVERSE_CREATOR = ""
REL_ME = []
ABOUT_PAGE = "ueber-dieses-blog"

SOCIAL = []
LINKS = []
