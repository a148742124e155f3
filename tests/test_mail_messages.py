"""The messages themselves, built from a hand-made review: parts, escaping, links, attachments, share-safe."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest

from metrics.alerts import AlertKind
from metrics.review import share_safe
from reports.mail import (
    PPTX_TYPE,
    AlertLine,
    Attachment,
    Envelope,
    alert_digest_message,
    final_pack_message,
    links_for,
    pre_read_message,
)
from tests.review_samples import snapshot

ENVELOPE = Envelope("Alignboard <review@alignboard.test>", "ceo@northwind.test", "Pre-read")
LINKS = links_for("https://board.example.com/", "northwind-analytics")
MEETING = dt.date(2026, 10, 13)


def reparsed(message: email.message.EmailMessage) -> email.message.EmailMessage:
    """The message as a mail client reads it: through its bytes."""
    return email.message_from_bytes(message.as_bytes(), policy=policy.default)


def bodies(message: email.message.EmailMessage) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def test_links_point_at_the_company_in_the_app() -> None:
    assert LINKS.app == "https://board.example.com/?client=northwind-analytics"
    assert LINKS.scorecard == "https://board.example.com/scorecard?client=northwind-analytics"
    assert links_for("", "northwind-analytics").app == ""


def test_the_pre_read_has_a_text_and_an_html_part_and_the_deck() -> None:
    deck = Attachment("northwind-board-pack-2026-09-DRAFT.pptx", b"PK\x03\x04deck", PPTX_TYPE)
    message = reparsed(pre_read_message(snapshot(), ENVELOPE, meeting=MEETING, links=LINKS, votes=True,
                                        attachments=[deck]))
    assert message["From"] == "Alignboard <review@alignboard.test>" and message["To"] == "ceo@northwind.test"
    assert message.get_content_type() == "multipart/mixed"
    text, html = bodies(message)
    [part] = list(message.iter_attachments())
    assert (part.get_filename(), part.get_content_type(), part.get_content()) == (
        deck.filename, "application/vnd.openxmlformats-officedocument.presentationml.presentation", deck.content)
    assert "meets on Tuesday 13 October 2026" in text
    assert text.index("Brand (the meaning)") < text.index("Aided awareness") < text.index("Growth (the math)") \
        < text.index("Pipeline created")  # Brand and Growth apart, each under its own title
    assert "Off track: Pipeline created: 80% of target; 2 month(s) at this status." in text
    assert "We disagree about this number: New bookings: Confidence CEO 2/5, CMO 4/5." in text
    assert "Vanity trap: Impressions up, Pipeline created not: Impressions rose 22% while pipeline fell 9%." in text
    assert "Action 1" in text and "Overdue" in text
    assert f"Cast your confidence votes on the scorecard: {LINKS.scorecard}" in text
    assert f'<a href="{LINKS.scorecard}">Cast your confidence votes on the scorecard</a>' in html
    assert "$80K" in text and "$80K" in html  # amounts shown: this company's mail is not share-safe


def test_who_does_not_vote_is_pointed_at_the_scorecard_to_read() -> None:
    text, _ = bodies(pre_read_message(snapshot(), ENVELOPE, meeting=MEETING, links=LINKS, votes=False))
    assert "confidence votes" not in text and f"See the scorecard: {LINKS.scorecard}" in text


@pytest.mark.parametrize("typed", ["<script>alert(1)</script>", "Tom & Jerry <b>bold</b>", '"quoted" \'single\''])
def test_typed_text_is_escaped_in_html_and_kept_as_typed_in_text(typed: str) -> None:
    review = snapshot()
    review.actions[0].action.title = typed
    review.kpis[0].owner = typed
    text, html = bodies(pre_read_message(review, ENVELOPE, meeting=MEETING, links=LINKS, votes=True))
    assert typed in text
    assert typed not in html and "<script>" not in html and "<b>" not in html
    assert html.count("&lt;") >= 2 * typed.count("<")


def test_a_company_name_cannot_break_a_header() -> None:
    envelope = Envelope(ENVELOPE.sender, ENVELOPE.recipient, "Pre-read: Evil\r\nBcc: all@x.test Co")
    message = reparsed(pre_read_message(snapshot(), envelope, meeting=MEETING, links=LINKS, votes=True))
    assert message["Subject"] == "Pre-read: Evil Bcc: all@x.test Co" and message["Bcc"] is None


def test_share_safe_mail_masks_every_amount_in_both_parts() -> None:
    text, html = bodies(pre_read_message(share_safe(snapshot()), ENVELOPE, meeting=MEETING, links=LINKS,
                                         votes=True))
    for amount in ("$80K", "$100K", "$95K", "$900", "$1.2M", "1.2M", "$40K"):
        assert amount not in text and amount not in html
    assert "amounts of money are hidden" in text and "•••" in text
    assert "80%" in text  # % of target stays


def test_the_final_pack_says_who_closed_the_month() -> None:
    text, _ = bodies(final_pack_message(snapshot(), ENVELOPE, links=LINKS))
    assert "The review of Sep 2026 for Northwind Analytics was closed by Dana Kim (CEO) on 06 October 2026." in text
    assert "https://board.example.com/review?client=northwind-analytics" in text


def test_an_alert_digest_is_one_mail_grouped_by_kind_with_the_widest_traps_first() -> None:
    alerts = [AlertLine(AlertKind.KPI_OFF_TRACK, "Off track: Revenue", "€1.23M against a target of €1.5M.",
                        "scorecard")]
    alerts += [AlertLine(AlertKind.VANITY_TRAP, f"Vanity trap: Output {i} up, Revenue not", f"Reading {i}.",
                         "output_vs_outcome") for i in range(5)]
    alerts.append(AlertLine(AlertKind.IMPORT_FAILED, "Import failed: finance.csv", "2 problems stopped it.", "data"))
    text, html = bodies(alert_digest_message("Test Co", dt.date(2026, 11, 16), alerts, ENVELOPE, links=LINKS))
    assert text.startswith("7 new alerts at Test Co (16 Nov 2026).")
    assert text.index("KPIs off track") < text.index("Vanity traps") < text.index("Failed imports")
    assert "- Off track: Revenue. €1.23M against a target of €1.5M." in text
    assert "Reading 2." in text and "Reading 3." not in text  # three traps in full, the rest by name
    assert "- 2 more: Output 3 up, Revenue not; Output 4 up, Revenue not." in text
    assert text.count("Open in Alignboard") == 3 and "data?client=northwind-analytics" in html
