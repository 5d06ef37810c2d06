"""The club's public API — practices. TEMPORARY: an empty router until this part is built."""

from ninja import Router

router = Router()
