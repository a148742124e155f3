"""Text typed by people, made safe for where Streamlit shows it: markdown, and the text of Plotly charts.

Names, reasons, notes and titles must read exactly as typed wherever they appear: never a link, an image, a
colour, maths, an emoji or an icon, never HTML.
"""

from __future__ import annotations

import html
import re

# Every punctuation mark markdown, or Streamlit's additions to it (:colour[…], :icons:, :emoji:, $maths$),
# reads as markup; a backslash before each makes it a plain character.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&@=])")
# Web and e-mail addresses are made links after the backslashes are read, so no escape stops them; an
# invisible word joiner before "http", "www." and "@" does (the address still reads the same).
_ADDRESS_START = re.compile(r"(?=https?:|www\.|@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain(text: str) -> str:
    """Text shown literally in Streamlit markdown (``st.markdown``, captions, alerts, toasts, headings, widget
    labels and help), with or without ``unsafe_allow_html``: '$' is not maths, '_' and '*' are not emphasis,
    '[x](url)' is not a link, '<b>' is not HTML, '&lt;' is not '<', an address is not a link."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _ADDRESS_START.sub(WORD_JOINER, text))


def as_typed(shown: str) -> str:
    """What a person typed after copying text the app showed: without the invisible marks ``plain`` adds."""
    return shown.replace(WORD_JOINER, "")


def chart_text(text: str) -> str:
    """Text shown literally by Plotly (trace names, titles, hover text), which reads a few HTML tags itself —
    '<a href>' among them — and decodes '&lt;' back to '<' when it draws."""
    return html.escape(text, quote=False)
