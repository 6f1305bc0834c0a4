"""Who a public request comes from, for its rate limit. Behind a reverse proxy or load
balancer every request's peer is the proxy, so every guest would share one limit; the proxy
appends the address it saw to ``X-Forwarded-For``. That header is believed only when the
peer is a trusted proxy (anyone can send one), and only from the right: each trusted proxy
appends, so the right-most address that is not a trusted proxy is the client. Whatever a
client wrote itself stays to the left of it and is ignored."""

from collections.abc import Iterable, Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

Network = IPv4Network | IPv6Network


def client_address(
    peer: str | None, forwarded_for: Iterable[str], *, trusted: Sequence[Network]
) -> str:
    """``forwarded_for``: the values of every ``X-Forwarded-For`` header, in order."""
    if peer is None:
        return "unknown"
    if not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer  # from inside: every hop is one of the proxies


def _is_trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:  # not an address (e.g. "unknown", a garbled hop): not a proxy of ours
        return False
    return any(ip in network for network in trusted)
