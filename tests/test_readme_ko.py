"""README.ko.md is README.md in Korean: the same sections, bullets, table rows, code
blocks and commands.

Comments inside code may be translated; the code itself, and every figure a
comment states (an expected output such as ``# 3.0 6.0 9.0``), may not. The
inline commands of the text (``make ...``, ``micrograd-dls ...``, ``pip ...``)
are the same set in both. Both have the same sections in the same order (their
headings name the same code), each section the same number of bullets and the
same tables, and each row of a table names the same code and figures.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = (ROOT / "README.md").read_text(encoding="utf-8")
KOREAN = (ROOT / "README.ko.md").read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
COMMAND = re.compile(r"^(make|micrograd-dls|pip|python)\b")


def blocks(text: str) -> list[tuple[str, str]]:
    """(language, code) of every fenced code block, in order."""
    return FENCE.findall(text)


def split_comment(line: str) -> tuple[str, str]:
    """(code, comment) of one line of Python or shell: '#' outside quotes starts a comment."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1:]
    return line.rstrip(), ""


def code_and_figures(code: str) -> tuple[list[str], list[str]]:
    lines, figures = [], []
    for line in code.splitlines():
        body, comment = split_comment(line)
        lines.append(body)
        figures += re.findall(r"\d+(?:\.\d+)?", comment)
    return lines, figures


def inline_commands(text: str) -> set[str]:
    prose = FENCE.sub("", text)
    return {span for span in re.findall(r"`([^`\n]+)`", prose) if COMMAND.match(span)}


def test_the_korean_readme_is_linked_from_the_top_of_the_english_one():
    top = ENGLISH.split("```", 1)[0]
    assert "[한국어](README.ko.md)" in top
    assert "[English](README.md)" in KOREAN.split("```", 1)[0]


def test_both_have_the_same_number_of_code_blocks_in_the_same_languages():
    assert [lang for lang, _ in blocks(KOREAN)] == [lang for lang, _ in blocks(ENGLISH)]


@pytest.mark.parametrize("i", range(len(blocks(ENGLISH))))
def test_each_code_block_is_the_same_code_with_the_same_figures(i):
    english, korean = blocks(ENGLISH), blocks(KOREAN)
    assert i < len(korean), f"README.ko.md lacks code block {i + 1}"
    (en_lines, en_figures), (ko_lines, ko_figures) = (code_and_figures(english[i][1]),
                                                      code_and_figures(korean[i][1]))
    assert ko_lines == en_lines, f"code block {i + 1} differs"
    assert ko_figures == en_figures, f"code block {i + 1}: its comments state other figures"


def test_both_name_the_same_commands_in_their_text():
    english = inline_commands(ENGLISH)
    assert {"make notebooks", "make bench"} <= english  # the check is not vacuous
    assert inline_commands(KOREAN) == english


def test_the_comparison_sees_a_changed_command():
    """The oracle can fail: one changed option in a block is caught."""
    changed = KOREAN.replace("--iterations 10000", "--iterations 1000", 1)
    assert changed != KOREAN
    assert [code_and_figures(c) for _, c in blocks(changed)] != \
        [code_and_figures(c) for _, c in blocks(ENGLISH)]


def test_a_hash_inside_quotes_is_code_not_a_comment():
    assert split_comment('micrograd-dls graph "J = a#b"  # draw it') == \
        ('micrograd-dls graph "J = a#b"', " draw it")
    assert split_comment("x = 1") == ("x = 1", "")


def sections(text: str) -> list[tuple[str, str]]:
    """(heading, body) of every ``##`` section, in order; code blocks taken out."""
    parts = re.split(r"^## (.*)$", FENCE.sub("", text), flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


def spans(text: str) -> list[str]:
    return re.findall(r"`([^`\n]+)`", text)


def bullets(body: str) -> int:
    return len(re.findall(r"^- ", body, re.M))


def table_rows(body: str) -> list[tuple[list[str], list[str]]]:
    """The code and the figures each row of the section's tables names."""
    rows = [line for line in body.splitlines() if line.startswith("|")]
    return [(sorted(spans(row)), re.findall(r"\d+(?:\.\d+)?", re.sub(r"`[^`]*`", "", row)))
            for row in rows]


def test_both_have_the_same_sections_in_the_same_order():
    english, korean = sections(ENGLISH), sections(KOREAN)
    assert len(english) >= 6  # the check is not vacuous
    assert len(korean) == len(english), [h for h, _ in korean]
    for (en, _), (ko, _) in zip(english, korean):
        assert spans(ko) == spans(en), (en, ko)


@pytest.mark.parametrize("i", range(len(sections(ENGLISH))))
def test_each_section_has_the_same_bullets_and_table_rows(i):
    (heading, english), (_, korean) = sections(ENGLISH)[i], sections(KOREAN)[i]
    assert bullets(korean) == bullets(english), f"{heading}: bullets"
    en_rows, ko_rows = table_rows(english), table_rows(korean)
    assert len(ko_rows) == len(en_rows), f"{heading}: table rows"
    for n, (en, ko) in enumerate(zip(en_rows, ko_rows)):
        assert ko[0] == en[0], f"{heading}, row {n}: names {set(en[0]) ^ set(ko[0])}"
        assert ko[1] == en[1], f"{heading}, row {n}: figures"


def test_the_comparison_sees_a_missing_bullet_and_a_missing_name():
    """The oracle can fail: one bullet or one name taken out is caught."""
    (_, more), = [(h, b) for h, b in sections(KOREAN) if "문서에" in h]
    fewer = more.replace("\n- ", "\n  ", 1)
    assert fewer != more and bullets(fewer) == bullets(more) - 1
    (_, extras), = [(h, b) for h, b in sections(KOREAN) if "extra" in h]
    lacking = extras.replace("`matplotlib`", "matplotlib", 1)
    assert lacking != extras and table_rows(lacking) != table_rows(extras)
