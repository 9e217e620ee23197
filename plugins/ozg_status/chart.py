"""Progress over time as a static SVG, drawn at build time (no chart library)."""

from markupsafe import Markup

from german_dates import datum

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
    inner_w = WIDTH - PAD_L - PAD_R
    inner_h = HEIGHT - PAD_T - PAD_B

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
            parts.append(
                Markup('<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>').format(
                    x(i), HEIGHT - PAD_B + 18, datum(h["stand"], "short")
                )
            )
    for key, label, css in SERIES:
        points = " ".join(f"{x(i):.1f},{y(h[key]):.1f}" for i, h in enumerate(history))
        parts.append(Markup('<polyline class="{}" points="{}"><title>{}</title></polyline>').format(css, points, label))
        for i, h in enumerate(history):
            parts.append(
                Markup('<circle class="{}" cx="{:.1f}" cy="{:.1f}" r="4"><title>{}: {} ({})</title></circle>').format(
                    css, x(i), y(h[key]), label, h[key], datum(h["stand"])
                )
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
