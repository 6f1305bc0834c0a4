"""Server-side SVG charts of the 帳票 pages, our own small module: no script, no build step,
printed as drawn. Positions across are percentages of the page's width and sizes down are
pixels, so that a chart fills a phone's 375 px as well as a PC's width with text at its own
size (a viewBox would shrink the text with the chart). Colour is never the only carrier:
every bar has its label and figure in text, and the table beside the chart has them all."""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#1f6feb", "#e8710a", "#12a150", "#c62828", "#7b1fa2", "#00838f", "#6d4c41", "#8a8a8a")
OTHERS = "その他"
ROW = 34  # px per bar row: the label above, the bar below
MONTH_HEIGHT = 180


@dataclass(frozen=True)
class Series:
    label: str
    color: str


def _figure(value: float, unit: str) -> str:
    return f"{value:,.0f}{unit}"


def bars(
    items: Sequence[tuple[str, Sequence[float]]],
    *,
    series: Sequence[str],
    unit: str,
    title: str,
) -> str:
    """Horizontal bars, one row per label, one bar per series (at most two: 売上 and 送料)."""
    top = max((max(v, default=0) for _, v in items), default=0) or 1
    per_row = ROW + 10 * (len(series) - 1)
    height = per_row * len(items) + 4
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="100%" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']  # fmt: skip
    for i, (label, values) in enumerate(items):
        y = i * per_row
        shown = " / ".join(_figure(v, unit) for v in values)
        parts.append(f'<text x="0" y="{y + 13}" class="chart-label">{escape(label)}</text>')
        parts.append(
            f'<text x="100%" y="{y + 13}" text-anchor="end" class="chart-figure">{shown}</text>'
        )
        for j, value in enumerate(values):
            width = max(value, 0) * 100 / top
            parts.append(f'<rect x="0" y="{y + 17 + j * 10}" width="{width:.2f}%" height="9" '
                         f'fill="{PALETTE[j]}"/>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts)


def monthly(
    months: Sequence[str],
    values: dict[str, dict[str, float]],
    *,
    unit: str,
    title: str,
    keep: int = 7,
) -> tuple[str, list[Series]]:
    """Stacked columns, one per month, a segment per series (the ``keep`` largest, the rest as
    その他); the legend is returned for the page to list in text."""
    totals = {name: sum(by_month.values()) for name, by_month in values.items()}
    ranked = sorted(totals, key=lambda n: -totals[n])
    named = ranked if len(ranked) <= keep + 1 else ranked[:keep]
    stacks: dict[str, dict[str, float]] = {n: values[n] for n in named}
    rest = [n for n in ranked if n not in named]
    if rest:
        stacks[OTHERS] = {m: sum(values[n].get(m, 0) for n in rest) for m in months}
    legend = [Series(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(stacks)]
    top = max((sum(s.get(m, 0) for s in stacks.values()) for m in months), default=0) or 1
    n, every = len(months) or 1, 1 if len(months) <= 12 else 3
    height = MONTH_HEIGHT + 36
    parts = [f'<svg class="chart" role="img" aria-label="{escape(title)}" width="100%" '
             f'height="{height}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<text x="0" y="12" class="chart-figure">最大 {_figure(top, unit)}</text>',
             f'<line x1="0" x2="100%" y1="{MONTH_HEIGHT + 16}" y2="{MONTH_HEIGHT + 16}" stroke="#9aa5b1"/>']  # fmt: skip
    for i, month in enumerate(months):
        x, base = (i + 0.15) * 100 / n, MONTH_HEIGHT + 16
        for serie in legend:
            value = max(stacks[serie.label].get(month, 0), 0)
            h = value * MONTH_HEIGHT / top
            if h > 0:
                base -= h
                parts.append(f'<rect x="{x:.2f}%" y="{base:.1f}" width="{70 / n:.2f}%" '
                             f'height="{h:.1f}" fill="{serie.color}"><title>{escape(month)} '
                             f'{escape(serie.label)} {_figure(value, unit)}</title></rect>')  # fmt: skip
        if i % every == 0:
            label = f"{int(month[5:])}月"
            if i == 0 or month.endswith("-01"):
                label = f"{month[2:4]}年{label}"
            # on a phone every third label is enough (reports.css hides the minor ones)
            minor = " minor" if (i // every) % 3 else ""
            anchor, at = ("start", i * 100 / n) if i == 0 else ("middle", (i + 0.5) * 100 / n)
            parts.append(f'<text x="{at:.2f}%" y="{height - 4}" text-anchor="{anchor}" '
                         f'class="chart-axis{minor}">{escape(label)}</text>')  # fmt: skip
    parts.append("</svg>")
    return "".join(parts), legend
