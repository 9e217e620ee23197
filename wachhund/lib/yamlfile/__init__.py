"""Safe YAML loading that remembers line numbers (a library, not a plugin).

Every data file is loaded through :func:`load_file`: ``safe_load`` semantics,
plus duplicate keys, anchors/aliases, oversized files and absurd nesting are
refused with ``file:line: message`` errors, and every mapping and list knows
the line each of its entries came from. Text holds no control characters
(``text.py``: refused in files, replaced by the importers).
"""

from .atomic import dump_yaml, write_atomic
from .loader import DataError, LineDict, LineList, load_file, load_text
from .text import clean_text, file_problem, replaced, text_problem

__all__ = ["clean_text", "dump_yaml", "DataError", "LineDict", "LineList", "file_problem", "load_file",
           "load_text", "replaced", "text_problem", "write_atomic"]
