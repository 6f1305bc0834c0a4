"""The web shop's order intake. The gateway forwards the shop's raw body and signature header
with a ``shop`` service token naming the tenant; this service checks the signature against
the tenant's shop secret, which it keeps (settings)."""

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import JSONResponse
from kit.auth import CurrentPrincipal
from kit.errors import Forbidden

from orders.entrypoints.deps import AdminOnly, TxDep
from orders.entrypoints.schemas import OrderRead
from orders.use_cases import settings, shop_intake

MAX_BODY_BYTES = 256 * 1024
SIGNATURE_HEADER = "x-shop-signature"


async def shop_only(principal: CurrentPrincipal) -> None:
    if principal.role not in ("shop", "system"):
        raise Forbidden("Webショップ連携専用の窓口です。")


router = APIRouter()


@router.post(
    "/shop-orders",
    dependencies=[Depends(shop_only)],
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": OrderRead, "description": "同じ注文番号の再送: 既にある受注"}},
)
async def receive_shop_order(shop: shop_intake.ShopOrder, request: Request, tx: TxDep) -> OrderRead:
    """The shop's order, signed over the body as sent (``x-shop-signature``): 201 when it
    became an order, 200 for a resend of the same shop order number."""
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        detail = {"code": "too_large", "message": "注文データが大きすぎます。", "field": "body"}
        return JSONResponse({"detail": detail}, status_code=status.HTTP_413_CONTENT_TOO_LARGE)
    signature = request.headers.get(SIGNATURE_HEADER)
    placed, created = await tx.run(
        lambda uow: shop_intake.receive_shop_order(shop, body=body, signature=signature, uow=uow)
    )
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return JSONResponse(OrderRead.of(placed).model_dump(mode="json"), status_code=code)  # type: ignore[return-value]


@router.post("/settings/shop-secret", dependencies=[AdminOnly])
async def new_shop_secret(tx: TxDep) -> dict[str, str]:
    """A new signing secret for the web shop (shown once)."""
    return {"shop_secret": await tx.run(lambda uow: settings.new_shop_secret(uow=uow))}
