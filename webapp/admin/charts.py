"""Server-side SVG charts: no JavaScript, readable by screen readers (title, desc and a
data table next to each chart on the page)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

PALETTE = ("#1f5fa8", "#c2410c", "#15803d", "#7e22ce", "#a16207", "#0e7490", "#be123c")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step * 5:
            return float(step * 5) if value > step * 4 else float(step * (int(value / step) + 1))
    return float(value * 1.1)


def bar_chart(
    title: str,
    categories: Sequence[str],
    series: dict[str, Sequence[float]],
    width: int = 720,
    height: int = 280,
) -> Markup:
    """Grouped vertical bars: one group per category, one bar per series."""
    left, right, top, bottom = 48, 12, 16, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    names = list(series)
    n_cat = max(1, len(categories))
    peak = max([v for vals in series.values() for v in vals] or [0])
    ymax = _nice_max(float(peak))
    group_w = plot_w / n_cat
    bar_w = max(1.0, (group_w * 0.8) / max(1, len(names)))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 24 * ((len(names) + 3) // 4)}" '
        f'role="img" aria-labelledby="t" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#555"/>',
    ]
    for i in range(5):
        v = ymax * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#333">{v:g}</text>'
        )
    for ci, cat in enumerate(categories):
        gx = left + ci * group_w + group_w * 0.1
        for si, name in enumerate(names):
            vals = series[name]
            v = float(vals[ci]) if ci < len(vals) else 0.0
            h = plot_h * v / ymax if ymax else 0
            x = gx + si * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[si % len(PALETTE)]}"><title>{escape(cat)} · {escape(name)}: {v:g}</title></rect>'
            )
        if n_cat <= 16 or ci % max(1, n_cat // 12) == 0:
            cx = left + ci * group_w + group_w / 2
            parts.append(
                f'<text x="{cx:.1f}" y="{top + plot_h + 14}" font-size="10" fill="#333" '
                f'text-anchor="end" transform="rotate(-35 {cx:.1f} {top + plot_h + 14})">{escape(cat)}</text>'
            )
    for si, name in enumerate(names):
        lx = left + (si % 4) * 170
        ly = height + 4 + 24 * (si // 4)
        parts.append(
            f'<rect x="{lx}" y="{ly}" width="12" height="12" fill="{PALETTE[si % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{lx + 16}" y="{ly + 11}" font-size="12" fill="#222">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def hbar_chart(
    title: str, labels: Sequence[str], values: Sequence[float], width: int = 720
) -> Markup:
    """Horizontal bars, one per label (rankings such as the most used services)."""
    row, left, right = 22, 260, 48
    height = max(1, len(labels)) * row + 8
    peak = _nice_max(float(max(values or [0])))
    plot_w = width - left - right
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" class="chart">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, v) in enumerate(zip(labels, values, strict=False)):
        y = 4 + i * row
        w = plot_w * float(v) / peak if peak else 0
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" font-size="12" fill="#222">{escape(label[:36])}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row - 6}" fill="{PALETTE[0]}"/>'
        )
        parts.append(
            f'<text x="{left + w + 4:.1f}" y="{y + 14}" font-size="12" fill="#222">{v:g}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
