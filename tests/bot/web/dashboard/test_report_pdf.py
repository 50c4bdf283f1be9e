"""The committee report's PDF itself: its bars are measured on a rasterised page, not trusted."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.web.dashboard import suppress, views_report
from bot.web.dashboard.charts import Bar, Chart
from bot.web.dashboard.views_report import pdf_available, to_pdf
from bot.web.dashboard.web import templates
from tests.bot.web.dashboard.conftest import Dash

needs_pdf = pytest.mark.skipif(
    not pdf_available() or shutil.which("pdftoppm") is None,
    reason="needs WeasyPrint and poppler's pdftoppm",
)

FILL = (0x1D, 0x70, 0xB8)  # the bar
TRACK = (0xE8, 0xE8, 0xE8)  # the rest of its 100 %
BLACK = (0, 0, 0)


def near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 6 for a, b in zip(pixel[:3], colour, strict=True))


def rasterise(pdf: bytes, tmp_path: Path) -> list[list[tuple[int, ...]]]:
    """Every page at 96 dpi, one under the other, as rows of RGB pixels."""
    from PIL import Image

    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "96", "-png", "report.pdf", "page"], cwd=tmp_path, check=True)
    rows: list[list[tuple[int, ...]]] = []
    for png in sorted(tmp_path.glob("page-*.png")):
        image = Image.open(png).convert("RGB")
        width, height = image.size
        raw = image.tobytes()
        rows += [
            [tuple(raw[i : i + 3]) for i in range(y * width * 3, (y + 1) * width * 3, 3)]
            for y in range(height)
        ]
    return rows


def bars_on(rows: list[list[tuple[int, ...]]]) -> list[tuple[int, int]]:
    """(filled, track) pixel lengths of each bar down the page, read along its middle row."""
    found: list[tuple[int, int]] = []
    y = 0
    while y < len(rows):
        row = rows[y]
        fill = sum(near(p, FILL) for p in row)
        track = sum(near(p, TRACK) for p in row)
        if fill + track >= 100:  # a bar is 200 CSS px, about 200 pixels at 96 dpi
            band = y
            while (
                band < len(rows) and sum(near(p, FILL) or near(p, TRACK) for p in rows[band]) >= 100
            ):
                band += 1
            middle = rows[(y + band) // 2]
            found.append((sum(near(p, FILL) for p in middle), sum(near(p, TRACK) for p in middle)))
            y = band
        y += 1
    return found


@needs_pdf
def test_pdf_bars_are_as_long_as_their_percentages_and_coloured(tmp_path: Path) -> None:
    total = suppress.one(10, 5)
    shown = [("None of it", 0), ("Half", 5), ("All", 10)]
    chart = Chart(
        step_id="q",
        question="How much?",
        total=total,
        bars=[
            *(
                Bar(label, suppress.one(n, 5), suppress.one(n, 5).percent_of(total), n / 10)
                for label, n in shown
            ),
            Bar("Few", suppress.Cell(2, "small", 5), "", 0.0),
        ],
        multi=True,
        free_text=False,
    )
    page = templates.from_string(
        '{% from "macros.html" import chart with context %}'
        "<!doctype html><html><body>{{ chart(c) }}</body></html>"
    ).render(c=chart)
    rows = rasterise(to_pdf(page), tmp_path)
    bars = bars_on(rows)
    assert len(bars) == 3, bars  # the hidden figure has no bar at all
    lengths = [fill / (fill + track) for fill, track in bars]
    assert lengths[0] == pytest.approx(0.0, abs=0.02)
    assert lengths[1] == pytest.approx(0.5, abs=0.02)
    assert lengths[2] == pytest.approx(1.0, abs=0.02)
    assert all(fill + track == pytest.approx(200, abs=6) for fill, track in bars), bars
    # Nothing drawn solid black: the fill and track colours are honoured.
    assert not any(sum(near(p, BLACK) for p in row) >= 100 for row in rows)


def shown_percents(html: str) -> list[float]:
    """The percent beside each drawn bar of the report page, top to bottom."""
    found = []
    for row in re.findall(r"<tr><th scope=\"row\">.*?</tr>", html, re.S):
        if 'class="bar"' in row:
            percent = re.search(r"<td>(\d+)%</td>", row)
            found.append(int(percent.group(1)) / 100 if percent else 0.0)
    return found


@needs_pdf
def test_the_downloaded_report_draws_each_bar_as_long_as_its_percentage(
    dash: Dash, tmp_path: Path
) -> None:
    dash.officer("val@council.example", "viewer")
    query = f"event={dash.seeded.north}"
    with dash.login("val@council.example") as val:
        page = val.get(f"/dashboard/report?{query}").text
        assert f'href="/dashboard/report.pdf?{query}"' in page
        pdf = val.get(f"/dashboard/report.pdf?{query}")
    assert pdf.status_code == 200
    expected = shown_percents(page)
    assert 0.0 in expected
    assert any(0 < p < 1 for p in expected)
    bars = bars_on(rasterise(pdf.content, tmp_path))
    drawn = [fill / (fill + track) for fill, track in bars]
    assert drawn == pytest.approx(expected, abs=0.02)


def test_pdf_is_offered_only_when_the_server_can_make_one(
    dash: Dash, monkeypatch: pytest.MonkeyPatch
) -> None:
    dash.officer("val@council.example", "viewer")
    monkeypatch.setattr(views_report, "pdf_available", lambda: False)
    with dash.login("val@council.example") as val:
        page = val.get("/dashboard/report").text
    assert "Download as PDF" not in page
    assert "report.pdf" not in page
    assert "use your browser's Print, then Save as PDF" in page
