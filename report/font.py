"""The CJK font embedded in report PDFs: Noto Sans SC (SIL OFL) from the npm package pinned in
web/package.json, cut once to GB 2312's characters plus ASCII and CJK punctuation, so that
fpdf2 loads it in a fraction of a second (the whole 10.6 MB font takes ~0.6 s per document).
The cut is made on first use and kept beside the package (git-ignored); fpdf2 then embeds only
the glyphs a report uses. A character outside GB 2312 (a rare name character) has no glyph."""

from __future__ import annotations

import io
import threading
from functools import cache
from pathlib import Path

# npm packages pinned in web/package.json, installed by `make install` (web/assets.py).
NODE_MODULES = Path(__file__).resolve().parent.parent / "web" / "node_modules"
PACKAGE = NODE_MODULES / "@expo-google-fonts" / "noto-sans-sc"
WEIGHTS = {"": "400Regular/NotoSansSC_400Regular.ttf", "B": "700Bold/NotoSansSC_700Bold.ttf"}
CUT_DIR = NODE_MODULES / ".credit-hub-report-fonts"
_lock = threading.Lock()


def _characters() -> set[int]:
    chars = set(range(0x20, 0x7F)) | set(range(0x3000, 0x3040)) | set(range(0xFF00, 0xFFF0))
    chars |= {0x00B7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2116, 0x2103}
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(ord(bytes([first, second]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return chars


def _cut(source: Path, target: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(source))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_characters())
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    partial.write_bytes(buffer.getvalue())
    partial.replace(target)


@cache
def font_files() -> dict[str, Path]:
    """fpdf2 style ("" regular, "B" bold) -> the cut TTF file (made now if missing)."""
    out = {}
    with _lock:
        for style, name in WEIGHTS.items():
            source = PACKAGE / name
            if not source.is_file():
                raise FileNotFoundError(f"{source}: run `make install` (npm ci in web/)")
            target = CUT_DIR / (source.stem + "-gb2312.ttf")
            if not target.is_file():
                _cut(source, target)
            out[style] = target
    return out


if __name__ == "__main__":  # `make install` prepares the cut once
    for path in font_files().values():
        print(path)
