"""Full-text search on the static output: run Pagefind after every build."""

from .index import register

__all__ = ["register"]
