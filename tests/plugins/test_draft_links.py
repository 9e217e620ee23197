"""A published page never points at a draft (issue 22, item 3).

A published post or page that links a draft, hidden or scheduled item with
{filename}/{static}/{attach} stops `make publish` with the linking file and
line; the preview builds and warns. A file only drafts link is withheld however
the draft spells the link: which file a link means is the path a browser
would request, not Pelican's string.
"""

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from tests.support import append, build_site, copy_project
from tests.plugins.test_private_drafts import files_with

DRAFT = "content/posts/2026-11-20-teil-zwei.md"
POST = "content/posts/2026-11-16-wie-wir-pruefen.md"  # a published post
PAGE = "content/pages/ueber-dieses-blog.md"  # a published page
MESSAGE = "verlinkt einen Entwurf"


def line_count(project, relative):
    return (project / relative).read_text(encoding="utf-8").count("\n")


def add_draft(project, status="draft", date="2026-11-20 09:00", path=DRAFT, title="Teil zwei vertraulich"):
    (project / path).write_text(
        f"Title: {title}\nDate: {date}\nCategory: Duisburg\nStatus: {status}\n\nNoch nicht fertig.\n",
        encoding="utf-8",
    )


def add_draft_page(project, status):
    (project / "content/pages/entwurf-seite.md").write_text(
        f"Title: Seite vertraulich\nStatus: {status}\n\nNoch nicht fertig.\n", encoding="utf-8"
    )


# (what the published source gets, the link as the error names it, the target, extra build env)
LINKS = {
    "inline link to a draft post": (
        POST, "\nSiehe [Teil zwei]({filename}/posts/2026-11-20-teil-zwei.md).\n",
        "{filename}/posts/2026-11-20-teil-zwei.md", "(Status: draft)", lambda p: add_draft(p), {},
    ),
    "reference definition to a hidden post": (
        POST, "\nSiehe [Teil zwei][t2].\n\n[t2]: {filename}/posts/2026-11-20-teil-zwei.md\n",
        "{filename}/posts/2026-11-20-teil-zwei.md", "(Status: hidden)", lambda p: add_draft(p, "hidden"), {},
    ),
    "percent-spelled raw HTML link to a draft": (
        POST, '\n<p><a href="{filename}/posts/2026-11-20-teil%2Dzwei.md">Teil zwei</a></p>\n',
        "{filename}/posts/2026-11-20-teil%2Dzwei.md", "(Status: draft)", lambda p: add_draft(p), {},
    ),
    "page linking a draft page relatively": (
        PAGE, "\nBald: [die neue Seite]({filename}entwurf-seite.md).\n",
        "{filename}entwurf-seite.md", "(Status: draft)", lambda p: add_draft_page(p, "draft"), {},
    ),
    "page linking a hidden page with ./ and //": (
        PAGE, "\nBald: [die neue Seite]({filename}/pages/.//entwurf-seite.md).\n",
        "{filename}/pages/.//entwurf-seite.md", "(Status: hidden)", lambda p: add_draft_page(p, "hidden"), {},
    ),
    "plain link to a draft's address": (
        POST, "\nSiehe [Teil zwei](/entwurf/teil-zwei-vertraulich/).\n",
        "/entwurf/teil-zwei-vertraulich/", "(Status: draft)", lambda p: add_draft(p), {},
    ),
    "plain link to a hidden post's address": (
        POST, '\n<p><a href="/2026/teil-zwei-vertraulich/index.html">Teil zwei</a></p>\n',
        "/2026/teil-zwei-vertraulich/index.html", "(Status: hidden)", lambda p: add_draft(p, "hidden"), {},
    ),
    "link to a scheduled post": (
        POST, "\nAm Heiligabend: [Teil zwei]({filename}/posts/2026-11-20-teil-zwei.md).\n",
        "{filename}/posts/2026-11-20-teil-zwei.md", "(geplant für 2026-12-24)",
        lambda p: add_draft(p, "published", "2026-12-24 09:00"), {"HEUTE": "2026-12-23"},
    ),
}


@pytest.mark.parametrize("case", sorted(LINKS))
def test_publish_stops_at_a_published_link_to_unpublished_content(project, tmp_path, case):
    source, text, written, status, make_target, env = LINKS[case]
    make_target(project)
    before = line_count(project, source)
    append(project, source, text)
    lines = (project / source).read_text(encoding="utf-8").splitlines()
    expected_line = next(n for n, t in enumerate(lines, 1) if written in t)
    assert expected_line > before
    out = tmp_path / "out"
    (out / "alt").mkdir(parents=True)
    result = build_site(project, out, settings="publishconf.py", env=env)
    assert result.returncode != 0
    assert f"{source}:{expected_line}: {MESSAGE}: {written} {status} – erst den Entwurf veröffentlichen" in result.stderr, \
        result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["alt"]  # the previous output is left as it was

    preview = build_site(project, tmp_path / "preview", env=env)
    assert preview.returncode == 0, preview.stderr
    assert f"{source}:{expected_line}: {MESSAGE}" in preview.stderr  # a warning while writing


