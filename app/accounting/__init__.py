"""Figures computed from the land state: totals as of a date, land release over a period, per
region, and as they would be with pending submissions approved. The arithmetic is here; the
sums it starts from are app.storage.figures'."""
