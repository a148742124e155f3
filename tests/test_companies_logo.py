"""A company's details and logo, checked before anything is stored: values worked out by hand."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from metrics.company import CompanyRefused, checked_company, deletion_summary, same_name, tidy_name
from metrics.logo import BANNER_HEIGHT, LogoRefused, banner_image, pixel_size, prepared_logo


def image_file(size: tuple[int, int], image_format: str, mode: str = "RGB", orientation: int | None = None) -> bytes:
    image = Image.new(mode, size, "white" if mode != "1" else 1)
    buffer = io.BytesIO()
    if orientation is None:
        image.save(buffer, format=image_format)
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation  # the orientation tag a camera writes
        image.save(buffer, format=image_format, exif=exif)
    return buffer.getvalue()


def shown_size(data: bytes) -> tuple[str, tuple[int, int]]:
    with Image.open(io.BytesIO(data)) as image:
        return image.format, image.size


def test_a_small_png_is_kept_exactly_as_uploaded() -> None:
    original = image_file((100, 50), "PNG")
    logo = prepared_logo(original, "logo.png")
    assert logo.data == original and logo.mime == "image/png"


@pytest.mark.parametrize("size, image_format, mime, stored", [
    ((2048, 1024), "PNG", "image/png", (512, 256)),
    ((600, 1200), "JPEG", "image/jpeg", (256, 512)),
    ((513, 513), "PNG", "image/png", (512, 512)),
    ((512, 100), "JPEG", "image/jpeg", (512, 100)),  # already fits: untouched
])
def test_a_logo_is_scaled_down_to_fit_512_pixels_in_its_own_format(size, image_format, mime, stored) -> None:
    logo = prepared_logo(image_file(size, image_format))
    assert logo.mime == mime
    assert shown_size(logo.data) == (image_format, stored)
    assert pixel_size(logo) == stored


def test_a_phone_photo_is_stored_upright() -> None:
    # Orientation 6: the camera was turned, the picture must be rotated a quarter turn to be shown upright.
    logo = prepared_logo(image_file((300, 100), "JPEG", orientation=6))
    assert shown_size(logo.data) == ("JPEG", (100, 300))


def truncated_png() -> bytes:
    whole = Image.frombytes("RGB", (200, 200), bytes(range(256)) * 468 + bytes(192))
    buffer = io.BytesIO()
    whole.save(buffer, format="PNG")
    return buffer.getvalue()[:-400]


@pytest.mark.parametrize("data, name, message", [
    (b"", "logo.png", "logo.png is empty"),
    (b"x" * (1024 * 1024 + 1), "big.png", "big.png is 1.1 MB; a logo may be at most 1 MB"),
    (b"x" * (3 * 1024 * 1024 // 2), "big.jpg", "big.jpg is 1.5 MB; a logo may be at most 1 MB"),
    (b"just some text, not a picture", "notes.png", "notes.png is not a readable PNG or JPEG image"),
    (image_file((20, 20), "GIF", mode="P"), "anim.gif", "anim.gif is in GIF format; the logo must be a PNG or a JPEG"),
    (image_file((20, 20), "BMP"), "logo.bmp", "logo.bmp is in BMP format; the logo must be a PNG or a JPEG"),
    (truncated_png(), "cut.png", "cut.png is not a readable PNG or JPEG image"),
    (image_file((10_000, 5_000), "PNG", mode="1"), "huge.png",
     "huge.png is 10,000 × 5,000 pixels, far too large for a logo"),
])
def test_what_is_not_a_usable_logo_is_refused_with_the_reason(data: bytes, name: str, message: str) -> None:
    with pytest.raises(LogoRefused) as refused:
        prepared_logo(data, name)
    assert str(refused.value) == message


def test_the_banner_gets_a_small_copy_of_the_logo() -> None:
    logo = prepared_logo(image_file((2048, 1024), "PNG"))
    address = banner_image(logo)
    assert address.startswith("data:image/png;base64,")
    small = base64.b64decode(address.removeprefix("data:image/png;base64,"))
    assert shown_size(small) == ("PNG", (2 * BANNER_HEIGHT, BANNER_HEIGHT))


@pytest.mark.parametrize("fields, problem", [
    ({"name": ""}, "the company needs a name"),
    ({"name": "   "}, "the company needs a name"),
    ({"name": "x" * 121}, "the name has 121 characters; at most 120 are allowed"),
    ({"currency": "EU"}, "the currency must be a three-letter ISO 4217 code such as EUR or USD, not 'EU'"),
    ({"currency": "XYZ"}, "the currency must be a three-letter ISO 4217 code such as EUR or USD, not 'XYZ'"),
    ({"currency": "euro"}, "the currency must be a three-letter ISO 4217 code such as EUR or USD, not 'euro'"),
    ({"fiscal_year_start_month": 0}, "the fiscal year must start in a month from 1 (January) to 12 (December), not 0"),
    ({"fiscal_year_start_month": 13},
     "the fiscal year must start in a month from 1 (January) to 12 (December), not 13"),
    ({"color": "#1F4E7"}, "the colour must look like #1F4E79, not '#1F4E7'"),
    ({"color": "1F4E79"}, "the colour must look like #1F4E79, not '1F4E79'"),
    ({"color": "navy"}, "the colour must look like #1F4E79, not 'navy'"),
])
def test_each_wrong_field_is_refused_plainly(fields: dict, problem: str) -> None:
    with pytest.raises(CompanyRefused) as refused:
        checked_company(**{"name": "Acme", **fields})
    assert refused.value.problems == (problem,)


def test_every_problem_is_listed_at_once_logo_included() -> None:
    with pytest.raises(CompanyRefused) as refused:
        checked_company("", "EU", 13, "blue", logo=b"not an image", logo_name="acme.png")
    assert len(refused.value.problems) == 5
    assert refused.value.problems[-1] == "acme.png is not a readable PNG or JPEG image"


@pytest.mark.parametrize("fields, expected", [
    ({"name": "  Acme   Ltd ", "currency": "eur", "color": "#ABCDEF"}, ("Acme Ltd", "EUR", 1, "#abcdef")),
    ({"name": "x" * 120, "currency": " usd ", "fiscal_year_start_month": 12}, ("x" * 120, "USD", 12, "#1f4e79")),
    ({"name": "Bloom & Brew", "currency": "CHF", "fiscal_year_start_month": 4}, ("Bloom & Brew", "CHF", 4, "#1f4e79")),
])
def test_good_details_are_tidied(fields: dict, expected: tuple) -> None:
    details = checked_company(**fields)
    assert (details.name, details.currency, details.fiscal_year_start_month, details.color) == expected
    assert details.logo is None


@pytest.mark.parametrize("first, second, same", [
    ("Acme Ltd", "acme ltd", True), ("Acme Ltd", " ACME   LTD ", True), ("Ökoland", "ÖKOLAND", True),
    ("Straße", "STRASSE", True), ("Acme Ltd", "Acme Ltd.", False), ("Acme", "Acme 2", False),
])
def test_names_are_the_same_company_whatever_the_case_and_spacing(first: str, second: str, same: bool) -> None:
    assert same_name(first, second) is same


def test_spaces_are_tidied_in_a_name() -> None:
    assert tidy_name("  Acme \t  Analytics\n") == "Acme Analytics"


def test_a_deletion_is_summed_up_in_the_users_words() -> None:
    rows = {"import_batch": 2, "observation": 1240, "review": 0, "custom_table": 3}
    assert deletion_summary(rows) == "imports: 2, figures: 1,240, custom table: 3"
    assert deletion_summary({"observation": 0}) == "no figures or other data"
