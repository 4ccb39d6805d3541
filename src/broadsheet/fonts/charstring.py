"""Type 2 charstrings (Adobe Technical Note #5177), the outlines of CFF fonts: a glyph's code with
its subroutine calls inlined, and the horizontal extent of the outline it draws.

Inlining follows only what it must: the operand stack (a call's operand is the subroutine's
number), stem hints (to step over the bytes of hint masks) and calls. Anything it does not
follow (seac accents, stack arithmetic) raises `Unsupported`.
"""

from __future__ import annotations

from typing import Sequence


class Unsupported(ValueError):
    """Not a font (or charstring) this code handles: the embedder then uses fontTools; reading a
    face, it is a damaged font."""


def operand(code: bytes, i: int) -> tuple[float, int]:
    """The number that starts at code[i] (its first byte is 28 or 32 to 255), and where the next
    token starts. 255 (16.16 fixed point) is only met in charstrings."""
    b = code[i]
    if b == 28:
        return int.from_bytes(code[i + 1:i + 3], "big", signed=True), i + 3
    if b <= 246:
        return b - 139, i + 1
    if b <= 250:
        return (b - 247) * 256 + code[i + 1] + 108, i + 2
    if b <= 254:
        return -(b - 251) * 256 - code[i + 1] - 108, i + 2
    return int.from_bytes(code[i + 1:i + 5], "big", signed=True) / 65536, i + 5


def bias(subrs: Sequence[bytes] | None) -> int:
    """What a subroutine's number is counted from."""
    n = len(subrs) if subrs is not None else 0
    return 107 if n < 1240 else 1131 if n < 33900 else 32768


class Flattener:
    """Copies Type 2 charstrings with callsubr/callgsubr replaced by the subroutines' code."""

    def __init__(self, gsubrs: Sequence[bytes]):
        self.gsubrs, self.gbias = gsubrs, bias(gsubrs)

    def glyph(self, code: bytes, lsubrs: Sequence[bytes] | None) -> bytes:
        self.out = bytearray()
        self.stack: list[tuple[int, float]] = []  # operands: where each starts in `out`, its value
        self.stems = 0
        self.lsubrs, self.lbias = lsubrs, bias(lsubrs)
        self.depth = 0
        self._run(code)
        return bytes(self.out)

    def _run(self, code: bytes) -> bool:
        """Copy `code`; True once endchar is met (the glyph is complete)."""
        out, stack = self.out, self.stack
        i, n = 0, len(code)
        while i < n:
            b = code[i]
            if b >= 32 or b == 28:  # a number: copied as written
                v, j = operand(code, i)
                stack.append((len(out), v))
                out += code[i:j]
                i = j
                continue
            i += 1
            if b == 10 or b == 29:  # callsubr, callgsubr: the code of subroutine (top of stack + bias)
                if not stack:
                    raise Unsupported("call without an operand")
                at, v = stack.pop()
                del out[at:]
                subrs, bias = (self.lsubrs, self.lbias) if b == 10 else (self.gsubrs, self.gbias)
                if subrs is None or self.depth > 10:
                    raise Unsupported("bad subroutine call")
                self.depth += 1
                done = self._run(subrs[int(v) + bias])
                self.depth -= 1
                if done:
                    return True
                continue
            if b == 11:  # return
                return False
            if b in (1, 3, 18, 23):  # hstem, vstem, hstemhm, vstemhm: pairs of operands
                self.stems += len(stack) // 2
            elif b in (19, 20):  # hintmask, cntrmask: an implied vstem, then a mask byte per 8 stems
                self.stems += len(stack) // 2
                out.append(b)
                mask = (self.stems + 7) // 8
                out += code[i:i + mask]
                i += mask
                stack.clear()
                continue
            elif b == 14 and len(stack) >= 4:
                raise Unsupported("seac accent")
            out.append(b)
            if b == 12:
                if code[i] not in (0, 34, 35, 36, 37):  # not dotsection or flex: stack arithmetic
                    raise Unsupported("charstring arithmetic")
                out.append(code[i])
                i += 1
            stack.clear()
            if b == 14:  # endchar
                return True
        return False


