"""Safe YAML loading that remembers line numbers (a library, not a plugin).

Every data file is loaded through :func:`load_file`: ``safe_load`` semantics,
plus duplicate keys, anchors/aliases, oversized files and absurd nesting are
refused with ``file:line: message`` errors, and every mapping and list knows
the line each of its entries came from.
"""

from .atomic import dump_yaml, write_atomic
from .loader import DataError, LineDict, LineList, format_errors, load_file, load_text

__all__ = ["dump_yaml", "DataError", "LineDict", "LineList", "format_errors", "load_file", "load_text", "write_atomic"]
