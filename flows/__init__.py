"""Page flows: the frame around every page and the steps that read and write through the service seam
(db.service). Components render values; flows are where a page reaches the data."""
