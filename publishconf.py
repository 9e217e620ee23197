"""Settings for the published site (``make publish``): absolute URLs everywhere."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pelicanconf import *  # noqa: E402,F401,F403

# The public address; every feed, canonical URL and sitemap entry uses it.
SITEURL = os.environ.get("WACHHUND_SITEURL", "https://wachhund.example.org")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Drafts and hidden posts and pages are not written at all (plugins/drafts).
PREVIEW_UNPUBLISHED = False

# Precompressed copies for nginx's gzip_static/brotli_static (after Pagefind).
PLUGINS = PLUGINS + ["precompress"]  # noqa: F405
PRECOMPRESS = True
