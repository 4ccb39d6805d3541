"""Story files: the parser (src/broadsheet/story.py) and the four stories made from the seed page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from broadsheet.diagnostics import InputError
from broadsheet.text.chars import is_cjk
from broadsheet.input.story import Span, load_story, parse_story

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEED_PAGE = SEEDS / "000_cf45e6e7f11bb7f4.txt"
STORY_NAMES = ["huanren", "lingyuan", "sikao", "zhitongche"]

_WS = re.compile(r"\s+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def _nows(s: str) -> str:
    return _WS.sub("", s)


@pytest.fixture(scope="module")
def stories():
    return {n: load_story(SEEDS / f"{n}.md") for n in STORY_NAMES}


def _errors(text: str, file: str = "s.md") -> list[str]:
    with pytest.raises(InputError) as info:
        parse_story(text, file, "s")
    return [str(d) for d in info.value.diagnostics]


# ---------------------------------------------------------------------------------------------
# the seed stories


def test_stories_reproduce_seed_text(stories):
    got = _nows("".join(stories[n].text() for n in STORY_NAMES))
    want = _nows(SEED_PAGE.read_text(encoding="utf-8"))
    if got != want:
        i = next((k for k, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        pytest.fail(
            f"stories differ from the seed at char {i} (lengths {len(got)} vs {len(want)}):\n"
            f"  stories: …{got[max(0, i - 30):i]}[{got[i:i + 30]}]…\n"
            f"  seed:    …{want[max(0, i - 30):i]}[{want[i:i + 30]}]…"
        )


def test_no_dangling_split_paragraphs(stories):
    bad = []
    for name, story in stories.items():
        for b in story.blocks:
            if b.kind != "para":
                continue
            t = b.text.rstrip()
            if not t or _HAN.match(t[-1]) or t[-1] in "、,":
                bad.append(f"{name}.md:{b.line}: …{t[-25:]}")
    assert not bad, "paragraphs split mid-sentence:\n" + "\n".join(bad)


def test_each_paragraph_is_one_line_in_the_files():
    for name in STORY_NAMES:
        text = (SEEDS / f"{name}.md").read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1]
        for chunk in re.split(r"\n\s*\n", body.strip()):
            assert "\n" not in chunk, f"{name}.md: multi-line block {chunk[:30]!r}"


def test_huanren_structure(stories):
    s = stories["huanren"]
    assert [h.role for h in s.head] == ["flag", "kicker", "title", "byline"]
    assert s.head_text("flag") == "■ 前沿观察 GUANCHAO"
    assert s.head_text("kicker") == "上接基层党组织 下通普通群众"
    assert s.head_text("title") == "桓仁特色党小组激发干部群众活力"
    assert s.head_text("byline") == "本报记者 王云峰"
    assert s.head_text("deck") is None
    kinds = [b.kind for b in s.blocks]
    assert kinds.count("subhead") == 3
    assert kinds.count("credit") == 1
    assert len(s.figures) == 2
    assert [f.image for f in s.figures] == ["images/daniugou.jpg", "images/guosongchuan.jpg"]
    assert s.figures[0].text == "北甸子乡大牛沟村党小组成员(左)与农户研究藤引葡萄种植技术。"
    assert s.figures[0].image_path == (SEEDS / "images" / "daniugou.jpg").resolve()
    assert s.figures[0].image_path.is_absolute()
    assert s.blocks_of("subhead")[0].text == "打通“毛细血管”,让支部“转起来”"
    assert s.blocks[-1].kind == "credit" and s.blocks[-1].text == "资料片由桓仁县委组织部提供"
    # figures sit after the second paragraph, before the first subhead, as in the seed
    assert kinds[:5] == ["para", "para", "figure", "figure", "subhead"]
    # the joined paragraph keeps the seed's characters exactly (ASCII comma included)
    assert "也感到特别有意义。”" in s.blocks[0].text
    assert "7月6日,田金龙" in s.blocks[0].text


def test_lingyuan_and_sikao_heads(stories):
    ly = stories["lingyuan"]
    assert ly.head_text("title") == "凌源致力培养农村党员致富带富骨干"
    assert ly.head_text("byline") == "本报记者 王云峰"
    sk = stories["sikao"]
    assert [(h.role, h.text) for h in sk.head] == [
        ("title", "在精准选人用人上下功夫"),
        ("byline", "张维东"),
        ("flag", "【思考】 SHIKAO"),
    ]
    assert [h.line for h in sk.head] == [2, 3, 4]
    assert all(b.kind == "para" for b in sk.blocks)


def test_zhitongche_structure(stories):
    s = stories["zhitongche"]
    assert s.head_text("flag") == "■ 信息直通车 ZHITONGCHE"
    kinds = [b.kind for b in s.blocks]
    assert kinds.count("subhead") == 3
    assert [b.text for b in s.blocks if b.kind == "sign"] == ["盘组宣", "清组宣"]
    # each sign directly follows a paragraph; the last block is the last sign
    for i, b in enumerate(s.blocks):
        if b.kind == "sign":
            assert s.blocks[i - 1].kind == "para"
    assert kinds[-1] == "sign"
    # every item's first paragraph starts with a strong run-in
    firsts = [s.blocks[i + 1] for i, k in enumerate(kinds) if k == "subhead"]
    run_ins = [b.spans[0] for b in firsts]
    assert run_ins == [
        Span("本报讯 记者金晓玲报道", True),
        Span("本报讯", True),
        Span("本报讯", True),
    ]
    assert all(not sp.strong for b in firsts for sp in b.spans[1:])
    assert firsts[0].text.startswith("本报讯 记者金晓玲报道 记者7月15日获悉,")


def test_story_text_order_and_name(stories):
    s = stories["sikao"]
    assert s.name == "sikao"
    assert s.file == str(SEEDS / "sikao.md")
    assert s.text().split("\n")[:3] == ["在精准选人用人上下功夫", "张维东", "【思考】 SHIKAO"]


# ---------------------------------------------------------------------------------------------
# the format


def test_line_joins_cjk_aware():
    s = parse_story("中文第一行\n第二行。\n\nhello\nworld\n\n价格是\n100元\n\nabc,\n中文\n\n“引号”\nok\n", "s.md", "s")
    assert [b.text for b in s.blocks] == ["中文第一行第二行。", "hello world", "价格是100元", "abc,中文", "“引号”ok"]


def test_inner_spaces_and_ascii_punctuation_kept():
    s = parse_story("  本报讯 记者 A,B (C)  \n  续行。  \n", "s.md", "s")
    assert s.blocks[0].text == "本报讯 记者 A,B (C)续行。"


def test_a_line_ending_in_a_backslash_is_a_hard_break():
    s = parse_story("床前明月光，\\\n疑是地上霜。\\\n举头望明月，\n低头思故乡。\\\n\n"
                    "转义\\\\\n续行\n\n末行\\\n", "s.md", "s")
    verse, escaped, last = s.blocks
    # a break where the writer put one, the other lines joined; on the last line it is a backslash
    assert verse.text == "床前明月光，\n疑是地上霜。\n举头望明月，低头思故乡。\\"
    assert [verse.line_of(verse.text.index(c)) for c in "床疑举低"] == [1, 2, 3, 4]
    assert escaped.text == "转义\\续行" and last.text == "末行\\"  # an escaped backslash breaks nothing
    # trailing spaces are no break: wire copy is full of them
    assert parse_story("本报讯  \n续行。\n", "s.md", "s").blocks[0].text == "本报讯续行。"


def test_lines_after_a_quote_mark_are_a_quotation():
    s = parse_story("导语。\n> **编者按** 这是\n> 按语。\n>\n> 第二段。\n正文。\n\n\\> 不是引文\n", "s.md", "s")
    assert [(b.kind, b.role, b.text) for b in s.blocks] == [
        ("para", "body", "导语。"), ("quote", "quote", "编者按 这是按语。"), ("quote", "quote", "第二段。"),
        ("para", "body", "正文。"), ("para", "body", "> 不是引文")]
    assert [sp.strong for sp in s.blocks[1].spans] == [True, False]
    assert [s.blocks[1].line_of(s.blocks[1].text.index(c)) for c in "编按语"] == [2, 2, 3]


def test_a_pipe_table_is_a_block_of_cells_aligned_by_its_delimiter_row():
    s = parse_story("导语。\n| 品种 | 价格 | 涨跌 | 备注 |\n|:--|--:|:-:|---|\n| 白菜 | **1.20** | +8% | 萝\\|卜 |\n"
                    "| 菠菜 | 3.20 |\n正文。\n", "s.md", "s")
    para, table, after = s.blocks
    assert (table.kind, table.line, table.align) == ("table", 2, ["left", "right", "center", "left"])
    assert [[c.text for c in row] for row in table.cells] == [
        ["品种", "价格", "涨跌", "备注"], ["白菜", "1.20", "+8%", "萝|卜"], ["菠菜", "3.20", "", ""]]  # a short row is filled
    assert [c.role for c in table.cells[0]] == ["table_head"] * 4 and table.cells[1][0].role == "table"
    assert table.cells[1][1].spans[-1].strong
    assert table.cells[1][0].place_of(table.cells[1][0].text.index("白")) == (4, 3)
    assert [b.text for b in s.text_blocks()][:3] == ["导语。", "品种", "价格"]
    assert after.text == "正文。"


@pytest.mark.parametrize("table, where, words", [
    ("| 品种 | 价格 |\n| 白菜 | 1.20 |\n", (1, 1), "must be followed by its delimiter row"),
    ("| 品种 | 价格 |\n|---|\n", (2, 1), "the delimiter row has 1 cells and the table's first row 2"),
    ("| 品种 | 价格 |\n|---|---|\n| 白菜 | 1.20 | 多余 |\n", (3, 13), "this row has 3 cells"),
])
def test_a_malformed_table_is_an_error_at_its_line(table, where, words):
    with pytest.raises(InputError) as exc:
        parse_story(table, "s.md", "s")
    [d] = exc.value.diagnostics
    assert (d.pos.line, d.pos.col) == where and words in d.message


def test_no_front_matter(tmp_path):
    f = tmp_path / "one.md"
    f.write_text("\ufeff正文一段,\r\n续行。\r\n\r\n@credit 本报记者 某 摄\r\n", encoding="utf-8")
    s = load_story(f, display="stories/one.md")
    assert (s.name, s.file, s.head) == ("one", "stories/one.md", [])
    assert [(b.kind, b.text, b.line) for b in s.blocks] == [
        ("para", "正文一段,续行。", 1),
        ("credit", "本报记者 某 摄", 4),
    ]


def test_figure_path_with_spaces_needs_angle_brackets():
    errs = _errors('正文。\n\n![图说](pics/a b.jpg "某 摄")\n')
    assert errs[0].startswith("s.md:3:1: error: malformed figure")


def test_figure_parsing(tmp_path):
    f = tmp_path / "one.md"
    f.write_text(
        '正文一段。\n\n![图说 (左) 某某。](pics/a.jpg "本报记者 某 摄")\n'
        "![第二张](<pics/c d.jpg>)\n## 小标题\n**重点\n跨行**收尾。\n@sign 某组宣\n",
        encoding="utf-8",
    )
    s = load_story(f)
    assert [b.kind for b in s.blocks] == ["para", "figure", "figure", "subhead", "para", "sign"]
    a, c = s.figures
    assert (a.text, a.image, a.credit, a.line) == ("图说 (左) 某某。", "pics/a.jpg", "本报记者 某 摄", 3)
    assert a.image_path == (tmp_path / "pics" / "a.jpg").resolve()
    assert (c.text, c.image, c.credit) == ("第二张", "pics/c d.jpg", None)
    assert s.blocks[4].spans == [Span("重点跨行", True), Span("收尾。", False)]
    assert "本报记者 某 摄" in s.text().split("\n")


def test_escapes():
    s = parse_story("\\@不是指令,\\*\\*不是粗体\\*\\*。\n\n\\## 不是标题。\n", "s.md", "s")
    assert [b.text for b in s.blocks] == ["@不是指令,**不是粗体**。", "## 不是标题。"]
    assert all(not sp.strong for b in s.blocks for sp in b.spans)


def test_is_cjk():
    assert all(is_cjk(c) for c in "中\uff0c。、“”—…【】■★")
    assert not any(is_cjk(c) for c in "a1,.()é ")


def test_parse_speed():
    import time

    text = (SEEDS / "huanren.md").read_text(encoding="utf-8")
    t0 = time.perf_counter()
    for _ in range(20):
        parse_story(text, "huanren.md", "huanren")
    assert (time.perf_counter() - t0) / 20 < 0.05


# ---------------------------------------------------------------------------------------------
# errors, with exact positions


def test_unknown_key_did_you_mean():
    errs = _errors("---\nflag: 栏目\ntitel: 标题\n---\n正文。\n")
    assert len(errs) == 1
    assert errs[0].startswith("s.md:3:1: error: unknown key 'titel' (did you mean 'title'?)")


def test_non_string_values():
    errs = _errors("---\ntitle: 2020\nbyline: [张, 王]\ndeck:\n---\n")
    assert errs[0].startswith("s.md:2:8: error: 'title' must be a string, got int")
    assert errs[1].startswith("s.md:3:9: error: 'byline' must be a string, got list")
    assert errs[2].startswith("s.md:4:6: error: 'deck' has no value")
    assert len(errs) == 3


def test_bad_yaml_line_counted_from_file_start():
    errs = _errors("---\ntitle: 标题\n  bad: x\n---\n正文。\n")
    assert len(errs) == 1
    assert errs[0].startswith("s.md:3:6: error: YAML syntax:")


def test_front_matter_not_closed_and_not_mapping():
    assert _errors("---\ntitle: 标题\n正文。\n")[0].startswith("s.md:1:1: error: front matter")
    assert _errors("---\n- 标题\n---\n")[0].startswith("s.md:2:1: error: front matter must be a mapping")


def test_unknown_directive():
    errs = _errors("正文。\n\n@credt 某某摄\n  @sigh 盘组宣\n")
    assert errs[0].startswith("s.md:3:1: error: unknown directive '@credt' (did you mean '@credit'?)")
    assert errs[1].startswith("s.md:4:3: error: unknown directive '@sigh' (did you mean '@sign'?)")


def test_headings_other_than_subhead():
    errs = _errors("# 大标题\n\n正文。\n\n### 三级\n")
    assert len(errs) == 2
    assert errs[0].startswith("s.md:1:1: error: '#' heading: put the story's title in the front matter 'title'")
    assert errs[1].startswith("s.md:5:1: error: '###' heading:")


def test_unclosed_strong():
    errs = _errors("第一行\n这是**重点没有关闭。\n")
    assert errs == ["s.md:2:3: error: unclosed '**' (strong text starts here)"]
    errs = _errors("---\ntitle: 标题\n---\n\n## 小**标题\n")
    assert errs[0].startswith("s.md:5:5: error: unclosed '**'")


def test_sign_needs_paragraph_and_directive_text():
    errs = _errors("## 标题\n@sign 某组宣\n\n正文。\n\n@credit\n")
    assert errs[0].startswith("s.md:2:1: error: '@sign' must follow a paragraph")
    assert errs[1].startswith("s.md:6:1: error: '@credit' needs text")


def test_malformed_figure():
    errs = _errors("正文。\n\n![图说](pics/a.jpg\n")
    assert errs[0].startswith("s.md:3:1: error: malformed figure")


def test_all_errors_of_a_file_reported():
    text = (
        "---\n"            # 1
        "titel: 标题\n"    # 2
        "flag: 2020\n"     # 3
        "---\n"            # 4
        "\n"               # 5
        "# 大标题\n"       # 6
        "\n"               # 7
        "正文**没关。\n"   # 8
        "\n"               # 9
        "@credt 某\n"      # 10
    )
    errs = _errors(text, "stories/x.md")
    assert [e.split(": error")[0] for e in errs] == [
        "stories/x.md:2:1",
        "stories/x.md:3:7",
        "stories/x.md:6:1",
        "stories/x.md:8:3",
        "stories/x.md:10:1",
    ]


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(InputError) as info:
        load_story(tmp_path / "nope.md", display="stories/nope.md")
    assert str(info.value.diagnostics[0]).startswith("stories/nope.md: error:")
    assert "not found" in str(info.value)
    bad = tmp_path / "gbk.md"
    bad.write_bytes("中文正文。".encode("gbk"))
    with pytest.raises(InputError) as info:
        load_story(bad)
    assert str(bad) in str(info.value) and "UTF-8" in str(info.value)


def test_a_story_read_again_with_its_front_matter_unchanged_keeps_its_head(monkeypatch):
    import broadsheet.input.story as story_module

    text = "---\ntitle: 标题\nkicker: 引题\n---\n\n正文。\n"
    before = parse_story(text, "s.md", "s")
    assert before.front == "title: 标题\nkicker: 引题"
    # the same front matter needs no YAML (a story edit's rebuild imports none): its head serves again
    monkeypatch.setattr(story_module._Parser, "front_matter", lambda self, text: pytest.fail("parsed again"))
    again = parse_story(text.replace("正文。", "改过的正文。"), "s.md", "s", before=before)
    assert again.head == before.head and again.blocks[0].text == "改过的正文。"
    monkeypatch.undo()
    changed = parse_story(text.replace("引题", "新引题"), "s.md", "s", before=before)
    assert changed.head_text("kicker") == "新引题"
    # another file's story is no `before` for this one, even with the same front matter
    other = parse_story(text, "other.md", "other")
    monkeypatch.setattr(story_module._Parser, "front_matter", lambda self, text: [])
    assert parse_story(text, "s.md", "s", before=other).head == []
