"""HarfBuzz faces of font files (fonts/harfbuzz.py): opened once per file version, counted, and
imported only when a font is actually read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTCollection

from broadsheet.fonts import harfbuzz

from conftest import small_truetype


ROOT = Path(__file__).resolve().parents[2]


def test_harfbuzz_is_imported_only_to_read_fonts(tmp_path):
    """The command line's modules do not import uharfbuzz (40 ms), nor does a build whose faces
    and subsets are cached: only the first, cold build reads fonts."""
    env_cache = tmp_path / "cache"
    code = (
        "import sys, os\n"
        f"os.environ['BROADSHEET_CACHE'] = {str(env_cache)!r}\n"
        "import broadsheet.cli\n"
        "assert 'uharfbuzz' not in sys.modules, 'imported at start-up'\n"
        "from pathlib import Path\n"
        "from broadsheet.tools.build import build\n"
        f"build(Path({str(ROOT / 'layout' / 'dangjian.yaml')!r}), Path({str(tmp_path / 'out.pdf')!r}), True)\n"
        "print('uharfbuzz' in sys.modules)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert [run.stdout.strip() for run in runs] == ["True", "False"]  # cold reads fonts; warm does not


def test_faces_are_counted_and_a_file_that_is_no_font_has_none(tmp_path):
    collection = TTCollection()
    collection.fonts = [small_truetype("One", 600), small_truetype("Two", 700), small_truetype("Three", 800)]
    collection.save(tmp_path / "three.ttc")
    small_truetype("Single", 600).save(tmp_path / "single.ttf")
    (tmp_path / "text.otf").write_bytes(b"not a font at all")
    assert [harfbuzz.faces_in(tmp_path / n) for n in ("three.ttc", "single.ttf", "text.otf")] == [3, 1, 0]
    assert harfbuzz.face(tmp_path / "three.ttc", 2).upem == 1000
    assert harfbuzz.font(tmp_path / "single.ttf").scale == (1000, 1000)  # font units


def test_a_font_file_is_opened_once_until_it_changes(tmp_path):
    path = tmp_path / "edited.ttf"
    small_truetype("Edited", 600).save(path)
    first = harfbuzz.font(path)
    assert harfbuzz.font(path) is first and harfbuzz.face(path) is harfbuzz.face(tmp_path / "." / "edited.ttf")
    assert first.get_glyph_h_advance(1) == 600
    small_truetype("Edited", 700).save(path)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10 ** 9))  # (a coarse clock)
    again = harfbuzz.font(path)
    assert again is not first and again.get_glyph_h_advance(1) == 700
