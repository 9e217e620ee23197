"""German dates in templates on any machine, with or without a German locale.

Babel carries the CLDR data, so "22. November 2026" needs no system locale.
"""

from .filters import MONTHS, datum, datum_iso, register, zahl

__all__ = ["MONTHS", "datum", "datum_iso", "register", "zahl"]
