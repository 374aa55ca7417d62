"""The programme's treaty settings: for each treaty the State is party to, its entry into force
(EIF), the extensions granted, the meetings ahead and, for the CCM, the hostilities after EIF.

The settings once held the CCM alone (``{country, eif, extensions, meetings, hostilities}``):
that form is still accepted, and read as the CCM's.

Settings that break a treaty's rules are refused with an ``InvalidInput`` that carries a
message code (app/i18n): raised from the validators, it is not turned into a pydantic error.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal, TypedDict

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.errors import InvalidInput, NotFound
from app.treaty import deadlines
from app.treaty.treaties import APMBC, CCM, ClearanceRules, Treaty

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LEGACY_KEYS = ("eif", "extensions", "meetings", "hostilities")


class ExtensionRequest(TypedDict):
    """The meeting an extension request would reach and the day it is due."""

    meeting: str
    held_on: dt.date
    request_due: dt.date


class Extension(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meeting: Name = Field(description="the meeting that granted it, e.g. 9MSP")
    granted_on: dt.date
    new_deadline: dt.date


class Meeting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    kind: Literal["MSP", "Review Conference"]
    held_on: dt.date


class Hostilities(BaseModel):
    """A period of hostilities after EIF that caused new contamination (CCM Article 4.1(b))."""

    model_config = ConfigDict(extra="forbid")

    name: Name
    ended_on: dt.date


class TreatySettings(BaseModel):
    """One treaty's settings; ``rules`` are the treaty's own."""

    model_config = ConfigDict(extra="forbid")
    rules: ClassVar[ClearanceRules]

    eif: dt.date = Field(description="entry into force of the treaty for the State")
    extensions: list[Extension] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    contamination: list[str] | None = Field(
        None,
        description="the contamination types the treaty covers: the treaty decides them "
        "(CCM: CMR; APMBC: AP mine); when given, they must be those",
    )

    def dates(self) -> list[tuple[str, dt.date]]:
        """Every date of the settings, with the field that gives it."""
        found = [("eif", self.eif)]
        for i, extension in enumerate(self.extensions):
            found += [
                (f"extensions.{i}.granted_on", extension.granted_on),
                (f"extensions.{i}.new_deadline", extension.new_deadline),
            ]
        found += [(f"meetings.{i}.held_on", m.held_on) for i, m in enumerate(self.meetings)]
        return found

    @model_validator(mode="after")
    def _follows_the_treaty(self) -> TreatySettings:
        self._check_contamination()
        self._check_extensions()
        return self

    def _check_contamination(self) -> None:
        covered = list(self.rules.contamination)
        if self.contamination is not None and sorted(self.contamination) != sorted(covered):
            treaty = self.rules.treaty.value
            raise InvalidInput(
                field=f"treaties.{treaty}.contamination",
                code="programme.contamination_fixed",
                params={
                    "treaty": treaty,
                    "covered": ", ".join(covered),
                    "given": ", ".join(self.contamination),
                },
            )

    def _check_extensions(self) -> None:
        treaty = self.rules.treaty.value
        deadline = deadlines.original_deadline(self.eif, self.rules)
        granted = self.eif
        for number, extension in enumerate(self.extensions, start=1):
            field = f"treaties.{treaty}.extensions.{number - 1}"
            if extension.granted_on < granted:
                raise InvalidInput(
                    field=f"{field}.granted_on",
                    code="programme.extension_out_of_order",
                    params={"treaty": treaty, "number": number, "meeting": extension.meeting},
                )
            limit = deadlines.latest_extension_allowed(deadline, self.rules)
            if not deadline < extension.new_deadline <= limit:
                years = self.rules.max_extension_years
                raise InvalidInput(
                    field=f"{field}.new_deadline",
                    code="programme.extension_too_long",
                    params={
                        "treaty": treaty,
                        "number": number,
                        "meeting": extension.meeting,
                        "new_deadline": extension.new_deadline.isoformat(),
                        "deadline": deadline.isoformat(),
                        "years": years,
                        "limit": limit.isoformat(),
                        "article": self.rules.extension_article,
                    },
                )
            deadline, granted = extension.new_deadline, extension.granted_on

    def original_deadline(self) -> dt.date:
        return deadlines.original_deadline(self.eif, self.rules)

    def deadline_in_force(self, on: dt.date) -> dt.date:
        """The deadline after EIF as extended by every extension granted by ``on``."""
        deadline = self.original_deadline()
        for extension in self.extensions:
            if extension.granted_on <= on:
                deadline = extension.new_deadline
        return deadline

    def granted_by(self, on: dt.date) -> list[Extension]:
        return [e for e in self.extensions if e.granted_on <= on]

    def next_request(self, on: dt.date) -> ExtensionRequest | None:
        """The first meeting a request submitted from ``on`` would still reach."""
        for meeting in sorted(self.meetings, key=lambda m: m.held_on):
            due = deadlines.request_due(meeting.held_on, self.rules)
            if due >= on:
                return {"meeting": meeting.name, "held_on": meeting.held_on, "request_due": due}
        return None

    def summary(self, on: dt.date) -> dict[str, Any]:
        """The settings with the dates that follow from them, as of ``on``."""
        in_force = self.deadline_in_force(on)
        rules = self.rules
        return {
            **self.model_dump(exclude={"contamination"}),
            "treaty": rules.treaty.value,
            "title": rules.title,
            "contamination": list(rules.contamination),
            "rules": {
                "clearance_article": rules.clearance_article,
                "deadline_article": rules.deadline_article,
                "years_to_clear": rules.years_to_clear,
                "extension_article": rules.extension_article,
                "max_extension_years": rules.max_extension_years,
                "request_article": rules.request_article,
                "request_months_ahead": rules.request_months_ahead,
                "request_due_rule": rules.request_due_rule,
            },
            "as_of": on,
            "original_deadline": self.original_deadline(),
            "deadline_in_force": in_force,
            "days_left": (in_force - on).days,
            "next_extension_request": self.next_request(on),
        }


class CcmSettings(TreatySettings):
    """The Convention on Cluster Munitions, Article 4."""

    rules: ClassVar[ClearanceRules] = CCM

    hostilities: list[Hostilities] = Field(default_factory=list)

    def dates(self) -> list[tuple[str, dt.date]]:
        found = super().dates()
        found += [(f"hostilities.{i}.ended_on", h.ended_on) for i, h in enumerate(self.hostilities)]
        return found

    @model_validator(mode="after")
    def _hostilities_after_eif(self) -> CcmSettings:
        for number, period in enumerate(self.hostilities):
            if period.ended_on < self.eif:
                raise InvalidInput(
                    field=f"treaties.CCM.hostilities.{number}.ended_on",
                    code="programme.hostilities_before_eif",
                    params={
                        "name": period.name,
                        "ended_on": period.ended_on.isoformat(),
                        "eif": self.eif.isoformat(),
                    },
                )
        return self

    def summary(self, on: dt.date) -> dict[str, Any]:
        return {
            **super().summary(on),
            "hostilities_deadlines": [
                {
                    "name": h.name,
                    "ended_on": h.ended_on,
                    "deadline": deadlines.hostilities_deadline(h.ended_on, self.rules),
                }
                for h in self.hostilities
            ],
        }


class ApmbcSettings(TreatySettings):
    """The Anti-Personnel Mine Ban Convention, Article 5."""

    rules: ClassVar[ClearanceRules] = APMBC


class Treaties(BaseModel):
    model_config = ConfigDict(extra="forbid")

    CCM: CcmSettings | None = Field(None, description="Convention on Cluster Munitions")
    APMBC: ApmbcSettings | None = Field(None, description="Anti-Personnel Mine Ban Convention")

    def named(self) -> dict[Treaty, TreatySettings]:
        """The treaties the State is party to, CCM first."""
        found: dict[Treaty, TreatySettings | None] = {
            Treaty.CCM: self.CCM,
            Treaty.APMBC: self.APMBC,
        }
        return {treaty: settings for treaty, settings in found.items() if settings is not None}


class Programme(BaseModel):
    model_config = ConfigDict(extra="forbid")

    country: Name
    currency: str | None = Field(
        None, pattern="^[A-Z]{3}$", description="ISO 4217 code of the costs of the work plans"
    )
    treaties: Treaties

    @model_validator(mode="before")
    @classmethod
    def _single_ccm_form(cls, data: Any) -> Any:
        """Settings in the form that held the CCM alone are the CCM's."""
        if isinstance(data, dict) and "treaties" not in data and "eif" in data:
            ccm = {key: data[key] for key in LEGACY_KEYS if key in data}
            rest = {key: value for key, value in data.items() if key not in LEGACY_KEYS}
            return {**rest, "treaties": {"CCM": ccm}}
        return data

    @model_validator(mode="after")
    def _names_a_treaty(self) -> Programme:
        if not self.treaties.named():
            raise InvalidInput(
                field="treaties",
                code="programme.no_treaty",
            )
        return self

    def treaty(self, treaty: Treaty) -> TreatySettings:
        """The settings of ``treaty``; NotFound when the State is not party to it."""
        settings = self.treaties.named().get(treaty)
        if settings is None:
            raise NotFound(
                code="programme.treaty_not_set",
                params={"treaty": treaty.value},
            )
        return settings

    def stored(self) -> dict[str, Any]:
        """The document kept for this version of the settings."""
        return self.model_dump(mode="json", exclude_none=True)

    def summary(self, on: dt.date) -> dict[str, Any]:
        """Each treaty's settings with the dates that follow from them, as of ``on``."""
        return {
            "country": self.country,
            "currency": self.currency,
            "as_of": on,
            "treaties": {
                treaty.value: settings.summary(on)
                for treaty, settings in self.treaties.named().items()
            },
        }
