"""The deployment's supply chain and secrets: the workflow trusts nothing it need not,
`make upload` builds nothing, and every installed file is pinned to its hash."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support import ROOT

DAILY = ROOT / "deploy/daily-update.yml"
SHA_REF = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@\s]+)?@[0-9a-f]{40}$")
DOCKER_REF = re.compile(r"^docker://[^@\s]+@sha256:[0-9a-f]{64}$")
TAG_COMMENT = re.compile(r"#\s*v\d+(\.\d+)*\s*$")
SECRET = re.compile(r"\$\{\{\s*secrets\.")
TOKEN = re.compile(r"\$\{\{\s*(github\.token|secrets\.GITHUB_TOKEN)\s*\}\}")


def workflow_files() -> list[Path]:
    files = sorted(ROOT.glob("deploy/*.yml")) + sorted(ROOT.glob(".github/workflows/*.y*ml"))
    assert DAILY in files
    return files


def all_uses(node):
    """Every `uses:` value anywhere in a parsed workflow (steps and reusable-workflow jobs)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "uses":
                yield value
            else:
                yield from all_uses(value)
    elif isinstance(node, list):
        for item in node:
            yield from all_uses(item)


def unpinned(text: str) -> list[str]:
    """The `uses:` refs of a workflow that are not a full commit SHA with its tag in a comment."""
    problems = []
    lines = text.splitlines()
    for ref in all_uses(yaml.safe_load(text)):
        if not isinstance(ref, str):
            problems.append(f"{ref!r}: not a string")
        elif ref.startswith("./"):
            continue  # an action of this repository: pinned by the checkout itself
        elif not (SHA_REF.match(ref) or DOCKER_REF.match(ref)):
            problems.append(f"{ref}: not pinned to a full commit SHA")
        elif not any(ref in line and TAG_COMMENT.search(line) for line in lines):
            problems.append(f"{ref}: no '# vX.Y.Z' comment naming the tag")
    return problems


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(step: dict) -> str:
    return step.get("run", "")


def workflow() -> dict:
    return yaml.safe_load(DAILY.read_text(encoding="utf-8"))


def test_the_pin_check_rejects_tags_and_branches():
    sha = "3d3c42e5aac5ba805825da76410c181273ba90b1"
    text = ("jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: 'actions/setup-python@main'\n"
            f"      - {{uses: actions/cache@{sha[:7]}}}\n      - uses: actions/x@{sha}\n      - uses: actions/y@{sha}  # v1.2.3\n"
            "      - uses: ./local-action\n  b:\n    uses: org/repo/.github/workflows/w.yml@v2\n")
    assert unpinned(text) == [
        "actions/checkout@v4: not pinned to a full commit SHA",
        "actions/setup-python@main: not pinned to a full commit SHA",
        f"actions/cache@{sha[:7]}: not pinned to a full commit SHA",
        f"actions/x@{sha}: no '# vX.Y.Z' comment naming the tag",
        "org/repo/.github/workflows/w.yml@v2: not pinned to a full commit SHA",
    ]


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_action_is_pinned_to_a_commit_sha_with_its_tag(path):
    text = path.read_text(encoding="utf-8")
    assert list(all_uses(yaml.safe_load(text))), f"{path}: no action found: is this still a workflow?"
    assert unpinned(text) == []


def test_every_checkout_keeps_no_credentials():
    checkouts = [s for job in workflow()["jobs"].values() for s in steps(job) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s.get("with", {}).get("persist-credentials") is False for s in checkouts)


def test_the_server_host_key_comes_from_a_secret_and_nothing_is_accepted_on_first_sight():
    text = DAILY.read_text(encoding="utf-8")
    assert "accept-new" not in text and not re.search(r"StrictHostKeyChecking=(no|off)", text)
    [upload] = [s for job in workflow()["jobs"].values() for s in steps(job) if "make upload" in runs(s)]
    assert re.search(r"^\$\{\{\s*secrets\.\w+\s*\}\}$", upload["env"]["KNOWN_HOSTS"])
    assert '"$KNOWN_HOSTS" > "$hosts"' in runs(upload)
    assert "-o StrictHostKeyChecking=yes -o UserKnownHostsFile=$hosts" in runs(upload)


def test_only_the_pushing_job_may_write_and_it_runs_none_of_our_code():
    data = workflow()
    assert data["permissions"] == {}  # nothing by default
    for name, job in data["jobs"].items():
        pushes = any("git" in runs(s) and "push" in runs(s) for s in steps(job))
        assert job["permissions"] == {"contents": "write" if pushes else "read"}, name
        if pushes:  # no make, no Python, no action but GitHub's checkout and download
            assert not any(re.search(r"\b(make|python|pip)\b", runs(s)) for s in steps(job)), name
            assert {s["uses"].split("@")[0] for s in steps(job) if "uses" in s} <= {"actions/checkout", "actions/download-artifact"}


def test_secrets_reach_only_the_upload_step_and_the_token_only_the_push():
    data = workflow()
    assert not SECRET.search(yaml.safe_dump({k: v for k, v in data.items() if k != "jobs"}))  # no workflow-level secret
    holders = []
    for name, job in data["jobs"].items():
        assert not SECRET.search(yaml.safe_dump({k: v for k, v in job.items() if k != "steps"})), name  # nor job-level
        for step in steps(job):
            rest = yaml.safe_dump({k: v for k, v in step.items() if k != "env"})
            assert not SECRET.search(rest) and not TOKEN.search(rest), (name, step)  # not in with:, run: or if:
            env = yaml.safe_dump(step.get("env", {}))
            if SECRET.search(env) or TOKEN.search(env):
                holders.append((name, step))
    [(upload_job, upload), (push_job, push)] = sorted(holders, key=lambda h: "make upload" not in runs(h[1]))
    assert "make upload" in runs(upload) and not re.search(r"make (publish|deploy|install|html)", runs(upload))
    assert not TOKEN.search(yaml.safe_dump(upload["env"]))
    assert "git" in runs(push) and "push" in runs(push) and not SECRET.search(yaml.safe_dump(push["env"]))
    # The job that holds the key installs nothing: no third-party code runs beside it.
    job = data["jobs"][upload_job]
    assert not any("setup-python" in s.get("uses", "") or "make install" in runs(s) for s in steps(job))


