"""bench/generate.py: the options shape each post; the defaults keep the bytes
the benchmark figures of earlier commits were measured on."""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# sha256 over the generated content/ and data/ozg/kommunen/ of `generate.py TARGET 20`, computed
# with generate.py as it was before it had options (commit a1ce3b3): the default site must not move.
DEFAULT_DIGEST = "5d9ab6d63dac390798d8fd87dcb9c6f01c19702fcb44ba19831f9e48d3a8083d"
URL = re.compile(r"https?://[^\s)>\]]+")


def generate(target: Path, *options: str) -> Path:
    done = subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), str(target), "20", *options],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return target


def digest(site: Path) -> str:
    files = sorted([*(site / "content").rglob("*.md"), *(site / "data/ozg/kommunen").glob("*.yaml")])
    hasher = hashlib.sha256()
    for path in files:
        hasher.update(str(path.relative_to(site)).encode() + b"\0" + path.read_bytes() + b"\0")
    return hasher.hexdigest()


def posts(site: Path):
    """(header fields, body) of each generated post."""
    found = []
    for path in sorted((site / "content/posts").glob("*.md")):
        header, body = path.read_text(encoding="utf-8").split("\n\n", 1)
        found.append((dict(line.split(": ", 1) for line in header.splitlines()), body))
    assert len(found) == 20
    return found


def test_defaults_give_the_same_bytes_as_before_the_options(tmp_path):
    assert digest(generate(tmp_path / "site")) == DEFAULT_DIGEST


def test_heavy_posts_have_8_links_1_status_table_and_20_tags(tmp_path):
    site = generate(tmp_path / "site", "--links", "8", "--tables", "1", "--tags", "20")
    for fields, body in posts(site):
        urls = URL.findall(body)
        assert len(urls) == len(set(urls)) == 8, urls
        assert all(url.startswith("https://") and ".example." in url for url in urls), urls
        lines = body.splitlines()
        assert sum(line.startswith("{% ozg tabelle ") for line in lines) == 1, body
        assert not any(line.startswith("{% ozg") and "tabelle" not in line for line in lines), body
        tags = fields["Tags"].split(", ")
        assert len(tags) == len(set(tags)) == 20, tags


def test_more_tags_than_names_get_more_themes_and_zero_means_none(tmp_path):
    many = generate(tmp_path / "many", "--tags", "60", "--tables", "2", "--links", "1")
    for fields, body in posts(many):
        tags = fields["Tags"].split(", ")
        assert len(set(tags)) == 60
        assert all(re.fullmatch(r"Thema \d+|Bürgeramt|Straßenverkehr", tag) for tag in tags), tags
        assert len(URL.findall(body)) == 1
        assert sum(line.startswith("{% ozg tabelle ") for line in body.splitlines()) == 2
    none = generate(tmp_path / "none", "--tags", "0", "--tables", "0", "--links", "0")
    for fields, body in posts(none):
        assert "Tags" not in fields and not URL.findall(body) and "{% ozg" not in body, (fields, body)


def test_a_negative_count_is_refused_with_the_option_named(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "bench/generate.py"), str(tmp_path / "site"), "20", "--links", "-1"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "--links" in done.stderr and not (tmp_path / "site").exists()
