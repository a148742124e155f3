"""Reading people's exports: CSV and Excel files, their layouts and number formats, turned into long rows.

Pure Python and pandas (no Streamlit, no SQL): the database side lives in ``db/imports.py``.
"""
