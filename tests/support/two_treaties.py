"""A State party to both treaties: CMR hazards (the worked example of the domain reference),
anti-personnel minefields that overlap them, and an anti-tank minefield that neither treaty
covers; each type's facts, and the same facts for the independent reference."""

from __future__ import annotations

from datetime import date

from shapely.geometry import MultiPolygon
from sqlalchemy import Connection

from app.ledger.states import Contamination, EventKind, HazardClass
from app.services import recording
from app.settings import LedgerSettings
from tests.support.reference import ReferenceModel, RefFact
from tests.support.shapes import rect

CCM_EIF = date(2010, 8, 1)
APMBC_EIF = date(2012, 3, 1)  # the first day of the sixth month after accession (Article 17)
PROGRAMME = {
    "country": "Bothland",
    "treaties": {
        "CCM": {
            "eif": CCM_EIF.isoformat(),
            "meetings": [{"name": "9MSP", "kind": "MSP", "held_on": "2019-09-02"}],
        },
        "APMBC": {
            "eif": APMBC_EIF.isoformat(),
            "extensions": [
                {"meeting": "19MSP", "granted_on": "2021-11-19", "new_deadline": "2027-03-01"}
            ],
            "meetings": [{"name": "23MSP", "kind": "MSP", "held_on": "2026-11-30"}],
        },
    },
}
CCM_ONLY = {"country": "Clusterland", "treaties": {"CCM": PROGRAMME["treaties"]["CCM"]}}

CMR, AP, AT = Contamination.CMR, Contamination.AP_MINE, Contamination.AT_MINE
# (reference, contamination, class, recorded on, polygon)
HAZARDS = [
    ("C1", CMR, HazardClass.SHA, date(2009, 5, 1), rect(0, 0, 500, 200)),
    ("M1", AP, HazardClass.SHA, date(2011, 1, 10), rect(300, 100, 800, 400)),  # over C1 and C2
    ("C2", CMR, HazardClass.SHA, date(2012, 3, 1), rect(450, 0, 650, 200)),
    ("A1", AT, HazardClass.SHA, date(2012, 6, 1), rect(700, 0, 900, 100)),
    ("M3", AP, HazardClass.SHA, date(2013, 5, 1), rect(600, 300, 700, 500)),  # half on M1
    ("M2", AP, HazardClass.CHA, date(2014, 3, 1), rect(900, 0, 1100, 300)),
]
# (hazard, kind, date, polygon, items destroyed)
EVENTS = [
    ("C1", EventKind.CONFIRM, date(2013, 6, 1), rect(0, 0, 150, 200), {}),
    ("M1", EventKind.CONFIRM, date(2013, 9, 1), rect(300, 100, 500, 400), {}),
    ("C1", EventKind.CANCEL, date(2014, 6, 1), rect(150, 0, 400, 200), {}),
    ("M1", EventKind.CANCEL, date(2014, 6, 1), rect(500, 100, 800, 300), {}),
    ("C1", EventKind.CLEAR, date(2015, 6, 1), rect(0, 0, 150, 200), {"BLU-26": 14}),
    (
        "M1",
        EventKind.CLEAR,
        date(2016, 5, 1),
        rect(300, 100, 500, 400),
        {"PMN-2": 12, "POMZ-2M": 3},
    ),
    ("C2", EventKind.REDUCE, date(2016, 6, 1), rect(450, 0, 550, 200), {"BLU-26": 1}),
    ("A1", EventKind.CLEAR, date(2016, 7, 1), rect(700, 0, 900, 100), {"TM-62": 2}),
    ("M2", EventKind.REDUCE, date(2017, 4, 1), rect(900, 0, 1000, 300), {}),
    ("M2", EventKind.CLEAR, date(2018, 8, 1), rect(1000, 0, 1100, 300), {"PMN-2": 5}),
]
AS_OF = date(2018, 12, 31)


def record(conn: Connection) -> None:
    """Every hazard, then every event, as recorded in that order."""
    settings = LedgerSettings()
    with conn.begin():
        for reference, contamination, hazard_class, on, polygon in HAZARDS:
            recording.record_hazard(
                conn,
                recording.NewHazard(
                    reference=reference,
                    hazard_class=hazard_class,
                    contamination=contamination,
                    recorded_on=on,
                    footprint=MultiPolygon([polygon]),
                ),
            )
        for reference, kind, on, polygon, items in EVENTS:
            event = recording.NewEvent(kind, on, MultiPolygon([polygon]), items=items)
            recording.record_event(conn, reference, event, settings)


def _facts() -> list[RefFact]:
    contamination = {reference: c.value for reference, c, *_ in HAZARDS}
    facts = [
        RefFact(on, order, f"record {cls.value}", polygon, reference, contamination[reference])
        for order, (reference, _, cls, on, polygon) in enumerate(HAZARDS, start=1)
    ]
    facts += [
        RefFact(on, order, kind.value, polygon, reference, contamination[reference])
        for order, (reference, kind, on, polygon, _) in enumerate(EVENTS, start=len(facts) + 1)
    ]
    return facts


FACTS = _facts()


def reference(contamination: str | None) -> ReferenceModel:
    """The independent replay of one scope (None: every fact, the national scope)."""
    return ReferenceModel(FACTS, contamination=contamination)
