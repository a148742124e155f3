"""The share-safe text mask: amounts of money written by people in commentary, rationales and notes, in every
common way and locale, become the mask; percentages, years, dates, counts and scores stay as written."""

from __future__ import annotations

import pytest

from metrics.formatting import MASK, mask_currency_text

M = MASK


@pytest.mark.parametrize(("text", "expected"), [
    # the symbol or code before the amount
    ("$3.1M", M),
    ("Grow to $2M ARR", f"Grow to {M} ARR"),
    ("EUR 45,000", M),
    ("EUR45,000", M),
    ("£1.5bn in bookings", f"{M} in bookings"),
    ("¥120,000", M),
    ("US$ 5,000", M),
    ("CHF 1'234'567", M),
    ("Rs. 5,000 per seat", f"{M} per seat"),
    ("R$ 300 mil", M),
    ("€ 45.000,50", M),
    ("cut €40K from events, +12% MQLs", f"cut {M} from events, +12% MQLs"),
    ("a loss of €-5K", f"a loss of {M}"),
    ("−€5K", f"−{M}"),
    ("Sales 2026: USD 4.1m", f"Sales 2026: {M}"),
    ("in 2026 €3M more", f"in 2026 {M} more"),  # the year stays; the symbol opens the amount after it
    # the symbol, code or word after the amount
    ("3.1 M$", M),
    ("45.000 €", M),
    ("45.000 €.", f"{M}."),
    ("1,2 Mio. € more", f"{M} more"),
    ("2,5 Mrd. €", M),
    ("45 k€", M),
    ("40,000 GBP", M),
    ("45000EUR", M),
    ("1.2 million USD", M),
    ("40k euros", M),
    ("27,800 dollars", M),
    ("27 800 dollars", M),
    ("5 US dollars a click", f"{M} a click"),
    ("500 pounds sterling", M),
    ("3 francs", M),
    ("12 rupees", M),
    ("we spent 40k euros 3 times", f"we spent {M} 3 times"),
    # thousands separators of every locale: comma, point, space, no-break and narrow no-break space, apostrophe
    ("1 234 567 €", M),
    ("1\u00a0234\u00a0567 €", M),
    ("1\u202f234\u202f567,89 €", M),
    ("1’234’567 CHF", M),
    ("In 2026 45 000 € spent", f"In 2026 {M} spent"),
    # lakh and crore
    ("₹5,00,000", M),
    ("₹1,25,00,000 raised", f"{M} raised"),
    ("12 lakh", M),
    ("3 crore", M),
    ("₹3 Cr", M),
    # ranges
    ("€1.2–1.5M", M),
    ("$1.2–$1.5M", f"{M}–{M}"),
    # the app's own format, as in the month in brief
    ("revenue $110K (+10.0% vs Feb 2026).", f"revenue {M} (+10.0% vs Feb 2026)."),
    # what must not be masked
    ("12%", "12%"),
    ("a 20% lift", "a 20% lift"),
    ("+12.5 pts", "+12.5 pts"),
    ("2026", "2026"),
    ("Q3 2026", "Q3 2026"),
    ("16/11/2026", "16/11/2026"),
    ("2026-11-16", "2026-11-16"),
    ("16.11.2026", "16.11.2026"),
    ("4,500 clicks", "4,500 clicks"),
    ("3.1M impressions", "3.1M impressions"),
    ("NPS 45", "NPS 45"),
    ("4.5× ROAS", "4.5× ROAS"),
    ("USD rates rose 3%", "USD rates rose 3%"),
    ("12 months", "12 months"),
    ("v3 of 2026", "v3 of 2026"),
    ("in € terms", "in € terms"),
    ("five pounds", "five pounds"),
    ("1 234 567 visits", "1 234 567 visits"),
    ("Pipeline fell 8.4% while impressions rose 31% over Q3 2026; 4,500 MQLs, NPS 45.",
     "Pipeline fell 8.4% while impressions rose 31% over Q3 2026; 4,500 MQLs, NPS 45."),
])
def test_amounts_of_money_in_text_become_the_mask(text: str, expected: str) -> None:
    assert mask_currency_text(text) == expected

