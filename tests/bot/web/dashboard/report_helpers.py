"""Helpers for tests that read the committee report as Word: over HTTP, and from a browser's
download. Kept apart so a longer test (an officer's whole day) can reuse them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import httpx
from docx.document import Document

BAR = "1D70B8"  # the fill of a bar's shown part
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def fetch_docx(client: httpx.Client, **params: str) -> Document:
    """GET /dashboard/report.docx with these filters, checked to be a Word download."""
    response = client.get("/dashboard/report.docx", params=params)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["content-type"] == DOCX
    assert "committee-report.docx" in response.headers["content-disposition"]
    return docx.Document(io.BytesIO(response.content))


def download_docx_in_browser(page: Any) -> Document:
    """On the report page in Chromium: follow "Download as Word (.docx)" and open the file."""
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as Word (.docx)").click()
    download = info.value
    assert download.suggested_filename == "committee-report.docx"
    return docx.Document(io.BytesIO(Path(download.path()).read_bytes()))


def headings(document: Document) -> list[str]:
    """Every heading's text (and the title), in order."""
    return [
        p.text
        for p in document.paragraphs
        if p.style is not None and (p.style.name or "").startswith(("Heading", "Title"))
    ]


def rows(document: Document) -> list[list[str]]:
    """Every table row's cells as text, nested bar tables read as their own (empty) text."""
    found = []
    for table in document.tables:
        for row in table.rows:
            found.append([cell.text.strip() for cell in row.cells])
    return found


def text(document: Document) -> str:
    return "\n".join([p.text for p in document.paragraphs] + ["\t".join(r) for r in rows(document)])


def row_of(document: Document, label: str) -> list[str]:
    matches = [r for r in rows(document) if r and r[0] == label]
    assert matches, f"no row {label!r} in {rows(document)}"
    return matches[0]


def bar_fills(document: Document) -> list[str]:
    """The fill colours of every shaded cell: the bars."""
    fills = []
    for shading in document.element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd"
    ):
        fills.append(
            shading.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill")
        )
    return fills
