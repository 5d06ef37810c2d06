"""The club's demo — membership. TEMPORARY: until this part is built (the part replaces this module)."""


def load_demo_membership(*, territories: dict, today) -> dict:
    """Returns {"club": Club, "accounts": [(email, what)], "members": int}."""
    raise NotImplementedError
