#!/usr/bin/env python
"""Django's command-line utility; ``essaim`` (the console script) does the same."""

from essaim.cli import main

if __name__ == "__main__":
    main()
