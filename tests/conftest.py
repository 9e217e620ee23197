"""Shared fixtures: a copy of the project to break, and one real build of the site."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

from tests.support import build_site, copy_project


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The real site, built once with the real content and data."""
    out = tmp_path_factory.mktemp("site") / "output"
    result = build_site(ROOT, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def project(tmp_path):
    """A throw-away copy of the project that a test may break."""
    return copy_project(tmp_path / "project")
