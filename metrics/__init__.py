"""Pure metric logic: catalog, formulas, periods, validation and scorecards. No UI, no SQL."""
