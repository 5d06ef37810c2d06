"""THE client address of a request, the one every limit, lock-out and seed is keyed on.

Without ``ESSAIM_TRUSTED_PROXIES`` the client is ``REMOTE_ADDR``: a ``X-Forwarded-For`` header is whatever the client
chose to send and is ignored. Behind reverse proxies, the setting says which ones to trust:

- a number ``N`` (``ESSAIM_TRUSTED_PROXIES=1`` for one nginx): each proxy appends the address it received the
  request from, so the client is the ``N``-th entry counted from the RIGHT of ``X-Forwarded-For``; entries further
  left were written by the client and never count;
- addresses or networks (``ESSAIM_TRUSTED_PROXIES=10.0.0.0/8,127.0.0.1``): the header is read only when
  ``REMOTE_ADDR`` is one of them, from the right, skipping the trusted ones; the first other address is the client.

A value that is not an IP address (a forged or broken header) falls back to ``REMOTE_ADDR``.
"""

import functools
import ipaddress

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

UNKNOWN = "0.0.0.0"  # noqa: S104 -- a key for a request without any address, never bound


@functools.lru_cache(maxsize=8)
def parse_trusted_proxies(value: str) -> int | tuple:
    """``ESSAIM_TRUSTED_PROXIES``: a number of proxies (``int``), or a tuple of networks; ``0`` when empty."""
    value = (value or "").strip()
    if not value:
        return 0
    if value.isdigit():
        return int(value)
    try:
        return tuple(ipaddress.ip_network(item.strip(), strict=False) for item in value.split(",") if item.strip())
    except ValueError:
        raise ImproperlyConfigured(
            f"ESSAIM_TRUSTED_PROXIES : un nombre de proxys ou une liste d'adresses et de réseaux, pas « {value} »."
        ) from None


def _address(value: str) -> str | None:
    """``value`` as a normalised IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _trusted(address: str, networks: tuple) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in networks)


def client_ip(request) -> str:
    """The client's address, as described in the module's docstring."""
    remote = _address(request.META.get("REMOTE_ADDR", "") or "") or UNKNOWN
    trusted = parse_trusted_proxies(str(getattr(settings, "ESSAIM_TRUSTED_PROXIES", "") or ""))
    if not trusted:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if isinstance(trusted, int):
        if len(hops) < trusted:  # the proxies did not write what they should: trust nothing
            return remote
        return _address(hops[-trusted]) or remote
    if remote == UNKNOWN or not _trusted(remote, trusted):
        return remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote
        if not _trusted(address, trusted):
            return address
    return _address(hops[0]) if hops else remote
