"""Sign-in as the API and the login page share it: throttled per account and per address."""

from fastapi import HTTPException, Request, status
from kit.transactions import Transactions

from gateway.adapters.unit_of_work import GatewayUnitOfWork
from gateway.domain.client_address import client_address
from gateway.domain.throttle import TOO_MANY
from gateway.use_cases import accounts


class TooManyAttempts(HTTPException):
    def __init__(self) -> None:
        super().__init__(status.HTTP_429_TOO_MANY_REQUESTS, TOO_MANY, headers={"retry-after": "60"})


def caller_address(request: Request) -> str:
    return client_address(
        request.client.host if request.client else None,
        request.headers.getlist("x-forwarded-for"),
        trusted=request.app.state.runtime.settings.trusted_proxies,
    )


async def throttled_sign_in(
    request: Request, tx: Transactions[GatewayUnitOfWork], *, email: str, password: str
) -> accounts.SignedIn | None:
    """None for a wrong mail or password; raises TooManyAttempts once either limit is
    reached (then even the right password waits: the limit is what stops guessing)."""
    runtime = request.app.state.runtime
    throttle, address = runtime.login_throttle, caller_address(request)
    if throttle.blocked(email=email, address=address):
        raise TooManyAttempts
    ttl = runtime.settings.session_ttl_hours
    signed = await tx.run(
        lambda uow: accounts.sign_in(email=email, password=password, ttl_hours=ttl, uow=uow)
    )
    if signed is None:
        throttle.failed(email=email, address=address)
    return signed
