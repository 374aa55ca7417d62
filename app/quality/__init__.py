"""The authority's data-quality checks: which records look wrong, and by what rule."""
