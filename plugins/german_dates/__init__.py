"""German dates in templates on any machine, with or without a German locale.

Babel carries the CLDR data, so "22. November 2026" needs no system locale.
"""

from .filters import datum, datum_iso, register

__all__ = ["datum", "datum_iso", "register"]
