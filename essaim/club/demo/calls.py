"""The club's demo — calls. TEMPORARY: loads nothing until this part is built (the part replaces this module)."""


def load_demo_calls(*, club, today) -> dict:
    return {"answers": 0}
