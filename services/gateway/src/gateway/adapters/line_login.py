"""The seam of a LINE login for the booking site (seed 003's LINE連携), not built: it needs a
LINE Login channel (channel id and secret, a registered callback URL) on the LINE platform,
which is out of reach here, and no fake stands in for it. What is fixed already:

- the fields: ``customer_site_accounts.line_user_id`` (unique per tenant) and
  ``line_display_name`` in the customer service (migration 0007), beside the customer's
  ``line_name`` that staff see;
- the adapter below, which an implementation over LINE Login v2.1 (OAuth 2.0 / OpenID
  Connect: authorize → callback with ``code`` → token → ID token's ``sub`` and ``name``)
  would fill;
- the flow it would serve (docs/booking.md, 予約サイト): ``/r/{tenant}/{store}/line`` sends
  the customer to ``authorize_url``; the callback takes ``profile`` and asks the customer
  service to sign in the account with that LINE user id, or — signed in already — to link
  it; the site's cookie is then the same as a password sign-in's.

The site shows no LINE button while ``GatewayRuntime`` has no adapter (always, for now)."""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class LineProfile:
    line_user_id: str  # the ID token's ``sub``: stable per LINE Login channel
    display_name: str


class LineLogin(Protocol):
    def authorize_url(self, *, state: str, redirect_uri: str) -> str:
        """Where to send the customer; ``state`` is checked on the way back (CSRF)."""
        ...

    async def profile(self, *, code: str, redirect_uri: str) -> LineProfile:
        """The callback's ``code`` exchanged for the customer's LINE identity."""
        ...
