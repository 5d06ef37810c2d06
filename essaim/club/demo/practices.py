"""The club's demo — practices. TEMPORARY: loads nothing until this part is built (the part replaces this module)."""


def load_demo_practices(*, club, today) -> dict:
    return {"practices": 0}
