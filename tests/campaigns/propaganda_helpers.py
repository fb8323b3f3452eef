"""Shared makers of the propaganda tests: a program of Thái Nguyên and its activities, through the services."""

from datetime import date

from campaigns.models import PropagandaActivity, PropagandaProgram
from campaigns.services import activity_create, program_create

STARTS = date(2026, 1, 1)
ENDS = date(2026, 12, 31)  # runs past the frozen today (1/6/2026): later days are refused as future ones
HELD = date(2026, 3, 10)


def make_program(actor, unit, *, title="Tuyên truyền phòng, chống ma túy năm 2026", **kwargs) -> PropagandaProgram:
    values = {"starts_on": STARTS, "ends_on": ENDS, "topics": ["drugs", "cyber_fraud"]}
    values.update(kwargs)
    return program_create(actor=actor, title=title, unit=unit, **values)


def make_activity(actor, program, unit, **kwargs) -> PropagandaActivity:
    values = {"on": HELD, "format": "meeting", "topic": program.topics[0], "audience": 100, "materials": 50}
    values.update(kwargs)
    return activity_create(actor=actor, program=program, unit=unit, **values)
