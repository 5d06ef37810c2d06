"""The club's demo — meetings. TEMPORARY: loads nothing until this part is built (the part replaces this module)."""


def load_demo_meetings(*, club, today) -> dict:
    return {"meetings": 0}
