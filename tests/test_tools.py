"""The author's commands besides the build: make newpost."""

import datetime as dt
import subprocess
import sys
from zoneinfo import ZoneInfo

from support import build_site


def test_newpost_creates_a_post_that_builds(project, tmp_path):
    result = subprocess.run(
        [sys.executable, str(project / "tools/newpost.py"), "Straße zum Bürgeramt: ein Test"],
        cwd=project, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    today = dt.datetime.now(ZoneInfo("Europe/Berlin")).date()
    path = project / "content/posts" / f"{today.isoformat()}-strasse-zum-buergeramt-ein-test.md"
    assert path.is_file()
    assert path.read_text(encoding="utf-8").startswith("Title: Straße zum Bürgeramt: ein Test\nDate: ")
    again = subprocess.run([sys.executable, str(project / "tools/newpost.py"), "Straße zum Bürgeramt: ein Test"],
                           cwd=project, capture_output=True, text=True)
    assert again.returncode == 1 and "not overwritten" in again.stderr
    out = tmp_path / "out"
    built = build_site(project, out)
    assert built.returncode == 0, built.stderr
    assert (out / str(today.year) / "strasse-zum-buergeramt-ein-test/index.html").is_file()
