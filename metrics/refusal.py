"""The one shape of the user's errors: a request refused, with a sentence a person can act on.

Every refusal of the app (a rule, a conflict, a missing right, a busy company) derives from ``Refused``, so the
one save function shows them as they are and anything else as a short apology.
"""

from __future__ import annotations


class Refused(ValueError):
    """The request cannot be done as asked; the message says why. Nothing was changed."""
