"""The club's demo — pooling. TEMPORARY: loads nothing until this part is built (the part replaces this module)."""


def load_demo_pooling(*, club, today) -> dict:
    return {"listings": 0}
