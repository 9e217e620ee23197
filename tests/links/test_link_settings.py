"""A mistake in LINK_HEALTH settings names the setting, what was expected and what was given
(the same check as every plugin's, tests/plugins/test_settings.py)."""

import pytest

from wachhund.links.settings import get_settings as link_settings
from wachhund.lib.settings import SettingsError

CASES = [
    (link_settings, {"LINK_HEALTH": {"WATCH": "https://x.example/"}}, "LINK_HEALTH['WATCH'] must be a list of strings"),
    (link_settings, {"LINK_HEALTH": {"UNCHANGED_AFTER_DAYS": 0}}, "LINK_HEALTH['UNCHANGED_AFTER_DAYS'] must be a positive whole number, got 0"),
]


@pytest.mark.parametrize("read, settings, message", CASES)
def test_bad_setting_is_named(read, settings, message):
    with pytest.raises(SettingsError) as error:
        read({"PATH": "content", **settings})
    assert message in str(error.value)
