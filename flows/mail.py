"""Mail on the Members page: a member's own choices, the company's share-safe mail, the pre-read sent now.

Every change goes through ``flows.saving`` (role checked, audited, the company's version raised).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import streamlit as st

import clock
from components.mail_settings import (
    mail_switches,
    no_mail_note,
    send_now_button,
    send_result,
    share_safe_switch,
    whose_mail,
)
from db import service
from db.access import ROLE_TITLES, Member, Permission, Scope
from db.delivery import KIND_TITLES, MailChoices, kinds_for
from db.schedule import Report
from flows.saving import attempt, save
from metrics.periods import month_label
from reports.smtp import MailNotConfigured, MailServer, mail_server


def own_mail(scope: Scope, members: list[Member]) -> None:
    """The switches of the signed-in member (without sign-in, of the member picked), saved as they flip."""
    choices = service.mail_choices(scope)
    own = scope.identity.email.lower() if scope.identity.verified else None
    email = whose_mail([m.email for m in members], own)
    member = next((m for m in members if m.email == email), None)
    if member is None:
        st.caption("Mail goes to the members above, by their addresses." if own is None else
                   "You are not a member of this company by address, so it sends you no mail.")
        return
    kinds = {kind.value: KIND_TITLES[kind] for kind in kinds_for(member.role)}
    if not kinds:
        no_mail_note(ROLE_TITLES[member.role])
        return
    current = asdict(choices.get(member.email, MailChoices()))
    changed = mail_switches(member.email, kinds, current)
    if changed is not None and save(scope, None, "mail.preferences",
                                    lambda s: service.save_mail_choices(s, scope.workspace_id, member.email,
                                                                        MailChoices(**changed)),
                                    detail={"email": member.email, **changed}):
        st.toast("Mail choices saved.")


def company_mail(scope: Scope) -> None:
    """For advisors: share-safe mail, and the pre-read of the next review sent at once."""
    turned = share_safe_switch(service.share_safe_mail(scope))
    if turned is not None and save(scope, Permission.ADMINISTER, "mail.share_safe",
                                   lambda s: service.set_share_safe_mail(s, scope.workspace_id, turned),
                                   detail={"share_safe": turned}):
        st.toast("Share-safe mail is " + ("on." if turned else "off."))
    today = clock.today()
    review = service.coming_review(scope, today)
    try:
        server, configured = mail_server(), ""
    except MailNotConfigured as missing:
        server, configured = None, str(missing)
    if send_now_button(month_label(review.month), configured) and server is not None:
        with st.spinner("Building the board pack and sending the pre-read…"):
            sent, report = attempt(lambda: _send_now(scope, server, today, month_label(review.month)))
        if sent:
            send_result(report.lines, report.problems)


def _send_now(scope: Scope, server: MailServer, today: dt.date, month: str) -> Report:
    """Send, then record who asked (the delivery log already says to whom)."""
    report = service.send_pre_read_now(scope, server, today)
    if report.sent:
        save(scope, Permission.ADMINISTER, "mail.pre_read_sent", lambda _s: None,
             detail={"month": month, "sent": report.sent})
    return report
