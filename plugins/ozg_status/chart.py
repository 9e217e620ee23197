"""Progress over time as a static SVG, drawn at build time (no chart library)."""

import datetime as dt
import math

from markupsafe import Markup, escape

from wachhund.lib.dates import datum

WIDTH, HEIGHT, PAD_L, PAD_R, PAD_T, PAD_B = 640, 260, 48, 16, 16, 48
SERIES = [
    ("online", "belegt online nutzbar", "ozg-line-online"),
    ("reifegrad_3_plus", "mindestens Reifegrad 3", "ozg-line-rg3"),
    ("nur_terminbuchung", "nur Terminbuchung", "ozg-line-termin"),
]


def progress_svg(history, title_id) -> Markup:
    """history: list of summaries (oldest first). Same numbers as the table beside it."""
    if not history:
        return Markup("")
    top = max(1, max(h[key] for h in history for key, _, _ in SERIES))
    n = len(history)
    inner_w, inner_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B

    def x(i):
        return PAD_L + (inner_w / 2 if n == 1 else inner_w * i / (n - 1))

    def y(v):
        return PAD_T + inner_h - inner_h * v / top

    parts = [
        Markup('<line class="ozg-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            PAD_L, PAD_T + inner_h, WIDTH - PAD_R, PAD_T + inner_h
        ),
        Markup('<line class="ozg-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(PAD_L, PAD_T, PAD_L, PAD_T + inner_h),
        Markup('<text x="{}" y="{}" text-anchor="end">{}</text>').format(PAD_L - 6, PAD_T + 4, top),
        Markup('<text x="{}" y="{}" text-anchor="end">0</text>').format(PAD_L - 6, PAD_T + inner_h + 4),
    ]
    for i, h in enumerate(history):
        if n <= 6 or i in (0, n - 1):
            parts.append(Markup('<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>').format(
                x(i), HEIGHT - PAD_B + 18, datum(h["stand"], "short")))
    # A point per day and series (hundreds on a page): f-strings with escape(), as Markup.format
    # would give, at a fraction of its cost; each day's x and date once, not once per series.
    xs = [f"{x(i):.1f}" for i in range(n)]
    days = [escape(datum(h["stand"])) for h in history]
    for key, label, css in SERIES:
        points = " ".join(f"{xs[i]},{y(h[key]):.1f}" for i, h in enumerate(history))
        parts.append(Markup('<polyline class="{}" points="{}"><title>{}</title></polyline>').format(css, points, label))
        css_text, label_text = escape(css), escape(label)
        parts.extend(
            Markup(f'<circle class="{css_text}" cx="{xs[i]}" cy="{y(h[key]):.1f}" r="4"><title>{label_text}: '
                   f'{escape(h[key])} ({days[i]})</title></circle>')
            for i, h in enumerate(history)
        )
    legend = Markup("").join(
        Markup('<tspan class="{}-text" x="{}" dy="0">■ {}</tspan>').format(css, PAD_L + 180 * i, label)
        for i, (_, label, css) in enumerate(SERIES)
    )
    parts.append(Markup('<text y="{}">{}</text>').format(HEIGHT - 8, legend))
    return Markup(
        '<svg class="ozg-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}">Entwicklung über die Zeit; '
        'die Zahlen stehen in der Tabelle daneben.</title>{}</svg>'
    ).format(WIDTH, HEIGHT, title_id, title_id, Markup("").join(parts))


# --- Indicator series: a standalone SVG file per series (an <img> in posts) ---------
# Presentation attributes only (no <style>): the file is an image and must look
# the same under any Content-Security-Policy; an opaque background keeps it
# readable in dark mode.
S_WIDTH, S_HEIGHT, S_LEFT, S_RIGHT, S_TOP, S_BOTTOM = 720, 360, 56, 210, 20, 40
HIGHLIGHT_COLOURS = ("#0b5394", "#a35200", "#1d6b2f", "#6a1b9a")
OTHER_COLOUR = "#9aa1a9"


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _number_label(value: float) -> str:
    """German digits: 1.418 and 2,33 (at most two decimals, no trailing zeros)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "X").replace(".", ",").replace("X", ".")


def series_svg(lines, unit: str, highlighted) -> str:
    """lines: {area: [(date, value, label), …]} with at least one area at two dates.

    Highlighted areas are drawn in colour, thick and labelled at their last
    point; all others thin and grey. Ranks are drawn with 1 at the top."""
    dates = [d for points in lines.values() for d, _, _ in points]
    values = [float(v) for points in lines.values() for _, v, _ in points]
    first, last = min(dates), max(dates)
    span = max(1, (last - first).days)
    rank = unit == "Rang"
    top = _nice_top(max(values))
    bottom = 1 if rank else 0
    inner_w, inner_h = S_WIDTH - S_LEFT - S_RIGHT, S_HEIGHT - S_TOP - S_BOTTOM

    def x(day):
        return S_LEFT + inner_w * (day - first).days / span

    def y(value):
        share = (float(value) - bottom) / ((top - bottom) or 1)
        return S_TOP + (inner_h * share if rank else inner_h - inner_h * share)

    out = [
        f'<rect width="{S_WIDTH}" height="{S_HEIGHT}" fill="#ffffff"/>',
        f'<line x1="{S_LEFT}" y1="{S_TOP + inner_h}" x2="{S_LEFT + inner_w}" y2="{S_TOP + inner_h}" stroke="#4a4f55"/>',
        f'<line x1="{S_LEFT}" y1="{S_TOP}" x2="{S_LEFT}" y2="{S_TOP + inner_h}" stroke="#4a4f55"/>',
    ]
    step = _nice_top(top / 5)
    ticks = [bottom] + [step * i for i in range(1, int(top / step) + 1) if step * i > bottom]
    for tick in ticks:
        out.append(f'<text x="{S_LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{escape(_number_label(tick))}</text>')
        out.append(f'<line x1="{S_LEFT}" y1="{y(tick):.1f}" x2="{S_LEFT + inner_w}" y2="{y(tick):.1f}" '
                   'stroke="#c9ced4" stroke-dasharray="2 3"/>')
    for year in range(first.year + (first.month > 1 or first.day > 1), last.year + 1):
        day = dt.date(year, 1, 1)
        out.append(f'<line x1="{x(day):.1f}" y1="{S_TOP + inner_h}" x2="{x(day):.1f}" y2="{S_TOP + inner_h + 5}" stroke="#4a4f55"/>')
        out.append(f'<text x="{x(day):.1f}" y="{S_HEIGHT - S_BOTTOM + 20}" text-anchor="middle">{year}</text>')
    ordered = sorted(lines, key=lambda area: (area in highlighted, area))  # highlighted drawn last, on top
    colours = {area: HIGHLIGHT_COLOURS[i % len(HIGHLIGHT_COLOURS)] for i, area in enumerate(sorted(highlighted))}
    for area in ordered:
        points = sorted(lines[area])
        colour = colours.get(area, OTHER_COLOUR)
        width = 3 if area in highlighted else 1.25
        coords = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v, _ in points)
        if len(points) > 1:
            out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="{width}"/>')
        for d, v, label in points:
            out.append(f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="{3.5 if area in highlighted else 2}" fill="{colour}">'
                       f"<title>{escape(area)}: {escape(label)}</title></circle>")
        if area in highlighted:
            d, v, label = points[-1]
            out.append(f'<text x="{x(d) + 8:.1f}" y="{y(v) + 4:.1f}" fill="{colour}" font-weight="700">'
                       f"{escape(area)}: {escape(_number_label(float(v)))}{' %' if unit == 'Prozent' else ''}</text>")
    body = "".join(out)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {S_WIDTH} {S_HEIGHT}" width="{S_WIDTH}" '
        f'height="{S_HEIGHT}" font-family="system-ui, sans-serif" font-size="12" fill="#1b1b1b">{body}</svg>\n'
    )
