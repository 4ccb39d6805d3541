"""The font licence rule: what a font's OS/2 fsType flags allow broadsheet to do with it. A PDF of
broadsheet embeds a subset of each font's outlines, so a font must allow embedding, subsetting and
outlines (not bitmaps only). The loader refuses such a font where a style names it; `fonts` marks it."""

from __future__ import annotations

RESTRICTED = 0x0002  # restricted licence embedding: may not be embedded at all
NO_SUBSET = 0x0100  # may not be subset
BITMAP_ONLY = 0x0200  # only bitmaps may be embedded


def licence_problem(fs_type: int) -> str | None:
    """Why a font with these flags may not go into broadsheet's PDF, or None when it may."""
    if (fs_type & 0x000F) == RESTRICTED:
        return "its licence forbids embedding it (OS/2 fsType restricted licence)"
    if fs_type & BITMAP_ONLY:
        return "its licence allows only its bitmaps to be embedded (OS/2 fsType 0x0200)"
    if fs_type & NO_SUBSET:
        return "its licence forbids subsetting it, and broadsheet embeds subsets (OS/2 fsType 0x0100)"
    return None
