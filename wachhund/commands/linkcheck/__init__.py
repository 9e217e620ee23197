"""`make linkcheck`: check (check.py), fetch, archive and collect the links of the site."""
