"""Hostile and broken input: each case fails with file and line, a non-zero exit,
bounded time and memory, and an untouched previous output/ (issue: scale and abuse)."""

import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import ROOT, build_site, copy_project, tree_digest

CORPUS = Path(__file__).resolve().parent.parent / "bad_inputs"
EXPECTED = dict(
    line.split("\t", 1)
    for line in (CORPUS / "EXPECTED.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)
MEMORY_LIMIT = 2 * 1024**3
TIME_LIMIT = 120


def target_of(case: str) -> str:
    if case.endswith(".kommune.yaml"):
        return "data/ozg/kommunen/duisburg.yaml"
    if case.endswith(".katalog.yaml"):
        return "data/ozg/katalog.yaml"
    if case.endswith(".linkstate.jsonl"):
        return "data/link-health.jsonl"
    if case.endswith(".opendata.jsonl"):
        return "data/offene-daten/duisburg.jsonl"
    return f"content/posts/{case}"


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """A project copy and a good output/ built from it."""
    base = tmp_path_factory.mktemp("robust")
    project = copy_project(base / "project")
    out = base / "output"
    assert build_site(project, out).returncode == 0
    return project, out, tree_digest(out)


def limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def break_and_build(good, tmp_path, relative, data: bytes):
    project, out, digest = good
    case_project = tmp_path / "project"
    shutil.copytree(project, case_project, symlinks=True, ignore=shutil.ignore_patterns("cache"))
    case_out = tmp_path / "output"
    shutil.copytree(out, case_out)
    (case_project / relative).parent.mkdir(parents=True, exist_ok=True)
    (case_project / relative).write_bytes(data)
    cmd = [sys.executable, "-m", "wachhund.commands.build", "-s", str(case_project / "pelicanconf.py"), "-o", str(case_out)]
    result = subprocess.run(cmd, cwd=case_project, capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=limited)
    assert result.returncode != 0, result.stdout
    assert tree_digest(case_out) == digest, "the previous output/ was changed"
    return result.stderr


def test_corpus_has_at_least_30_cases():
    assert len(EXPECTED) >= 30
    assert {p.name for p in CORPUS.iterdir() if p.name != "EXPECTED.txt"} == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_bad_input_fails_clearly(good, tmp_path, case):
    stderr = break_and_build(good, tmp_path, target_of(case), (CORPUS / case).read_bytes())
    assert EXPECTED[case] in stderr, stderr[-1500:]
    assert "Traceback" not in stderr


HEADER = 'slug: duisburg\nname: Duisburg\nars: "051120000000"\nebene: kommune\n'


def test_huge_file_is_refused(good, tmp_path):
    filler = "# " + "x" * 98 + "\n"
    data = (HEADER + "beobachtungen: []\n" + filler * 90_000).encode()
    stderr = break_and_build(good, tmp_path, "data/ozg/kommunen/duisburg.yaml", data)
    assert "data/ozg/kommunen/duisburg.yaml: file is" in stderr and "at most" in stderr


@pytest.mark.parametrize("depth", [1_000, 100_000, 1_000_000])
@pytest.mark.parametrize("shape", ["flow-list", "block-list", "flow-map"])
def test_deeply_nested_yaml_is_refused(good, tmp_path, depth, shape):
    """Bounded on the event stream: no depth crashes the build (composing 100,000
    levels used to kill the process with a segmentation fault and no message)."""
    nested = {
        "flow-list": "beschreibung: " + "[" * depth + "]" * depth + "\n",
        "block-list": "beschreibung:\n" + "- " * depth + "x\n",
        "flow-map": "beschreibung: " + "{a: " * depth + "1" + "}" * depth + "\n",
    }[shape]
    stderr = break_and_build(good, tmp_path, "data/ozg/kommunen/duisburg.yaml", (HEADER + nested).encode())
    assert "data/ozg/kommunen/duisburg.yaml:" in stderr and "nested deeper than 40 levels" in stderr, stderr[-500:]
    line = 5 if shape != "block-list" else 6
    assert f"duisburg.yaml:{line}: nested deeper" in stderr


@pytest.mark.parametrize("depth", [1_000, 1_000_000])
def test_deeply_nested_link_state_is_refused(good, tmp_path, depth):
    first = '{"url": "https://www.wirtschaft-service-portal.nrw/", "verdict": "ok"}\n'
    nested = '{"url": "https://www.duisburg.de/", "verdict": "ok", "history": ' + "[" * depth + "]" * depth + "}\n"
    stderr = break_and_build(good, tmp_path, "data/link-health.jsonl", (first + nested).encode())
    assert "data/link-health.jsonl:2: " in stderr and "Traceback" not in stderr, stderr[-500:]


def test_billion_laughs_is_refused(good, tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
    data = (HEADER + "\n".join(lines) + "\nbeobachtungen: []\n").encode()
    stderr = break_and_build(good, tmp_path, "data/ozg/kommunen/duisburg.yaml", data)
    assert "data/ozg/kommunen/duisburg.yaml:6: YAML anchors and aliases" in stderr


def test_markup_in_post_metadata_is_escaped(tmp_path):
    project = copy_project(tmp_path / "project")
    title = '"><img src=x alt=y> <b>Fett</b> & Co'
    (project / "content/posts/boese.md").write_text(
        f"Title: {title}\nDate: 2026-11-20\nCategory: <i>Kat</i>\nTags: \"><b data-x=1>Fett\n\nInhalt.\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = build_site(project, out)
    assert result.returncode == 0, result.stderr
    from bs4 import BeautifulSoup

    found = False
    for path in out.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not page.find("img", src="x"), path
        assert not page.find("b", attrs={"data-x": True}), path
        assert not [i for i in page.find_all("i") if i.get_text() == "Kat"], path
        heading = page.find("h1")
        if heading and heading.get_text() == title:
            found = True
    assert found  # the title is shown literally
