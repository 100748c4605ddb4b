"""Who is on the other end of a request: the client's IP address, proxies considered.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as it
was written by our own reverse proxies (`HAIHE_TRUSTED_PROXIES`, addresses or CIDR networks).
Each trusted proxy appends the address it received the request from; reading the chain from the
right, the first address that is not one of our proxies is the client. Without trusted proxies,
or for a request that did not come through one, the client is the socket's peer (REMOTE_ADDR)
and X-Forwarded-For is ignored.
"""

import functools
import ipaddress

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@functools.cache
def _networks(values: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def _address(value: str | None) -> IPAddress | None:
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    # an IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: IPAddress, networks) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> str | None:
    """The client's address as text, or None when the request does not say (no peer)."""
    peer = _address(request.META.get("REMOTE_ADDR"))
    networks = _networks(tuple(getattr(settings, "HAIHE_TRUSTED_PROXIES", ())))
    if peer is None:
        return None
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",") if forwarded else []):
        address = _address(entry)
        if address is None:  # not written by one of our proxies: stop at the last good hop
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
