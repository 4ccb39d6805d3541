"""Headlines break between words (a Chinese segmenter), best where the writer paused, and where the
writer typed a line break."""

from __future__ import annotations

import os
import time

import pytest

from broadsheet.fonts.faces import FontChain, FontFinder
from broadsheet.text.compose import Piece, Setting, compose
from broadsheet.text.words import word_boundaries, writer_breaks

from conftest import MINI_SPEC

BOLD = FontChain([FontFinder().find("Noto Serif CJK SC Bold")])
SIZE = 24.0


def title_lines(text: str, chars: float) -> list[str]:
    words = word_boundaries(text)
    setting = Setting(measure=chars * SIZE, align="center", even_lines=True, words=words, preferred=writer_breaks(text))
    return [line.text for line in compose([Piece(text, BOLD, SIZE, (0, 0, 0, 100))], setting)]


@pytest.mark.parametrize("align", ["center", "right"])
def test_a_centred_title_line_fitted_by_its_marks_stays_in_its_column(align):
    # 让“流量” is five ems wide uncompressed; in 4.4 ems its closing quote gives its blank half at
    # the line end and the opening one the rest: the line fills the measure from its left edge
    # (centred by its natural width, it started 0.3 em left of the column, over the next story)
    text = "让“流量”变成“留量”"
    setting = Setting(measure=4.4 * SIZE, align=align, even_lines=True, words=word_boundaries(text),
                      preferred=writer_breaks(text))
    first = compose([Piece(text, BOLD, SIZE, (0, 0, 0, 100))], setting)[0]
    assert first.text == "让“流量”"
    assert first.glyphs[0].x == pytest.approx(0)
    assert first.right == pytest.approx(4.4 * SIZE)


@pytest.mark.parametrize("text,chars,inside", [
    ("全省上下深入学习贯彻党的二十大精神奋力谱写中国式现代化辽宁篇章", 8.5, ["精神", "学习", "贯彻"]),
    ("坚持以人民为中心的发展思想", 6.5, ["思想"]),
    ("我省粮食总产量再创历史新高", 5.5, ["总产量", "粮食"]),
])
def test_titles_never_split_a_word(text, chars, inside):
    lines = title_lines(text, chars)
    assert "".join(lines) == text and len(lines) > 1
    for a, b in zip(lines, lines[1:]):
        for word in inside:
            assert not any(a.endswith(word[:k]) and b.startswith(word[k:]) for k in range(1, len(word))), (lines, word)
    ends = [sum(map(len, lines[:k + 1])) for k in range(len(lines) - 1)]
    assert all(e in word_boundaries(text) for e in ends)


def test_a_long_word_may_break_where_it_is_two_words():
    bounds = word_boundaries("凌源致力培养农村党员致富带富骨干")
    assert 8 in bounds  # 农村|党员
    assert 12 not in word_boundaries("我省粮食总产量")  # 总产|量 is no pair of words


def test_a_units_ratio_is_one_word():
    bounds = word_boundaries("均价（元/斤）和时速（公里/小时）")
    assert not bounds & {4, 5, 12, 13}  # 元/斤, 公里/小时: never broken at their slash
    assert 2 in bounds  # 均价|（


def test_the_writers_space_is_the_preferred_break():
    text = "凝心聚力谋发展 砥砺奋进谱新篇章"
    assert title_lines(text, 10) == ["凝心聚力谋发展", "砥砺奋进谱新篇章"]


@pytest.mark.parametrize("chars", [12, 13])
def test_a_title_of_two_clauses_breaks_between_them_though_other_lines_would_be_more_even(chars):
    # one clause a line, as an editor sets it, rather than `寒流下周抵港　气温` / `或降至6℃`
    assert title_lines("寒流下周抵港　气温或降至6℃", chars) == ["寒流下周抵港", "气温或降至6℃"]


def test_a_typed_line_break_in_the_front_matter_is_kept_and_never_a_traceback(mini):
    mini.write("story.md", "---\ntitle: |\n  乡村振兴\n  看辽宁\nkicker: \"上接\\n下通\"\n---\n\n正文文字。\n")
    mini.spec(MINI_SPEC + "    images: [{file: nowhere.jpg, columns: 1-2, top: 20, lines: 6, caption: \"图说\\n第二行\"}]\n")
    result, _ = mini.build()
    runs = result.document.pages[0].runs()
    assert [r.text for r in runs if r.role == "title"] == ["乡村振兴", "看辽宁"]
    assert [r.text for r in runs if r.role == "kicker"] == ["上接", "下通"]
    # a caption's typed break (a `\n` in the spec's quoted string) is kept as well
    assert [r.text for r in runs if r.role == "caption"] == ["图说", "第二行"]


_HELPER_SCRIPT = """
import os, signal, sys
from broadsheet.text import words
titles = ["全省上下深入学习贯彻党的二十大精神奋力谱写新篇章", "我省粮食总产量再创新高", "农村党员带头致富"]
words.start_helper()
helper = words._helper[1]
served = [sorted(words._segment(t)) for t in titles]
print("parent imported the segmenter:", "rjieba" in sys.modules)
pid = os.fork()
if pid == 0:  # a worker forked from the build: it segments for itself, never through the parent's pipes
    sorted(words._segment(titles[0]))
    os._exit(0 if "rjieba" in sys.modules else 3)
print("worker:", os.waitpid(pid, 0)[1])
os.kill(helper, signal.SIGKILL)  # a helper that is gone: the build segments here
os.waitpid(helper, 0)
again = [sorted(words._segment(t)) for t in titles]
print("fallback imported the segmenter:", "rjieba" in sys.modules, words._helper is None)
print("same:", served == again == [sorted(words._cut(t)) for t in titles], served[1])
del sys.modules["rjieba"]
words.start_helper()  # a process starts one helper in its life: the next builds segment here
print("once:", words._helper is None)
"""


def test_the_helper_segments_as_this_process_would_and_is_never_relied_on(tmp_path):
    """start_helper loads the segmenter in a forked process (the dictionary holds the GIL for 74 ms):
    its cuts are the segmenter's; a process forked later segments for itself; a helper that died
    is replaced by segmenting here; and a process starts one in its life."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _HELPER_SCRIPT], capture_output=True, text=True, timeout=60,
                         cwd=tmp_path, check=True).stdout.splitlines()
    assert out[0] == "parent imported the segmenter: False"
    assert out[1] == "worker: 0"
    assert out[2] == "fallback imported the segmenter: True True"
    assert out[3].startswith("same: True [2, 4")  # 我省|粮食|总产量…
    assert out[4] == "once: True"


def test_the_first_build_of_a_spec_starts_the_helper_and_stops_it(mini, monkeypatch):
    from broadsheet.text import words

    started = []
    monkeypatch.setattr(words, "start_helper", lambda: started.append(True))
    for p in mini.root.iterdir():  # written an hour ago: a project read now is kept
        os.utime(p, (time.time() - 3600,) * 2)
    mini.build()
    mini.build()
    assert started == [True]  # the second build: the spec was loaded before, its headlines are cached
    assert words._helper is None
