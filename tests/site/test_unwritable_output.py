"""An output location that cannot be written (not a folder, read-only, full) fails with
one line naming the place, a non-zero exit, no traceback and the previous output/
untouched (issue 22, item 9).

Tests may run as root, where a read-only folder does not stop writes: the build then runs
without the capability that overrides file permissions (setpriv). A full and a read-only
file system are a small tmpfs in a mount namespace of the test's own (unshare), skipped
where the system does not allow one."""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.support import ROOT, tree_digest

BUILD = [sys.executable, "-m", "wachhund.commands.build", "-s", str(ROOT / "pelicanconf.py")]
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1790000000"}
PELICAN_NOTE = "Feeds generated without SITEURL"  # Pelican's warning for make html, not ours


def build(out, prefix=()):
    return subprocess.run([*prefix, *BUILD, "-o", str(out)], capture_output=True, text=True, env=ENV, timeout=300)


def failure_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip() and not line.startswith(PELICAN_NOTE)]


def test_output_inside_a_regular_file(tmp_path):
    blocker = tmp_path / "datei"
    blocker.write_text("kein Ordner", encoding="utf-8")
    result = build(blocker / "site" / "output")
    assert result.returncode != 0
    assert failure_lines(result.stderr) == [
        f"output/ kann nicht geschrieben werden: Not a directory ({blocker}); das bisherige output/ bleibt unverändert"]
    assert blocker.read_text(encoding="utf-8") == "kein Ordner"


def without_permission_override():
    """A command prefix under which file permissions apply (root ignores them otherwise)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root and setpriv (util-linux) is missing: a read-only folder would not stop writes")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search"]


def test_read_only_folder_leaves_output_untouched(site, tmp_path):
    folder = tmp_path / "web"
    out = folder / "output"
    shutil.copytree(site, out)
    before = tree_digest(out)
    prefix = without_permission_override()
    folder.chmod(0o555)
    try:
        probe = subprocess.run([*prefix, "touch", str(folder / "probe")], capture_output=True)
        if probe.returncode == 0:
            pytest.skip("this system lets the build write into a read-only folder")
        result = build(out, prefix)
    finally:
        folder.chmod(0o755)
    assert result.returncode != 0
    assert failure_lines(result.stderr) == [
        f"output/ kann nicht geschrieben werden: Permission denied ({folder}); das bisherige output/ bleibt unverändert"]
    assert tree_digest(out) == before
    assert sorted(p.name for p in folder.iterdir()) == ["output"]


# Runs inside a private mount namespace: a tmpfs with a good site, then (1) filled to all
# but 1 MiB, so the new site (about 6 MB) does not fit, and (2) remounted read-only.
IN_NAMESPACE = r"""
import hashlib, json, os, shutil, subprocess, sys
mount_point, good, report, *build = sys.argv[1:]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount_point], check=True)
out = os.path.join(mount_point, "output")
shutil.copytree(good, out)

def digest():
    return {os.path.relpath(os.path.join(d, f), out): hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
            for d, _, files in os.walk(out) for f in files}

def run():
    result = subprocess.run([*build, "-o", out], capture_output=True, text=True)
    return {"code": result.returncode, "stderr": result.stderr, "same": digest() == before,
            "names": sorted(os.listdir(mount_point))}

before = digest()
stat = os.statvfs(mount_point)
with open(os.path.join(mount_point, "filler"), "wb") as filler:
    os.posix_fallocate(filler.fileno(), 0, stat.f_bavail * stat.f_frsize - 1024 * 1024)
full = run()
subprocess.run(["mount", "-o", "remount,ro", mount_point], check=True)
read_only = run()
with open(report, "w") as handle:
    json.dump({"full": full, "read_only": read_only}, handle)
"""


def namespace_prefix():
    """unshare with a private mount namespace (root), or a user namespace mapped to root."""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        pytest.skip("unshare/mount (util-linux) missing: no private tmpfs for a full file system")
    for prefix in (["unshare", "--mount", "--propagation", "private"],
                   ["unshare", "--user", "--map-root-user", "--mount", "--propagation", "private"]):
        probe = subprocess.run([*prefix, "mount", "-t", "tmpfs", "tmpfs", "/mnt"], capture_output=True)
        if probe.returncode == 0:
            return prefix
    pytest.skip("this system allows no private mount namespace (unshare): cannot make a full file system")


def test_full_and_read_only_file_system_leave_output_untouched(site, tmp_path):
    prefix = namespace_prefix()
    mount_point = tmp_path / "mnt"
    mount_point.mkdir()
    report = tmp_path / "report.json"
    result = subprocess.run([*prefix, sys.executable, "-c", IN_NAMESPACE, str(mount_point), str(site), str(report),
                             *BUILD], capture_output=True, text=True, env=ENV, timeout=600)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(report.read_text(encoding="utf-8"))
    for case, reason in (("full", "No space left on device"), ("read_only", "Read-only file system")):
        run = outcome[case]
        assert run["code"] != 0, case
        assert failure_lines(run["stderr"]) == [
            f"output/ kann nicht geschrieben werden: {reason} ({mount_point}); das bisherige output/ bleibt unverändert"
        ], case
        assert run["same"], f"{case}: the previous output/ was changed"
        assert run["names"] == ["filler", "output"], case  # no staging folder left behind
