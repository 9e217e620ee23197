"""Wachhund: the blog's own code, in layers (README, "Layout"): ``lib`` (shared
libraries), ``ozg``/``links``/``corrections`` (the domain, free of Pelican),
``commands`` (what `make` runs). The Pelican plugins live in ``plugins/``."""
