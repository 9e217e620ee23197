"""The one URL rule (wachhund.lib.net.is_http_url)."""

import pytest

from wachhund.lib.net import is_http_url


@pytest.mark.parametrize("url", [
    "https://www.duisburg.de/vv/produkte/pro_du/dez_ii/32/100100100000010090.php",
    "http://[::1]:8080/x", "https://a-b.c-d.de:443/?q=1#f", "https://a.de",
    "https://xn--bcher-kva.de/", "https://a--b.de", "https://1.2.3.4:99/x", "https://a.de:8080", "https://a.de#",
])
def test_http_urls_pass(url):
    assert is_http_url(url)


@pytest.mark.parametrize("url", [
    # a final line break: `$` in the pattern let these pass, and the status store, which keeps
    # one record per line, then wrote a record the next build could not read
    "https://a.de/x\n", "https://a.de\n",
    "https://a.de/x y", "https://a..b/", "https://-a.de/", "ftp://a.de/", "javascript:alert(1)",
    'https://a.de/"onmouseover=x', "https://a.de:123456/", "https://a.de/" + "x" * 2000, None,
    "https://a-.de/", "https://a.de.", "https://a.de:", "https://a.de:80x", "https://a.de-/", "https://[::1",
    # control characters: ESC could reach a terminal, \x01 or DEL a feed (XML 1.0 forbids C0 controls)
    "https://a.de/\x1b[2J", "https://a.de/x\x01", "https://a.de/?q=\x7f", "https://a.de/#\x90", "https://a.de/\x00",
])
def test_other_values_fail(url):
    assert not is_http_url(url)
