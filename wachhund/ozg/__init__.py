"""The OZG domain without Pelican: catalogue, observations, status store, ranking, regions, indicators."""
