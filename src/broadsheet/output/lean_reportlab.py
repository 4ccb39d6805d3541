"""ReportLab loaded without what a build does not use: its optional HarfBuzz shaping, and Pillow
until a picture is drawn.

ReportLab's `pdfbase.ttfonts` (imported by its canvas) imports uharfbuzz whenever it is installed,
for shaping text in ReportLab's own TrueType fonts. broadsheet writes its own font objects and
never uses them, and that import costs about 40 ms, a fifth of a warm build, which reads no font
and otherwise never imports HarfBuzz. So while ReportLab loads, `import uharfbuzz` fails for it.

ReportLab's `lib.utils` imports Pillow's `PIL.Image` at its top, for pictures (9 ms of a warm
build's 116 ms of imports, on a page whose photos come from the cache or that has none). So
`PIL.Image` is loaded lazily (importlib's LazyLoader): the module is the real one, and runs its
code on first use of one of its names: a picture drawn, a proof rendered.
"""

from __future__ import annotations

import sys


def load() -> None:
    if "reportlab.pdfbase.ttfonts" in sys.modules:
        return  # loaded already
    _lazy("PIL.Image")
    if "uharfbuzz" in sys.modules:
        return  # HarfBuzz is imported anyway (fonts were read): ReportLab loads as it will
    sys.modules["uharfbuzz"] = None  # type: ignore[assignment]  # makes the import raise ImportError
    try:
        import reportlab.pdfbase.ttfonts  # noqa: F401
    finally:
        del sys.modules["uharfbuzz"]


def _lazy(name: str) -> None:
    """Make `name` a module that imports itself on first use (unless it is imported already)."""
    if name in sys.modules:
        return
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return  # not installed: ReportLab's own import says so
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    parent, _, child = name.rpartition(".")
    # as the import system does for a submodule; and `from PIL import Image` then finds it there
    # without importing it again, which would touch the lazy module (its __spec__) and load it
    setattr(sys.modules[parent], child, module)
