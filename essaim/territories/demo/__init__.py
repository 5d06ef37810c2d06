"""The demo territories (see ``docs/demo.md``)."""

from essaim.territories.demo.artois import load_demo_territories

__all__ = ["load_demo_territories"]
