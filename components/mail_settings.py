"""The Members page's mail controls: which mail a person receives, the company's share-safe mail, send now.

The switches save as they are flipped (no Save button): each returns the new choice when it changed, and the
page saves it through the seam.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import streamlit as st

from components.text import plain

KIND_HELP = {
    "pre_read": "Before the review: the month in brief, the scorecard, exceptions, open actions and the draft "
                "board pack.",
    "final_pack": "After the review: the board pack of the closed month.",
    "alerts": "A daily digest when a KPI turns off track, a vanity trap appears, a SQL source is late or an import "
              "fails.",
}


def whose_mail(addresses: Sequence[str], own: str | None) -> str | None:
    """The member whose mail is set here: the signed-in person; without sign-in, the one picked."""
    if own is not None:
        return own if own in addresses else None
    if not addresses:
        return None
    return st.selectbox("Whose mail", addresses, key="mail_person",
                        help="Sign-in is off, so pick the member whose mail you set.")


def mail_switches(email: str, kinds: Mapping[str, str], current: Mapping[str, bool]) -> dict[str, bool] | None:
    """One switch per kind of mail the person's role receives (``kinds``: kind → title); the new choices when a
    switch was flipped, else None."""
    chosen = {kind: st.toggle(title, value=current[kind], key=f"mail_{kind}_{email}", help=KIND_HELP.get(kind))
              for kind, title in kinds.items()}
    return {**current, **chosen} if any(chosen[k] != current[k] for k in chosen) else None


def no_mail_note(role_title: str) -> None:
    st.caption(f"As {plain(role_title)} you receive no mail from this company.")


def share_safe_switch(current: bool) -> bool | None:
    """The company's share-safe mail; the new setting when it was flipped."""
    on = st.toggle("Share-safe mail (amounts of money hidden)", value=current, key="mail_share_safe",
                   help="Pre-reads, board packs and alerts keep changes, % of target and status, and mask every "
                        "absolute amount, in the text and in the attached deck.")
    return on if on != current else None


def send_now_button(month_text: str, configured: str) -> bool:
    """'Send the pre-read now' for the next review; disabled (with why) when mail is not set up."""
    clicked = st.button("Send the pre-read now", icon=":material/send:", disabled=bool(configured),
                        help=f"The pre-read of {month_text} to the members who receive it and do not have it yet.")
    if configured:
        st.caption(plain(configured))
    return clicked


def send_result(lines: Sequence[str], problems: Sequence[str]) -> None:
    if lines:
        st.success("\n".join(f"- {plain(line)}" for line in lines), icon=":material/mark_email_read:")
    for problem in problems:
        st.error(plain(problem), icon=":material/error:")
    if not lines and not problems:
        st.info("Everyone who receives the pre-read already has it; nothing was sent.", icon=":material/info:")
