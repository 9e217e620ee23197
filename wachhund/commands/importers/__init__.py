"""Importers: turn source files and downloads into YAML under data/ozg/."""
