"""Property-based tests (Hypothesis) of the plugins: directive parser, HTML escaping, sanitiser."""

import datetime as dt

from bs4 import BeautifulSoup
from hypothesis import example, HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.ozg_status import render
from plugins.ozg_status.directive import OPTIONS, DirectiveError, parse_directive
from wachhund.ozg.model import Model, Observation, Kommune, Leistung
from wachhund.ozg.schema import clean_text

value_text = st.text(alphabet=st.characters(blacklist_characters='"\n\r', blacklist_categories=("Cs",)), max_size=30)


@given(st.sampled_from(sorted(OPTIONS)), st.data())
def test_directive_options_round_trip(kind, data):
    keys = data.draw(st.lists(st.sampled_from(sorted(OPTIONS[kind])), unique=True))
    options = {key: data.draw(value_text) for key in keys}
    body = kind + "".join(f' {k}="{v}"' for k, v in options.items())
    try:
        parsed = parse_directive(body, 7)
    except DirectiveError as exc:
        assert exc.lineno == 7
        assert "needs" in exc.msg  # only a missing required option may fail
        return
    assert parsed == (kind, options)


@given(st.text(max_size=80))
def test_directive_parser_never_crashes(body):
    try:
        kind, options = parse_directive(body, 3)
    except DirectiveError as exc:
        assert exc.lineno == 3 and exc.msg
    else:
        assert kind in OPTIONS and set(options) <= OPTIONS[kind]


@given(st.text(max_size=80), st.text(max_size=80))
@example("\t", "")  # found by a fresh CI run: a whitespace-only name
def test_data_values_are_escaped_in_tables(name, note):
    # A name of whitespace only is no name (and html.parser reads such a cell as one space).
    name, note = clean_text(name) if clean_text(name).strip() else "x", clean_text(note)
    catalogue = {10000: Leistung(10000, name, "Feld", "Lage")}
    obs = Observation(datum=dt.date(2026, 1, 1), ozg_id=10000, online=True, notiz=note or None,
                      quelle_dokument=name)
    model = Model(catalogue, {"name": name, "url": None, "stand": dt.date(2019, 10, 5)},
                  {"k": Kommune("k", name, "051120000000", "kommune", "", [obs])})
    html = str(render.status_table(model, "k", model.statuses("k"), name, "t1"))
    soup = BeautifulSoup(html, "html.parser")
    allowed = {"div", "table", "caption", "span", "thead", "tbody", "tr", "th", "td", "time"}
    assert {tag.name for tag in soup.find_all(True)} <= allowed
    row = soup.find("tr", attrs={"data-ozg-id": "10000"})
    assert row.find("th").get_text() == name
    if note.strip():
        assert note.strip()[:20] in row.get_text() or note[:20] in row.get_text()


TAG_NAMES = ["a", "img", "svg", "math", "script", "style", "iframe", "p", "div", "span", "table", "td", "form",
             "object", "base", "details", "noscript", "template", "textarea", "title", "mglyph", "option"]
ATTRIBUTES = ["href", "src", "onload", "onerror", "onclick", "style", "xlink:href", "action", "formaction",
              "srcset", "data", "class", "id", "title", "ontoggle", "background", "poster"]
VALUES = ["javascript:alert(1)", "java&#115;cript:alert(1)", " jav\tascript:x", "data:text/html,<script>x</script>",
          "vbscript:x", "https://ok.example/", "/lokal", "x\" onerror=\"alert(1)", "url(javascript:x)",
          "</noscript><img src=x onerror=alert(1)>", "&#x6a;avascript:x", "expression(alert(1))"]
SEPARATORS = [" ", "/", "\n"]


@st.composite
def markup(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 3 if depth < 3 else 1))
        if kind == 0:
            parts.append(draw(st.sampled_from(["Text", "<", ">", "&", "\"", "'", "`", "<!--", "-->", "\n"])))
        elif kind == 1:
            parts.append(draw(st.sampled_from(["</", "<img src=x", "<svg/onload=alert(1)", "<a href=javascript:x>"])))
        else:
            name = draw(st.sampled_from(TAG_NAMES))
            attrs = "".join(
                draw(st.sampled_from(SEPARATORS)) + draw(st.sampled_from(ATTRIBUTES)) + '="' + draw(st.sampled_from(VALUES)) + '"'
                for _ in range(draw(st.integers(0, 2))))
            inner = draw(markup(depth + 1))
            close = draw(st.sampled_from([f"</{name}>", "", f"</{name}"]))
            parts.append(f"<{name}{attrs}>{inner}{close}")
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup())
def test_sanitiser_output_never_runs(fragment):
    """Whatever is mixed together, the sanitised output holds nothing executable
    (judged by html5lib, the browser's parsing algorithm)."""
    from plugins.strict_reader.sanitize import sanitize
    from tests.plugins.test_sanitize import executable

    cleaned = sanitize(fragment)
    assert executable(cleaned + "\n\nText danach.") == [], (fragment, cleaned)
    assert sanitize(cleaned) == cleaned or executable(sanitize(cleaned)) == []
