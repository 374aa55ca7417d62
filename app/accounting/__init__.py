"""Figures computed from the land state: totals as of a date, land release over a period."""
