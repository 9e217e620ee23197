"""The site's Pelican plugins: Pelican loads them as ``plugins.<name>`` from this folder
(PLUGIN_PATHS in pelicanconf.py), so a copy of the site runs its own copy of them."""
