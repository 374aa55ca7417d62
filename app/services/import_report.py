"""An import report in its reader's language.

A report is kept as data: each refused feature's problem as a code with its params (and the
code of a hint), the counts it says what became of the file with, the import that had the
file before. Whenever a report is read, its sentences are written from that data in the
reader's language, and a hint in the words of where it is read (API or command line).
Reports kept before problems had codes keep their English text.
"""

from __future__ import annotations

from typing import Any

from app.i18n.catalogue import API, translated
from app.i18n.catalogue import told as told_in


def localized(report: dict[str, Any], language: str, channel: str = API) -> dict[str, Any]:
    """``report`` with its sentences in ``language``."""
    told = dict(report)
    told["problems"] = [_problem(p, language, channel) for p in report.get("problems", [])]
    detail = _detail(report)
    if detail is not None:
        told["detail"] = translated(detail["code"], detail["params"], language, "")
    if "transformation_message" in report:
        told["transformation"] = told_in(report["transformation_message"], language)
    if "earlier_import" in report:
        told["warning"] = translated(
            "import.imported_before", {"id": report["earlier_import"]}, language, ""
        )
    return told


def _problem(problem: dict[str, Any], language: str, channel: str) -> dict[str, Any]:
    if "code" not in problem:
        return problem
    told = dict(problem)
    params = problem.get("params", {})
    told["message"] = translated(problem["code"], params, language, problem.get("message", ""))
    hint = problem.get("hint")
    if hint:
        told["hint_text"] = translated(f"{hint}@{channel}", params, language, "") or translated(
            hint, params, language, ""
        )
    return told


def _detail(report: dict[str, Any]) -> dict[str, Any] | None:
    """What became of the others when features are refused (None: none is)."""
    refused = len(report.get("problems", []))
    if not refused or "status" not in report or "features_read" not in report:
        return None
    if report["status"] != "applied":
        outcome = "import.nothing_recorded"
    elif report.get("pending"):
        outcome = "import.others_sent_for_review"
    else:
        outcome = "import.others_recorded"
    return {"code": outcome, "params": {"count": refused, "read": report["features_read"]}}
