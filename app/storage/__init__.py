"""PostGIS storage: every query lives here (the OGC API composes its own in app.ogc), each
condition written once (conditions.py) and composed as clauses with their parameters (sql.py)."""
