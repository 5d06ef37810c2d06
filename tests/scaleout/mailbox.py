"""Django's file mail backend with its folder taken from the environment (``EMAIL_FILE_PATH``), for the cluster's
nodes and workers while config/settings.py does not read that variable itself: one file per mail sent, in a
folder all processes share."""

import os

from django.core.mail.backends import filebased


class EmailBackend(filebased.EmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, file_path=file_path or os.environ["EMAIL_FILE_PATH"], **kwargs)
