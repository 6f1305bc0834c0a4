"""The client a public request's rate limit counts, behind trusted proxies or not."""

from ipaddress import ip_network

from gateway.domain.client_address import client_address
from gateway.settings import GatewaySettings

PROXIES = [ip_network("10.0.0.0/8"), ip_network("192.0.2.10/32")]


def test_without_trusted_proxies_the_peer_is_the_client_whatever_it_forwards() -> None:
    assert client_address("203.0.113.5", ["198.51.100.1"], trusted=[]) == "203.0.113.5"
    # A peer that is not one of the proxies cannot choose its own limit.
    assert client_address("203.0.113.5", ["198.51.100.1"], trusted=PROXIES) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() -> None:
    assert client_address("10.0.0.2", ["198.51.100.7"], trusted=PROXIES) == "198.51.100.7"
    # Two proxies in a row (the load balancer, then an ingress), the header in two lines.
    assert (
        client_address("10.0.0.2", ["198.51.100.7, 192.0.2.10", "10.1.2.3"], trusted=PROXIES)
        == "198.51.100.7"
    )
    # What the client wrote itself is left of the address the proxy saw: ignored.
    assert client_address("10.0.0.2", ["1.2.3.4, 198.51.100.7"], trusted=PROXIES) == "198.51.100.7"
    assert client_address("10.0.0.2", ["garbage, 198.51.100.7"], trusted=PROXIES) == "198.51.100.7"


def test_from_inside_or_without_the_header_the_nearest_address_counts() -> None:
    assert client_address("10.0.0.2", [], trusted=PROXIES) == "10.0.0.2"
    assert client_address("10.0.0.2", ["10.9.9.9, 10.0.0.3"], trusted=PROXIES) == "10.9.9.9"
    assert client_address(None, ["198.51.100.7"], trusted=PROXIES) == "unknown"
    v6 = [ip_network("2001:db8::/32")]
    assert (
        client_address("2001:db8::1", ["2001:db8::2, 2400:cb00::9"], trusted=v6) == "2400:cb00::9"
    )


def test_the_setting_takes_comma_separated_addresses_and_networks(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GATEWAY_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.10")
    settings = GatewaySettings(database_url="postgresql+asyncpg://127.0.0.1/crm_gateway")
    assert settings.trusted_proxies == PROXIES
    monkeypatch.delenv("GATEWAY_TRUSTED_PROXIES")
    assert GatewaySettings(database_url="postgresql+asyncpg://x/y").trusted_proxies == []
