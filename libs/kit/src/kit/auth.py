"""Short-lived service tokens: the gateway signs who is calling (tenant, user, role, stores);
every service verifies and takes the tenant only from here, never from a request body."""

import time
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from uuid import UUID

import jwt
from fastapi import Depends, HTTPException, Request, status

# portal: the property portal's webhook; public: the booking site acting for a guest;
# shop: the web shop's order intake (forwarded by the gateway, signed by the shop).
Role = Literal["admin", "general", "portal", "public", "shop", "system"]
AUDIENCE = "crm-services"
ISSUER = "crm-gateway"


@dataclass(frozen=True)
class Principal:
    tenant_id: UUID
    role: Role
    user_id: UUID | None = None
    store_ids: tuple[UUID, ...] = field(default_factory=tuple)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def store_scope(self) -> tuple[UUID, ...] | None:
        """The stores whose store-owned data (visits, inquiries, the customer list) this
        caller sees: a 一般 user's own stores; None (every store) for everyone else."""
        return self.store_ids if self.role == "general" else None


class InvalidToken(Exception):
    pass


def mint_service_token(principal: Principal, *, secret: str, ttl_s: int = 60) -> str:
    now = int(time.time())
    claims: dict[str, object] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "exp": now + ttl_s,
        "tid": str(principal.tenant_id),
        "role": principal.role,
        "stores": [str(s) for s in principal.store_ids],
    }
    if principal.user_id is not None:  # portal and system callers have no user
        claims["sub"] = str(principal.user_id)
    return jwt.encode(claims, secret, algorithm="HS256")


def verify_service_token(token: str, *, secret: str, previous: str | None = None) -> Principal:
    """``previous``: the secret before a rotation, still accepted while the services restart
    one by one (docs/runbook.md, "Rotating secrets"); tokens are minted with ``secret``."""
    try:
        try:
            claims = _claims(token, secret)
        except jwt.InvalidSignatureError:
            if not previous:
                raise
            claims = _claims(token, previous)
        return Principal(
            tenant_id=UUID(claims["tid"]),
            role=claims["role"],
            user_id=UUID(claims["sub"]) if claims.get("sub") else None,
            store_ids=tuple(UUID(s) for s in claims.get("stores", [])),
        )
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise InvalidToken(str(exc)) from exc


def _claims(token: str, secret: str) -> dict[str, Any]:
    return jwt.decode(
        token,
        secret,
        algorithms=["HS256"],
        audience=AUDIENCE,
        issuer=ISSUER,
        options={"require": ["exp", "iat", "tid", "role"]},
    )


async def current_principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing service token")
    try:
        common = request.app.state.runtime.common
        return verify_service_token(
            token,
            secret=common.service_token_secret,
            previous=common.service_token_previous_secret,
        )
    except InvalidToken:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "invalid service token") from None


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_admin(principal: Principal, message: str) -> None:
    """管理者 only, for a route that first looks its resource up (another tenant's is 404,
    never 403: the caller learns nothing of it)."""
    from kit.errors import Forbidden

    if not principal.is_admin:
        raise Forbidden(message, code="admin_only")


def admin_only(message: str) -> Any:
    """A route's dependency: 管理者 only, refused before the body is read (a 一般 user's
    attempt changes nothing), in the service's own Japanese words."""
    from kit.errors import Forbidden

    async def check(principal: CurrentPrincipal) -> None:
        if not principal.is_admin:
            raise Forbidden(message, code="admin_only")

    return Depends(check)
