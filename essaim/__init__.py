"""Essaim: the open-source platform of a territory's économie sociale et solidaire."""

__version__ = "0.1.0"
