"""German dates in templates on any machine, with or without a German locale.

The twelve month names and two number symbols are CLDR's, copied (and checked
against Babel in the tests), so "22. November 2026" needs no system locale.
"""

from .filters import MONTHS, datum, datum_iso, register, zahl

__all__ = ["MONTHS", "datum", "datum_iso", "register", "zahl"]
