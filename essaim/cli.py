"""The ``essaim`` console script: the same commands as ``manage.py``."""

import os
import sys


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else ["essaim", *sys.argv[1:]])


if __name__ == "__main__":
    main()
