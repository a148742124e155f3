"""Typed text reads as typed: what ``plain`` and ``chart_text`` make of markup (the browser test
tests/browser/test_hostile_names_browser.py checks what Chromium then shows)."""

from __future__ import annotations

import pytest

from components.text import as_typed, chart_text, plain

HOSTILE = [
    "![x](http://evil.test/img)",
    "[click](http://evil.test/link)",
    "<img src=x onerror=alert(1)>",
    "**bold** _it_ `code` ~~gone~~",
    "$x$ :red[red] :material/home: :smile:",
    "a@b.test www.example.com https://example.com",
    "&lt;b&gt; &amp;",
    "# heading | table | - list + item 1. one",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_leaves_no_markup_character_unescaped(text: str) -> None:
    escaped = plain(text)
    for index, character in enumerate(escaped):
        if character in "[]()<>*_`~$:!#|&@" and (index == 0 or escaped[index - 1] != "\\"):
            pytest.fail(f"{character!r} unescaped at {index} in {escaped!r}")


@pytest.mark.parametrize(("text", "expected"), [
    ("a@b.test", "a\u2060\\@b\\.test"),
    ("www.example.com", "\u2060www\\.example\\.com"),
    ("https://x.test", "\u2060https\\://x\\.test"),
    ("HTTP://X.TEST", "\u2060HTTP\\://X\\.TEST"),
])
def test_addresses_are_broken_by_an_invisible_word_joiner(text: str, expected: str) -> None:
    """Streamlit makes addresses links after it has read the backslashes: only the joiner stops it."""
    assert plain(text) == expected
    assert as_typed(expected.replace("\\", "")) == text  # reads the same once markdown has taken the backslashes


@pytest.mark.parametrize(("text", "expected"), [
    ("<a href='http://evil.test'>x</a>", "&lt;a href='http://evil.test'&gt;x&lt;/a&gt;"),
    ("R&D <br> 5 > 3", "R&amp;D &lt;br&gt; 5 &gt; 3"),
    ("Plain name", "Plain name"),
])
def test_chart_text_escapes_the_tags_plotly_reads(text: str, expected: str) -> None:
    assert chart_text(text) == expected
