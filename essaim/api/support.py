"""The support API: free advice slots and bookings (``/api/v1/support/...``)."""

from ninja import Router

router = Router()
