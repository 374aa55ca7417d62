"""Queries composed from clauses: conditions joined with their parameters, a parameter never
silently given two values."""

from __future__ import annotations

import pytest

from app.storage.sql import TRUE, Clause, all_of, merged, where


def test_clauses_join_with_their_parameters() -> None:
    joined = all_of([Clause("a = :a", {"a": 1}), TRUE, Clause("b = :b OR c", {"b": 2})])
    assert joined == Clause("(a = :a) AND (b = :b OR c)", {"a": 1, "b": 2})
    assert where([Clause("a = :a", {"a": 1})]) == Clause("WHERE (a = :a)", {"a": 1})
    assert where([TRUE]) == Clause("", {})


def test_a_parameter_bound_twice_must_agree() -> None:
    assert merged({"as_of": 1}, {"as_of": 1, "x": 2}) == {"as_of": 1, "x": 2}
    with pytest.raises(ValueError, match="as_of"):
        all_of([Clause(":as_of", {"as_of": 1}), Clause(":as_of", {"as_of": 2})])
