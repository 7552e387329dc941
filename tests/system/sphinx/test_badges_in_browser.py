"""The extension's level badges in a real browser, under the three themes SDK docs use (furo, light and
dark; alabaster; sphinx-rtd-theme): each badge is shown, of a legible size, its word in a colour that
contrasts with its background, both in the computed style and in the pixels of a screenshot.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from sphinx_sites import INVENTORY, build, write_site

PAGE = """\
# Levels

In a sentence: {neuron-level}`torch_neuronx.trace`, {neuron-level}`--auto-cast <alpha>` and
{neuron-level}`neuron-runtime`.

```{neuron-classification}
```
"""

THEMES = [("furo", "light"), ("furo", "dark"), ("alabaster", "light"), ("sphinx_rtd_theme", "light")]


def luminance(rgb: tuple[int, ...]) -> float:
    """WCAG relative luminance of an sRGB colour."""
    channels = [c / 255 for c in rgb[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pixels(png: bytes) -> list[tuple[int, ...]]:
    """The pixels of an 8-bit RGB or RGBA PNG (what Chromium's screenshots are), without an imaging library."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, header = 8, b"", b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, body = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        header = body if kind == b"IHDR" else header
        chunks += body if kind == b"IDAT" else b""
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, colour, interlace) in ((8, 2, 0), (8, 6, 0)), "an 8-bit RGB(A) PNG"
    size = 3 if colour == 2 else 4
    raw, stride, previous, out = zlib.decompress(chunks), width * size, bytearray(width * size), []
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - size] if x >= size else 0
            up, corner = previous[x], previous[x - size] if x >= size else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                near = min((abs(p - left), 0, left), (abs(p - up), 1, up), (abs(p - corner), 2, corner))[2]
                line[x] = (line[x] + near) & 255
        out += [tuple(line[x : x + 3]) for x in range(0, stride, size)]
        previous = line
    return out


def rgb(css: str) -> tuple[int, ...]:
    """``rgb(17, 99, 41)`` or ``rgba(...)`` as numbers."""
    return tuple(int(float(v)) for v in css[css.index("(") + 1 : -1].split(",")[:3])


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The page built once per theme."""
    built = {}
    for theme in dict(THEMES):
        pytest.importorskip(theme, reason=f"the {theme} theme is not installed (pip install -e '.[docs]')")
        root = tmp_path_factory.mktemp(theme)
        (root / "pyproject.toml").write_text(INVENTORY)
        docs = write_site(root, theme=theme, index=PAGE)
        (docs / "other.rst").unlink()
        done = build(docs, root / "html", "-W")
        assert (done.status, done.warnings) == (0, [])
        built[theme] = done.out / "index.html"
    return built


@pytest.mark.parametrize(("theme", "scheme"), THEMES)
def test_badges_are_visible_and_legible(sites: dict[str, Path], browser: Any, theme: str, scheme: str, tmp_path: Path):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(sites[theme].as_uri())
    badges = page.locator("span.neuron-level")
    # Three roles, then the table's four items, Stable first.
    words = ["Beta", "Alpha", "Stable", "Stable", "Beta", "Beta", "Alpha"]
    assert badges.count() == len(words)
    page.screenshot(path=str(tmp_path / f"{theme}-{scheme}.png"), full_page=True)
    for k, word in enumerate(words):
        badge = badges.nth(k)
        badge.scroll_into_view_if_needed()
        assert badge.is_visible()
        # Screen readers read the label before the word; sighted readers see the word alone.
        assert badge.text_content() == f"classification level: {word}"
        label = badge.locator(".neuron-level-label").bounding_box()
        assert label is not None and label["width"] <= 1 and label["height"] <= 1  # shown to no one
        box = badge.bounding_box()
        assert box is not None and box["width"] >= 20 and 12 <= box["height"] <= 40, (theme, word, box)
        style = badge.evaluate(
            "e => { const s = getComputedStyle(e); return [s.color, s.backgroundColor, parseFloat(s.fontSize)] }"
        )
        ink, paper, font = rgb(style[0]), rgb(style[1]), style[2]
        assert font >= 10, (theme, word, font)
        assert contrast(ink, paper) >= 4.5, (theme, word, style)  # WCAG AA for normal text
        # The pixels: mostly the badge's colour, and the word's strokes contrasting with it.
        shot = pixels(badge.screenshot())
        share = sum(1 for p in shot if contrast(p, paper) < 1.1) / len(shot)
        strokes = sum(1 for p in shot if contrast(p, paper) >= 3)
        assert share >= 0.4 and strokes >= 10, (theme, scheme, word, share, strokes)
    context.close()
