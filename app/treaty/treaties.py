"""The treaties a programme answers to, and what each says about clearing contaminated land.

- The Convention on Cluster Munitions (CCM), Article 4: cluster munition remnants (CMR) are
  cleared within 10 years of entry into force (EIF) for the State (4.1(a)), or of the end of
  the hostilities for contamination that arose after EIF (4.1(b)); an extension of up to
  5 years may be requested (4.5), and renewed (4.8); a request is submitted at least 9 months
  before the meeting that considers it (4.6).
- The Anti-Personnel Mine Ban Convention (APMBC, "Ottawa"), Article 5: anti-personnel mines in
  mined areas are destroyed within 10 years of EIF (5.1); an extension of up to 10 years may
  be requested (5.3), and renewed (5.6); a request sets out what 5.4 lists. The Convention
  sets no date for submitting a request: the States Parties decided at their Seventh Meeting
  (2006) that a request is submitted no fewer than 9 months before the meeting that decides on
  it, which is the rule used here.

Each treaty covers one contamination type of the land-state model: CMR for the CCM, AP mines
for the APMBC. The system records one type per hazard; an area holding both anti-personnel
and anti-tank mines is recorded as ``AP mine``, since its anti-personnel mines bring it under
Article 5 (see docs/figures.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Treaty(StrEnum):
    CCM = "CCM"
    APMBC = "APMBC"


@dataclass(frozen=True)
class ClearanceRules:
    """What a treaty says about clearing the contamination it covers."""

    treaty: Treaty
    title: str
    contamination: tuple[str, ...]  # the contamination types of app.ledger.states it covers
    clearance_article: str  # the article of the clearance obligation
    deadline_article: str  # the deadline after entry into force
    extension_article: str  # how long one extension may be
    request_article: str  # what a request sets out
    transparency_article: str  # the annual report
    max_extension_years: int
    years_to_clear: int = 10
    request_months_ahead: int = 9
    request_due_rule: str = ""  # where the due date of a request comes from
    hostilities_article: str | None = None  # deadlines counted from the end of hostilities

    @property
    def scope(self) -> str:
        """The scope of the land-state model the treaty's figures are computed on."""
        (only,) = self.contamination
        return only


CCM = ClearanceRules(
    treaty=Treaty.CCM,
    title="Convention on Cluster Munitions",
    contamination=("CMR",),
    clearance_article="4",
    deadline_article="4.1(a)",
    extension_article="4.5",
    request_article="4.6",
    transparency_article="7",
    max_extension_years=5,
    request_due_rule="Article 4.6",
    hostilities_article="4.1(b)",
)
APMBC = ClearanceRules(
    treaty=Treaty.APMBC,
    title="Anti-Personnel Mine Ban Convention",
    contamination=("AP mine",),
    clearance_article="5",
    deadline_article="5.1",
    extension_article="5.3",
    request_article="5.4",
    transparency_article="7",
    max_extension_years=10,
    request_due_rule="decision of the Seventh Meeting of the States Parties (2006)",
)
RULES: dict[Treaty, ClearanceRules] = {Treaty.CCM: CCM, Treaty.APMBC: APMBC}
