"""Full-text search on the static output: run Pagefind after every build."""

from .index import register, run_pagefind

__all__ = ["register", "run_pagefind"]
