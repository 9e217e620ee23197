"""Shared libraries: YAML files, URLs and network safety, settings checks, dates, errors."""
