def load_demo_evaluation(*, territories) -> dict:
    """Built by the evaluation part: last year's evaluation of the CABBALR's fiches."""
    return {}
