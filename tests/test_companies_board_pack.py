"""The client's logo on the board pack's title slide: fitted into its corner without stretching, nowhere else."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pptx import Presentation
from pptx.util import Inches

from metrics.logo import prepared_logo
from reports.board_pack import LOGO_BOX, LOGO_NAME, build_board_pack
from tests.review_samples import snapshot


def logo_of(size: tuple[int, int], image_format: str = "PNG"):  # noqa: ANN201 - metrics.logo.Logo
    buffer = io.BytesIO()
    Image.new("RGB", size, "#c0392b").save(buffer, format=image_format)
    return prepared_logo(buffer.getvalue())


def logos(deck: bytes) -> list[list]:
    """The logo pictures of each slide."""
    slides = Presentation(io.BytesIO(deck)).slides
    return [[shape for shape in slide.shapes if shape.name == LOGO_NAME] for slide in slides]


@pytest.mark.parametrize("size, image_format, shown", [
    ((1200, 300), "PNG", (3.0, 0.75)),  # 4:1 fills the width: 3.0 in wide, 3.0 / 4 = 0.75 in high
    ((400, 400), "JPEG", (0.95, 0.95)),  # square: the height holds it
    ((200, 100), "PNG", (1.9, 0.95)),  # 2:1: 0.95 in high, twice that wide
])
def test_the_logo_sits_on_the_title_slide_fitted_to_its_box(size, image_format, shown) -> None:
    deck = build_board_pack(snapshot(), draft=True, logo=logo_of(size, image_format))
    title, *others = logos(deck)
    assert all(not found for found in others)
    [picture] = title
    width, height = picture.width / Inches(1), picture.height / Inches(1)
    assert (round(width, 3), round(height, 3)) == shown
    assert round((picture.left + picture.width) / Inches(1), 3) == LOGO_BOX.left + LOGO_BOX.width  # right-aligned
    assert round(picture.top / Inches(1), 3) == LOGO_BOX.top


def test_without_a_logo_the_deck_has_none() -> None:
    assert all(not found for found in logos(build_board_pack(snapshot(), draft=True)))
