"""The spec's `output` settings resolved for the PDF writer: the PDF/X standard (or the command
line's override), bleed and marks in points, the output profile read and checked, the print
condition it stands for, and the date that keeps the file reproducible."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from broadsheet.diagnostics import Collector, Pos

if TYPE_CHECKING:  # the spec's models are pydantic's: Press is read back from the cache without them
    from broadsheet.input.spec import Spec

PROFILES = Path(__file__).resolve().parents[3] / "profiles"
#: The bundled profile and the registered condition its data characterise (profiles/README.md).
DEFAULT_PROFILE = PROFILES / "newsprint.icc"
DEFAULT_CONDITION = ("CGATS TR 002", "Coldset newsprint (CGATS TR 002, SNAP)", "http://www.color.org")
#: ReportLab's invariant date: what a plain PDF has always said, and a PDF/X without a date says.
FALLBACK_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
#: Printer's marks sit in a slug this far outside the bleed (crop marks, colour bar, info line).
SLUG = 12 * 72 / 25.4
MARK_NAMES = ("crop", "registration", "colorbar", "info")


@dataclass(frozen=True)
class Press:
    standard: str  # x1a, x4 or none
    bleed: float  # pt beyond the trim on every side
    marks: tuple[str, ...]
    profile: bytes  # the ICC output profile
    profile_name: str  # its description
    condition: str  # OutputConditionIdentifier
    condition_info: str
    registry: str
    intent: str
    ink_limit: float  # percent
    date: datetime
    trapped: bool
    source: str = ""  # the spec's file name (the slug's info line)

    @property
    def pdfx(self) -> bool:
        return self.standard != "none"

    @property
    def slug(self) -> float:
        """The room outside the bleed for marks (0 without marks)."""
        return SLUG if self.marks else 0.0

    @property
    def offset(self) -> float:
        """How far the trim's corner lies inside the MediaBox's: the bleed and the slug."""
        return self.bleed + self.slug


def load_press(spec: Spec, out: Collector, standard: str | None = None) -> Press:
    """The spec's output settings (`standard` overrides `output.pdfx`); a profile that is missing
    or not a CMYK output profile is an error at its spec line."""
    from broadsheet.input.spec import OutputSpec

    m: OutputSpec = spec.model.output if spec.model is not None else OutputSpec()
    where = ("output", "profile")
    path = spec.resolve(m.profile) if m.profile else DEFAULT_PROFILE
    data, name = b"", ""
    try:
        data = path.read_bytes()
        name = _check_profile(data)
    except OSError as exc:
        out.extend([spec.src.diag(where, f"profile {spec.display(path)} cannot be read ({exc.strerror or exc})", code="output")])
    except ValueError as exc:
        out.extend([spec.src.diag(where, f"profile {spec.display(path)}: {exc}", code="output")])
    if m.profile is None and m.condition is None:
        condition, info, registry = DEFAULT_CONDITION
    else:
        # a plant's own profile: its registered name if given, else 'Custom' described by the profile
        condition = m.condition or "Custom"
        info, registry = name or condition, ""
    return Press(
        standard=standard or m.pdfx,
        bleed=m.bleed.pt(),
        marks=tuple(k for k in MARK_NAMES if k in m.marks),
        profile=data,
        profile_name=name,
        condition=condition,
        condition_info=m.condition_info or info,
        registry=m.registry if m.registry is not None else registry,
        intent=m.intent,
        ink_limit=m.ink_limit,
        date=m.date or _source_date(spec, out),
        trapped=m.trapped,
        source=spec.path.name,
    )


def _check_profile(data: bytes) -> str:
    """The description of an ICC output profile for CMYK; ValueError says what else it is."""
    import io

    from PIL import ImageCms

    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ImageCms.PyCMSError) as exc:
        raise ValueError(f"not an ICC profile ({exc})") from None
    space, cls = profile.profile.xcolor_space.strip(), profile.profile.device_class
    if space != "CMYK" or cls != "prtr":
        raise ValueError(f"is a {space} {cls} profile; PDF/X needs a CMYK output (prtr) profile")
    return (profile.profile.profile_description or "").strip()


def _source_date(spec: Spec, out: Collector) -> datetime:
    """SOURCE_DATE_EPOCH (reproducible builds), else the fixed fallback: never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return FALLBACK_DATE
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        out.error(Pos("SOURCE_DATE_EPOCH"), f"SOURCE_DATE_EPOCH must be whole seconds since 1970; got {epoch!r}", "output")
        return FALLBACK_DATE
