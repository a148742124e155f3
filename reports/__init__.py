"""Exports: the board pack (PowerPoint and PDF) and the spreadsheet downloads."""