def test_a_failed_import_still_publishes_yesterdays_data():
    data = workflow()
    assert "if:" not in DAILY.read_text(encoding="utf-8")  # no step or job is skipped by another's result
    build = data["jobs"]["build"]["steps"]
    # `make update` (issue 25) runs the dashboard import with the other online updates
    [imported] = [i for i, s in enumerate(build) if re.search(r"make update\b", runs(s))]
    [published] = [i for i, s in enumerate(build) if "make publish" in runs(s)]
    assert build[imported].get("continue-on-error") is True and imported < published
    assert set(data["jobs"]["upload"]["needs"]) == {"build", "commit"}


@pytest.fixture
def published_copy(tmp_path):
    """A folder with the Makefile and what `make publish` leaves (no .venv: nothing to build with)."""
    tmp_path = tmp_path / "repo"
    tmp_path.mkdir()
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copy2(ROOT / "requirements.lock", tmp_path / "requirements.lock")
    shutil.copy2(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "output/theme").mkdir(parents=True)
    (tmp_path / "output/index.html").write_text("<!doctype html><title>Wachhund</title>\n", encoding="utf-8")
    (tmp_path / "output/index.html.gz").write_bytes(b"gz")
    (tmp_path / "output/theme/a.css").write_text("body{}\n", encoding="utf-8")
    (tmp_path / "deploy/generated").mkdir(parents=True)
    (tmp_path / "deploy/generated/security-headers.conf").write_text('add_header X-Test "1" always;\n', encoding="utf-8")
    return tmp_path


def make(folder: Path, *args):
    return subprocess.run(["make", "--no-print-directory", "-C", str(folder), *args], capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not shutil.which("rsync") or not shutil.which("make"), reason="rsync or make missing: apt-get install rsync make")
def test_make_upload_uploads_what_publish_made_and_builds_nothing(published_copy, tmp_path):
    server = tmp_path / "server"
    (server / "www").mkdir(parents=True)
    (server / "www/alt.html").write_text("weg\n", encoding="utf-8")  # gone from the site: removed on the server
    before = sorted(p.relative_to(published_copy) for p in published_copy.rglob("*"))
    result = make(published_copy, "upload", f"DEPLOY_TARGET={server}/www/", f"DEPLOY_HEADERS={server}/snippets.conf")
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.relative_to(published_copy) for p in published_copy.rglob("*")) == before  # no .venv, no build
    assert sorted(str(p.relative_to(server / "www")) for p in (server / "www").rglob("*")) == [
        "index.html", "index.html.gz", "theme", "theme/a.css"]
    assert (server / "snippets.conf").read_text(encoding="utf-8") == 'add_header X-Test "1" always;\n'


@pytest.mark.skipif(not shutil.which("make"), reason="make missing")
def test_make_upload_refuses_without_a_published_site(published_copy, tmp_path):
    (published_copy / "output/index.html.gz").unlink()  # what `make html` leaves: no precompressed copies
    result = make(published_copy, "upload", f"DEPLOY_TARGET={tmp_path}/www/")
    assert result.returncode == 2 and "run make publish first" in result.stdout
    assert not (tmp_path / "www").exists()
    result = make(published_copy, "upload")
    assert result.returncode == 2 and "Set DEPLOY_TARGET" in result.stdout


def test_every_locked_requirement_is_pinned_to_hashes_pip_included():
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    stanzas = re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+) \\\n((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)", text, re.M)
    pinned = re.findall(r"^([a-z0-9][a-z0-9._-]*)==", text, re.M)
    assert pinned and [name for name, _version, _hashes in stanzas] == pinned  # every one of them hashed
    assert {"pip", "setuptools"} <= set(pinned)


@pytest.mark.skipif(not shutil.which("make"), reason="make missing")
def test_install_takes_pip_from_the_lock_and_requires_hashes(published_copy):
    result = make(published_copy, "-n", "install")  # what it would run, in a folder without .venv
    installs = [line for line in result.stdout.splitlines() if "pip install" in line]
    # The lock (pip first, then everything) by hash; then the project itself, from this folder:
    # no dependencies, no build requirement fetched (the locked setuptools builds it).
    project = installs.pop()
    assert project.endswith("pip install --quiet --no-deps --no-build-isolation -e ."), result.stdout
    assert len(installs) == 2 and all("--require-hashes" in line for line in installs), result.stdout
    assert not any("--upgrade" in line for line in installs)
    assert "-r .venv/pip.lock" in installs[0] and "-r requirements.lock" in installs[1]
    cut = [line for line in result.stdout.splitlines() if line.startswith("awk ")]
    assert len(cut) == 1
    stanza = subprocess.run(["bash", "-c", cut[0].split(" > ")[0]], cwd=ROOT, capture_output=True, text=True).stdout
    assert re.fullmatch(r"pip==\S+ \\\n(    --hash=sha256:[0-9a-f]{64}( \\)?\n)+", stanza), stanza