def x_extent(code: bytes) -> tuple[float, float] | None:
    """Walk a charstring without subroutine calls, as Type 2 draws it (Technical Note #5177 §4),
    keeping the least and greatest x of its points and curves."""
    lo, hi = float("inf"), float("-inf")
    x = y = 0.0
    stack: list[float] = []
    stems = 0

    def point() -> None:
        nonlocal lo, hi
        lo, hi = min(lo, x), max(hi, x)

    def curve(dxa: float, dya: float, dxb: float, dyb: float, dxc: float, dyc: float) -> None:
        nonlocal x, y, lo, hi
        x0, x1 = x, x + dxa
        x2 = x1 + dxb
        x3 = x2 + dxc
        y += dya + dyb + dyc
        x = x3
        for t in _extremes(x1 - x0, x2 - x1, x3 - x2):
            u = 1 - t
            v = u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3
            lo, hi = min(lo, v), max(hi, v)
        point()

    i, n = 0, len(code)
    while i < n:
        b = code[i]
        if b >= 32 or b == 28:
            v, i = operand(code, i)
            stack.append(v)
            continue
        i += 1
        a = stack
        if b in (1, 3, 18, 23):
            stems += len(a) // 2
        elif b in (19, 20):
            stems += len(a) // 2
            i += (stems + 7) // 8
        elif b == 21:  # rmoveto (a width may come first: the moves are the last operands)
            x, y = x + a[-2], y + a[-1]
            point()
        elif b == 22:  # hmoveto
            x += a[-1]
            point()
        elif b == 4:  # vmoveto
            y += a[-1]
            point()
        elif b == 5:  # rlineto
            for k in range(0, len(a) - 1, 2):
                x, y = x + a[k], y + a[k + 1]
                point()
        elif b in (6, 7):  # hlineto, vlineto: alternating
            horizontal = b == 6
            for v in a:
                if horizontal:
                    x += v
                else:
                    y += v
                point()
                horizontal = not horizontal
        elif b == 8:  # rrcurveto
            for k in range(0, len(a) - 5, 6):
                curve(*a[k:k + 6])
        elif b == 27:  # hhcurveto
            dy1, k = (a[0], 1) if len(a) % 2 else (0, 0)
            while k + 3 < len(a):
                curve(a[k], dy1, a[k + 1], a[k + 2], a[k + 3], 0)
                dy1, k = 0, k + 4
        elif b == 26:  # vvcurveto
            dx1, k = (a[0], 1) if len(a) % 2 else (0, 0)
            while k + 3 < len(a):
                curve(dx1, a[k], a[k + 1], a[k + 2], 0, a[k + 3])
                dx1, k = 0, k + 4
        elif b in (30, 31):  # vhcurveto, hvcurveto: alternating, a last odd operand ends the last curve
            horizontal = b == 31
            k = 0
            while k + 3 < len(a):
                last = a[k + 4] if len(a) - k == 5 else 0
                if horizontal:
                    curve(a[k], 0, a[k + 1], a[k + 2], last, a[k + 3])
                else:
                    curve(0, a[k], a[k + 1], a[k + 2], a[k + 3], last)
                horizontal, k = not horizontal, k + 4
        elif b == 24:  # rcurveline
            k = 0
            while k + 6 <= len(a) - 2:
                curve(*a[k:k + 6])
                k += 6
            x, y = x + a[k], y + a[k + 1]
            point()
        elif b == 25:  # rlinecurve
            k = 0
            while k + 2 <= len(a) - 6:
                x, y = x + a[k], y + a[k + 1]
                point()
                k += 2
            curve(*a[k:k + 6])
        elif b == 12:
            op = code[i]
            i += 1
            if op == 35:  # flex
                curve(*a[0:6])
                curve(*a[6:12])
            elif op == 34:  # hflex
                curve(a[0], 0, a[1], a[2], a[3], 0)
                curve(a[4], 0, a[5], -a[2], a[6], 0)
            elif op == 36:  # hflex1
                curve(a[0], a[1], a[2], a[3], a[4], 0)
                curve(a[5], 0, a[6], a[7], a[8], -(a[1] + a[3] + a[7]))
            elif op == 37:  # flex1
                dx = sum(a[0:10:2])
                dy = sum(a[1:10:2])
                curve(*a[0:6])
                if abs(dx) > abs(dy):
                    curve(a[6], a[7], a[8], a[9], a[10], -dy)
                else:
                    curve(a[6], a[7], a[8], a[9], -dx, a[10])
        elif b == 14:  # endchar
            break
        stack = []
    return (lo, hi) if lo <= hi else None


def _extremes(a: float, b: float, c: float) -> list[float]:
    """Where in (0, 1) a cubic whose control points differ by a, b, c turns back."""
    qa, qb, qc = a - 2 * b + c, 2 * (b - a), a
    if abs(qa) < 1e-12:
        return [-qc / qb] if abs(qb) > 1e-12 and 0 < -qc / qb < 1 else []
    disc = qb * qb - 4 * qa * qc
    if disc < 0:
        return []
    r = disc ** 0.5
    return [t for t in ((-qb + r) / (2 * qa), (-qb - r) / (2 * qa)) if 0 < t < 1]
