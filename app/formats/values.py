"""The values a file writes in its text fields: offered for mapping before an import, so that
a file's own words (``Clearance``, ``CLR``, ``Suspected``) can be given as ours."""

from __future__ import annotations

from itertools import islice

from app.formats.read import SourceLayer, features

# Enough features to see the words a file uses; beyond this many distinct values a field is
# free text (references, notes), not a list of words to map.
SAMPLED_FEATURES = 5_000
MAX_VALUES = 50


def distinct_values(source: SourceLayer) -> dict[str, list[str]]:
    """Each text field's distinct values among the first features, for the fields with few."""
    seen: dict[str, set[str]] = {}
    crowded: set[str] = set()
    for feature in islice(features(source), SAMPLED_FEATURES):
        for field, value in feature.properties.items():
            if field in crowded or not isinstance(value, str) or not value.strip():
                continue
            values = seen.setdefault(field, set())
            values.add(value.strip())
            if len(values) > MAX_VALUES:
                crowded.add(field)
                del seen[field]
    return {
        field: sorted(values, key=lambda v: (v.casefold(), v)) for field, values in seen.items()
    }
