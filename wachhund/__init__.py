"""Wachhund's own code in layers (README, "Layout"): lib, the domain (ozg, links, corrections), commands."""
