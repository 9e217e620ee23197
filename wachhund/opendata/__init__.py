"""Open-data catalogues over time: portal settings, the two catalogue shapes
(DCAT-US 1.1 data.json, CKAN package_search), the change store per portal,
the statistics the pages show and the feed entries. Pelican-free."""
