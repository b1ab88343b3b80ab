"""The public report's charts, drawn on the server by matplotlib as SVG: the same
figures can go into a PDF report (matplotlib writes PDF from the same code).

Only matplotlib's object API is used (a Figure per chart, no pyplot state), so charts
can be drawn in several threads at once. Text stays text in the SVG (readable by screen
readers and search, and small); output is deterministic for the same numbers.
"""

import io
from collections.abc import Sequence

from matplotlib import rcParams
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

rcParams["svg.fonttype"] = "none"
rcParams["svg.hashsalt"] = "aduan"  # stable ids: the same numbers give the same file
rcParams["font.family"] = "DejaVu Sans"

BLUE = "#1d4e89"
GREEN = "#2e7d32"
GREY = "#5f6b7a"


def bars(
    labels: Sequence[str], values: Sequence[int | float], title: str, image: str = "svg"
) -> bytes:
    """Horizontal bars, one per label, its count written beside it; `image` "png" for a
    PDF (the report's documents), "svg" for a page."""
    height = 1.2 + 0.45 * len(labels)
    figure = Figure(figsize=(7.5, height), layout="constrained")
    axes = figure.add_subplot()
    positions = range(len(labels))
    drawn = axes.barh(list(positions), list(values), color=BLUE)
    axes.bar_label(drawn, padding=3, fontsize=9)
    axes.set_yticks(list(positions), labels=list(labels), fontsize=9)
    axes.invert_yaxis()  # the first label on top, as in the table beside it
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlim(0, max([*values, 1]) * 1.15)
    _finish(axes, title)
    return _png(figure) if image == "png" else _svg(figure)


def shares(labels: Sequence[str], values: Sequence[float | None], title: str) -> bytes:
    """Horizontal bars of shares (0..1) as percentages, a PNG for the report's PDF; a
    label without a share (nothing to divide) is drawn as '-'."""
    height = 1.2 + 0.4 * len(labels)
    figure = Figure(figsize=(7.5, height), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    drawn = axes.barh(positions, [v or 0 for v in values], color=GREEN)
    texts = ["-" if v is None else f"{v * 100:.0f} %" for v in values]
    axes.bar_label(drawn, labels=texts, padding=3, fontsize=8)
    axes.set_yticks(positions, labels=list(labels), fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 1.12)
    axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    _finish(axes, title)
    return _png(figure)


def trend(months: Sequence[str], received: Sequence[int], rates: Sequence[float | None]) -> bytes:
    """Complaints received per month (bars) and the share resolved (a line, right axis)."""
    figure = Figure(figsize=(7.5, 3.6), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(months)))
    axes.bar(positions, list(received), color=BLUE, label="Pengaduan diterima")
    axes.set_xticks(positions, labels=list(months), fontsize=8, rotation=45, ha="right")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("Pengaduan", fontsize=9)
    share = axes.twinx()
    known = [(x, rate) for x, rate in zip(positions, rates, strict=True) if rate is not None]
    share.plot(
        [x for x, _ in known],
        [rate for _, rate in known],
        color=GREEN,
        marker="o",
        linewidth=2,
        label="Tingkat penyelesaian",
    )
    share.set_ylim(0, 1.05)
    share.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    share.set_ylabel("Tingkat penyelesaian", fontsize=9)
    handles = axes.get_legend_handles_labels()[0] + share.get_legend_handles_labels()[0]
    axes.legend(handles=handles, loc="upper left", fontsize=8, frameon=False)
    for side in ("top",):
        share.spines[side].set_visible(False)
    _finish(axes, "Dua belas bulan terakhir")
    return _svg(figure)


def _finish(axes, title: str) -> None:
    axes.set_title(title, fontsize=11, loc="left", color="#1b1f24")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=GREY)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    return buffer.getvalue()


def _svg(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # No date or software line in the file: the same numbers give the same bytes.
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    return buffer.getvalue()
