"""Colours: which text colour reads on a client's colour, the same on screen and in the board pack."""

from __future__ import annotations

INK = "#1c2430"
WHITE = "#ffffff"
LIGHT_ENOUGH = 160  # perceived brightness (0-255) above which dark text reads better than white


def text_color_on(background: str) -> str:
    """Dark ink or white (#rrggbb), whichever reads better on ``background`` (#rrggbb)."""
    red, green, blue = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    return INK if 0.299 * red + 0.587 * green + 0.114 * blue > LIGHT_ENOUGH else WHITE
