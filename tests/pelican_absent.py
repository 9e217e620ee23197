"""A pytest plugin for the domain tests' run (tests/test_layers.py): the session fails if
Pelican or one of our plugins was imported, since the domain must work without both.

Loaded as `-p tests.pelican_absent`; it checks at the end, so an import made by any test,
fixture or helper counts."""

import sys

import pytest

FORBIDDEN = ("pelican", "plugins")


def loaded():
    return sorted(name for name in sys.modules if name.split(".")[0] in FORBIDDEN)


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    if loaded():
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        print(f"\npelican_absent: the domain tests loaded {', '.join(loaded()[:10])}", file=sys.stderr)
