"""The observatory's demo: snapshots of the ended years and the entered total employment (``figures``), the
evaluation of the fiches (``evaluation``). See ``docs/demo.md``."""

from essaim.observatory.demo.evaluation import load_demo_evaluation
from essaim.observatory.demo.figures import load_demo_figures

__all__ = ["load_demo_observatory"]


def load_demo_observatory(*, territories) -> dict:
    """Loads the observatory's demo for the demo territories; idempotent. Returns what the demo command prints."""
    figures = load_demo_figures(territories=territories)
    evaluation = load_demo_evaluation(territories=territories)
    return {**figures, **evaluation}