def test_every_link_to_a_draft_is_named_with_its_line_and_code_is_not(project, tmp_path):
    add_draft(project)
    first = line_count(project, POST) + 2
    append(
        project, POST,
        "\nIm Quelltext steht `[x]({filename}/posts/2026-11-20-teil-zwei.md)`.\n"  # code: not a link
        "Siehe [Teil zwei]({filename}/posts/2026-11-20-teil-zwei.md) und [noch einmal][t2].\n\n"
        "[t2]: {filename}/posts/2026-11-20-teil-zwei.md\n\n"
        "Oder [so](https://wachhund.example.org/entwurf/teil-zwei-vertraulich/).\n",
    )
    result = build_site(project, tmp_path / "out", settings="publishconf.py",
                        env={"WACHHUND_SITEURL": "https://wachhund.example.org"})
    assert result.returncode != 0
    named = [line.split(f": {MESSAGE}")[0] for line in result.stderr.splitlines() if MESSAGE in line]
    assert [n.removeprefix("ContentError: ") for n in named] == [f"{POST}:{first + 1}", f"{POST}:{first + 3}",
                                                                f"{POST}:{first + 5}"]


def test_a_plain_link_from_a_published_post_publishes_a_file_a_draft_links(project, tmp_path):
    add_draft(project)
    (project / "content/extra").mkdir(exist_ok=True)
    (project / "content/extra/scan.txt").write_text("Gescannt.\n", encoding="utf-8")
    append(project, DRAFT, "\n[Scan]({static}/extra/scan.txt)\n")
    append(project, POST, "\n[Scan](/extra/scan.txt)\n")
    out = tmp_path / "out"
    result = build_site(project, out, settings="publishconf.py")
    assert result.returncode == 0, result.stderr
    assert (out / "extra/scan.txt").read_text(encoding="utf-8") == "Gescannt.\n"  # not a dead link


def test_a_file_a_draft_attaches_and_a_post_links_is_published_where_the_post_says(project, tmp_path):
    """{attach} moves a file next to the post that attaches it; the draft is never
    rendered in make publish, so it cannot move the file into /entwurf/."""
    add_draft(project)
    (project / "content/extra").mkdir(exist_ok=True)
    (project / "content/extra/plan.txt").write_text("Der Plan.\n", encoding="utf-8")
    append(project, DRAFT, "\n[Plan]({attach}/extra/plan.txt)\n")
    append(project, POST, "\n[Plan]({static}/extra/plan.txt)\n")
    out = tmp_path / "out"
    result = build_site(project, out, settings="publishconf.py")
    assert result.returncode == 0, result.stderr
    assert (out / "extra/plan.txt").read_text(encoding="utf-8") == "Der Plan.\n"
    assert not (out / "entwurf").exists() and files_with(out, "vertraulich") == []


# --- spellings of one path ------------------------------------------------------------------
# Every file below is linked only by a draft, each with another spelling of its path. The
# names hold what Pelican's string matching missed: non-ASCII, "&", "-", a space.
def secret_name(number):
    return f"geheim{number:02d}x Prüf-Bericht & Anlage.txt"


NAMED = {"&": ["&amp;", "&AMP;"], "ü": ["&uuml;"], ".": ["&period;"], "/": ["&sol;"]}


def rotated(choices, shift):
    """Hypothesis starts with the simplest draw (index 0 everywhere); rotating the
    choices by file and character makes even that first example mix every form."""
    shift %= len(choices)
    return st.sampled_from(choices[shift:] + choices[:shift])


@st.composite
def spelled_char(draw, char, shift):
    upper = draw(st.booleans())
    percent = "".join(f"%{b:02X}" if upper else f"%{b:02x}" for b in char.encode("utf-8"))
    choices = [percent, f"&#{ord(char)};", f"&#x{ord(char):X};", f"&#X{ord(char):x};", *NAMED.get(char, [])]
    if char != " ":
        choices += [char] * 3  # mostly plain, as authors write
    return draw(rotated(choices, shift))


