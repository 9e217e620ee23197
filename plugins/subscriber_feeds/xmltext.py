"""Text that is safe inside XML 1.0 (data may carry control characters)."""

import re

_INVALID = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value):
    if value is None:
        return None
    return _INVALID.sub("", str(value))
