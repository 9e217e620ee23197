"""One settings check for every plugin: a mistake in pelicanconf.py reads the same
way everywhere and names the setting, what was expected and what was given."""

import pytest

from plugins.drafts import preview_enabled
from wachhund.links.settings import get_settings as link_settings
from wachhund.ozg.settings import get_settings as ozg_settings
from plugins.pagefind_search.settings import get_settings as search_settings
from plugins.corrections.settings import get_settings as correction_settings
from plugins.subscriber_feeds.settings import get_settings as feed_settings
from plugins.precompress.settings import get_settings as precompress_settings
from wachhund.lib.settings import SettingsError

CASES = [
    (feed_settings, {"SUBSCRIBER_FEEDS_CONFIG": {"MAX_ENTRIES": True}}, "SUBSCRIBER_FEEDS_CONFIG['MAX_ENTRIES'] must be a positive whole number"),
    (correction_settings, {"CORRECTIONS": {"URL": "/"}}, "CORRECTIONS['URL'] must be a path"),
    (search_settings, {"PAGEFIND": "ja"}, "PAGEFIND must be True or False, got 'ja'"),
    (search_settings, {"PAGEFIND_SECTION_SIZE": -5}, "PAGEFIND_SECTION_SIZE must be a positive whole number, got -5"),
    (preview_enabled, {"PREVIEW_UNPUBLISHED": "yes"}, "PREVIEW_UNPUBLISHED must be True or False, got 'yes'"),
    (precompress_settings, {"PRECOMPRESS": "False"}, "PRECOMPRESS must be True or False, got 'False'"),
]


@pytest.mark.parametrize("read, settings, message", CASES)
def test_bad_setting_is_named(read, settings, message):
    with pytest.raises(SettingsError) as error:
        read({"PATH": "content", **settings})
    assert message in str(error.value)


def test_defaults_are_valid():
    assert ozg_settings({"PATH": "content"}).output_dir == "ozg"
    assert link_settings({"PATH": "content"}).report_url == "link-gesundheit/"
    assert correction_settings({}).url == "korrekturen/"
    assert search_settings({}).section_size == 500
    assert preview_enabled({}) is False
    assert precompress_settings({}).enabled is False
