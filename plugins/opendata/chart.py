"""The number of datasets over time as an inline SVG, drawn at build time; the table
beside it holds the same numbers (and is what screen readers read)."""

from markupsafe import Markup

from wachhund.lib.dates import datum

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 48, 16, 16, 40


def count_svg(points, title_id: str) -> Markup:
    """points: [(date, count)], oldest first."""
    if not points:
        return Markup("")
    top = max(1, max(count for _, count in points))
    first, last = points[0][0], points[-1][0]
    span = max(1, (last - first).days)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day):
        return LEFT + (inner_w / 2 if len(points) == 1 else inner_w * (day - first).days / span)

    def y(value):
        return TOP + inner_h - inner_h * value / top

    parts = [
        Markup('<line class="opendaten-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            LEFT, TOP + inner_h, WIDTH - RIGHT, TOP + inner_h),
        Markup('<line class="opendaten-axis" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(LEFT, TOP, LEFT, TOP + inner_h),
        Markup('<text x="{}" y="{}" text-anchor="end">{}</text>').format(LEFT - 6, TOP + 4, top),
        Markup('<text x="{}" y="{}" text-anchor="end">0</text>').format(LEFT - 6, TOP + inner_h + 4),
    ]
    labelled = {0, len(points) - 1}
    for i in sorted(labelled):
        day = points[i][0]
        anchor = "start" if i == 0 and len(points) > 1 else "end" if i else "middle"
        parts.append(Markup('<text x="{:.1f}" y="{}" text-anchor="{}">{}</text>').format(
            x(day), HEIGHT - BOTTOM + 18, anchor, datum(day, "short")))
    if len(points) > 1:
        parts.append(Markup('<polyline class="opendaten-line" points="{}"/>').format(
            " ".join(f"{x(d):.1f},{y(c):.1f}" for d, c in points)))
    for day, count in points:
        parts.append(Markup('<circle class="opendaten-point" cx="{:.1f}" cy="{:.1f}" r="3.5">'
                            "<title>{}: {} Datensätze</title></circle>").format(x(day), y(count), datum(day), count))
    return Markup(
        '<svg class="opendaten-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}">Zahl der Datensätze über die Zeit; '
        'die Zahlen stehen in der Tabelle daneben.</title>{}</svg>'
    ).format(WIDTH, HEIGHT, title_id, title_id, Markup("").join(parts))