@st.composite
def spelled_path(draw, name, number):
    spell = lambda text, at: "".join(draw(spelled_char(c, number + at + i)) for i, c in enumerate(text))  # noqa: E731
    lead = draw(rotated(["/", "../", "/posts/../", "./../", "//", "/./", "../../"], number))
    middle = draw(rotated(["/", "//", "/./", "/x/../", "/%2E/", "/%2e%2E/extra/", "///", "/%2F"], number))
    return lead + spell("extra", 0) + middle + spell(name, 5)


def link(kind, what, spelled, number):
    if kind == "inline":
        return f"[Anlage {number}](<{what}{spelled}>)"
    if kind == "reference":
        return f"[Anlage {number}][a{number}]\n\n[a{number}]: <{what}{spelled}>\n"
    return f'<a href="{what}{spelled}">Anlage {number}</a>'


def link_in_draft(number):
    return st.tuples(rotated(["inline", "reference", "html"], number),
                     rotated(["{static}", "{attach}", "{filename}", "|static|"], number // 3))


FILES = 40


# Each example is a whole `make publish`: no shrinking (the failure lists every leaked spelling).
@settings(max_examples=2, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(st.data())
@example(data=None)  # the spellings the issue names, as a fixed case
def test_a_file_only_a_draft_links_is_in_no_published_byte_however_spelled(tmp_path_factory, data):
    if data is None:
        spellings = ["/extra/geheim00x Pr%C3%BCf-Bericht &amp; Anlage.txt", "/extra/geheim01x Prüf-Bericht & Anlage.txt",
                     "/extra/geheim02x Prüf%2DBericht & Anlage.txt", "/extra/./geheim03x Prüf-Bericht & Anlage.txt",
                     "/extra//geheim04x Prüf-Bericht & Anlage.txt", "../extra/geheim05x Pr%c3%bcf-Bericht &amp; Anlage.txt"]
        forms = [("inline", "{static}"), ("reference", "{attach}")] * 3
        spellings = [s.replace(" ", "%20") for s in spellings]
    else:
        spellings = [data.draw(spelled_path(secret_name(n), n), label=f"file {n}") for n in range(FILES)]
        forms = [data.draw(link_in_draft(n), label=f"link {n}") for n in range(FILES)]
    project = copy_project(tmp_path_factory.mktemp("spellings") / "project")
    (project / "content/extra").mkdir(exist_ok=True)
    draft_links = []
    for number, (spelled, (kind, what)) in enumerate(zip(spellings, forms)):
        (project / "content/extra" / secret_name(number)).write_text(f"inhalt{number:02d}vertraulich\n", encoding="utf-8")
        draft_links.append(link(kind, what, spelled, number))
    # A control: a file the draft and a published post both link (each spelled its own way) is published,
    # so the scan below does see copied files.
    (project / "content/extra/kontrolle übersicht.txt").write_text("kontrollinhalt\n", encoding="utf-8")
    draft_links.append("[Kontrolle](<{static}/extra/./kontrolle%20%C3%BCbersicht.txt>)")
    append(project, POST, "\n[Übersicht](<{static}../extra//kontrolle &#252;bersicht.txt>)\n")
    add_draft(project)
    append(project, DRAFT, "\n" + "\n\n".join(draft_links) + "\n")

    out = project.parent / "out"
    result = build_site(project, out, settings="publishconf.py")
    assert result.returncode == 0, result.stderr[-3000:]
    assert files_with(out, "kontrollinhalt") == ["extra/kontrolle übersicht.txt"]
    leaked = {n: spellings[n] for n in range(len(spellings))
              if files_with(out, f"inhalt{n:02d}vertraulich") or files_with(out, f"geheim{n:02d}x")}
    assert leaked == {}
    assert [str(p) for p in out.rglob("*") if "geheim" in p.name.lower()] == []


def test_unit_browser_path_reaches_the_same_file_for_every_issue_spelling():
    from plugins.drafts.paths import browser_path, file_key

    wanted = file_key("extra/grüße & co-1.txt")
    for spelled in ["/extra/gr%C3%BC%C3%9Fe%20&amp;%20co-1.txt", "/extra/gr&uuml;&szlig;e &amp; co%2D1.txt",
                    "../extra/./gr%c3%bc%c3%9fe & co-1.txt", "//extra//grüße & co-1.txt#s?x",
                    "/posts/../extra/gru\u0308ße & co-1.txt", "\\extra\\grüße & co-1.txt"]:
        assert browser_path(spelled, "posts") == wanted, spelled
    assert browser_path("/extra/grüße & co-1.txt.bak", "posts") != wanted
    assert set(string.ascii_letters) <= set(browser_path("/" + string.ascii_letters, ""))
