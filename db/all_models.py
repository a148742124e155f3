"""Imports every table module so Base.metadata knows them all (used by Alembic and tests)."""

import db.access_models  # noqa: F401
import db.delivery_models  # noqa: F401
import db.import_models  # noqa: F401
import db.indicator_models  # noqa: F401
import db.layout  # noqa: F401
import db.meeting_models  # noqa: F401
import db.review_models  # noqa: F401
import db.scorecard_models  # noqa: F401
import db.source_models  # noqa: F401
from db import models  # noqa: F401
