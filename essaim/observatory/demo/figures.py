def load_demo_figures(*, territories) -> dict:
    """Built by the figures part: entered total employment, fiche bindings, the scheme's fiche, past snapshots."""
    return {}
