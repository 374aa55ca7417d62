"""The burn-down chart: remaining land over time, SHA and CHA stacked, the recorded history in
solid areas and the work-plan projection hatched, the treaty's deadline and each extension as
vertical lines. SVG keeps its text as text and names its series (ids ``sha-history``,
``cha-history``, ``projection``, ``deadline-...``) so that it can be read back."""

from __future__ import annotations

import io
from datetime import date, datetime

import matplotlib

matplotlib.use("Agg")  # no screen: render to files only
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
from sqlalchemy import Connection

from app.accounting import figures
from app.reports.labels import Labels
from app.reports.work_plan import Capacity, project
from app.treaty.programme import TreatySettings

SHA_COLOUR = "#f2c500"  # IMAS 07.11-style: suspected in yellow,
CHA_COLOUR = "#d7191c"  # confirmed in red


def chart(
    conn: Connection,
    country: str,
    settings: TreatySettings,
    as_of: date,
    scope: str,
    capacity: Capacity,
    known_at: datetime | None,
    fmt: str,
    labels: Labels,
) -> bytes:
    rules = settings.rules
    start_year = settings.eif.year - 1
    days = [date(y, 12, 31) for y in range(start_year, as_of.year)] + [as_of]
    history = [figures.totals(conn, d, scope, known_at) for d in days]
    deadline = settings.deadline_in_force(as_of)
    plan = project(history[-1].sha_m2, history[-1].cha_m2, as_of, deadline, capacity, rules)

    plt.rcParams["svg.fonttype"] = "none"
    figure, axes = plt.subplots(figsize=(10, 5.6), dpi=120)
    km2 = 1e6
    sha = [t.sha_m2 / km2 for t in history]
    cha = [t.cha_m2 / km2 for t in history]
    # matplotlib's stubs ask for numbers where its date converter takes dates (the x axis).
    axes.stackplot(
        days,  # type: ignore[arg-type]
        cha,
        sha,
        colors=[CHA_COLOUR, SHA_COLOUR],
        labels=[labels("chart.cha_recorded"), labels("chart.sha_recorded")],
    )
    axes.collections[0].set_gid("cha-history")
    axes.collections[1].set_gid("sha-history")
    if plan["years"]:
        future = [as_of] + [date(y["year"], 12, 31) for y in plan["years"]]
        p_cha = [cha[-1]] + [y["remaining_cha_m2"] / km2 for y in plan["years"]]
        p_sha = [sha[-1]] + [y["remaining_sha_m2"] / km2 for y in plan["years"]]
        stacks = axes.stackplot(
            future,  # type: ignore[arg-type]
            p_cha,
            p_sha,
            colors=[CHA_COLOUR, SHA_COLOUR],
            alpha=0.35,
            hatch="//",
            labels=[labels("chart.projection"), None],  # type: ignore[list-item]  # None: no legend entry
        )
        for artist in stacks:
            artist.set_gid("projection")
    lines = [
        (
            labels("chart.original_deadline", article=rules.deadline_article),
            settings.original_deadline(),
        )
    ]
    lines += [
        (labels("chart.extended_by", meeting=_short(e.meeting)), e.new_deadline)
        for e in settings.granted_by(as_of)
    ]
    top = axes.get_ylim()[1]
    for number, (label, day) in enumerate(lines):
        line = axes.axvline(day, color="#1a1a1a", linestyle="--", linewidth=1.2)  # type: ignore[arg-type]
        line.set_gid(f"deadline-{number}")
        # Labels step down so that neighbouring deadlines do not write over each other.
        axes.text(
            day,  # type: ignore[arg-type]
            top * (0.98 - 0.09 * (number % 3)),
            f" {label}\n {day.isoformat()}",
            fontsize=8,
            va="top",
            bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1},
        )
    axes.set_ylabel(labels("chart.y_axis"))
    # The title says which treaty and which contamination the figures are of.
    when = {
        "country": country,
        "as_of": as_of.isoformat(),
        "treaty": rules.treaty.value,
        "article": rules.clearance_article,
    }
    axes.set_title(
        labels("chart.title", **when)
        if scope == "all"
        else labels("chart.title_scope", scope=scope, **when)
    )
    axes.xaxis.set_major_locator(mdates.YearLocator(2))
    axes.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="upper right", fontsize=9)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt)
    plt.close(figure)
    return buffer.getvalue()


def _short(meeting: str) -> str:
    """ "Ninth Meeting of States Parties (9MSP)" -> "9MSP"."""
    if "(" in meeting and meeting.endswith(")"):
        return meeting[meeting.rindex("(") + 1 : -1]
    return meeting
