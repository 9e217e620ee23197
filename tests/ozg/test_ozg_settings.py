"""A mistake in OZG settings names the setting, what was expected and what was given
(the same check as every plugin's, tests/plugins/test_settings.py)."""

import pytest

from wachhund.ozg.settings import get_settings as ozg_settings
from wachhund.lib.settings import SettingsError

CASES = [
    (ozg_settings, {"OZG": {"DEADLINE": "31.12.2022"}}, "OZG['DEADLINE'] must be a date YYYY-MM-DD, got '31.12.2022'"),
    (ozg_settings, {"OZG": {"DEADLIN": "2022-12-31"}}, "OZG: unknown setting(s) DEADLIN; expected:"),
    (ozg_settings, {"OZG": {"DASHBOARD_URL": "ftp://x/{ars}"}}, "OZG['DASHBOARD_URL'] must be an http(s) URL containing {ars}"),
]


@pytest.mark.parametrize("read, settings, message", CASES)
def test_bad_setting_is_named(read, settings, message):
    with pytest.raises(SettingsError) as error:
        read({"PATH": "content", **settings})
    assert message in str(error.value)
