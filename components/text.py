"""Text helpers for Streamlit markdown."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:])")


def plain(text: str) -> str:
    """Text shown literally in Streamlit markdown: '$' is not maths, '_' and '*' are not emphasis."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
