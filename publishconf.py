"""Settings for the published site (``make publish``): absolute URLs everywhere."""

import os
import runpy
from pathlib import Path

# Everything pelicanconf.py (beside this file) sets, as `from pelicanconf import *` would
# take it, without this folder on the import path.
globals().update({name: value for name, value in runpy.run_path(str(Path(__file__).with_name("pelicanconf.py"))).items()
                  if not name.startswith("_")})

# The public address; every feed, canonical URL and sitemap entry uses it.
SITEURL = os.environ.get("WACHHUND_SITEURL", "https://wachhund.example.org")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
# Drafts and hidden posts and pages are not written at all (plugins/drafts).
PREVIEW_UNPUBLISHED = False

# Precompressed copies for nginx's gzip_static/brotli_static (after Pagefind).
PLUGINS = PLUGINS + ["plugins.precompress"]  # noqa: F405
PRECOMPRESS = True
