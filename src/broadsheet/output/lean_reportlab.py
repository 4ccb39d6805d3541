"""ReportLab loaded without its optional HarfBuzz shaping.

ReportLab's `pdfbase.ttfonts` (imported by its canvas) imports uharfbuzz whenever it is installed,
for shaping text in ReportLab's own TrueType fonts. broadsheet writes its own font objects and
never uses them, and that import costs about 40 ms, a fifth of a warm build, which reads no font
and otherwise never imports HarfBuzz. So while ReportLab loads, `import uharfbuzz` fails for it.
"""

from __future__ import annotations

import sys


def load() -> None:
    if "reportlab.pdfbase.ttfonts" in sys.modules or "uharfbuzz" in sys.modules:
        return  # loaded already, or HarfBuzz is imported anyway (fonts were read): nothing to save
    sys.modules["uharfbuzz"] = None  # type: ignore[assignment]  # makes the import raise ImportError
    try:
        import reportlab.pdfbase.ttfonts  # noqa: F401
    finally:
        del sys.modules["uharfbuzz"]
