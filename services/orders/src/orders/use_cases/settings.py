"""A tenant's settings of the orders service: how tax is rounded (a tenant's choice under the
invoice rule), and the web shop's signing secret. Callers own the transaction."""

import secrets

from kit.errors import Invalid

from orders.adapters import orm
from orders.adapters.unit_of_work import OrdersUnitOfWork
from orders.domain.tax import Rounding


async def get_settings(*, uow: OrdersUnitOfWork) -> orm.OrdersSettings:
    found = await uow.masters.settings()
    if found is None:
        found = orm.OrdersSettings(tenant_id=uow.tenant_id, tax_rounding=str(Rounding.FLOOR))
        uow.masters.add(found)
    return found


async def set_tax_rounding(*, tax_rounding: str, uow: OrdersUnitOfWork) -> orm.OrdersSettings:
    if tax_rounding not in tuple(Rounding):
        raise Invalid("端数処理は 切捨て・四捨五入・切上げ のいずれかです。",
                      code="invalid_choice", field="tax_rounding")  # fmt: skip
    found = await get_settings(uow=uow)
    found.tax_rounding = tax_rounding
    await uow.masters.flush()
    return found


async def new_shop_secret(*, uow: OrdersUnitOfWork) -> str:
    """A new secret for the web shop's signature; the old one stops working at once."""
    found = await get_settings(uow=uow)
    found.shop_secret = secrets.token_urlsafe(32)
    await uow.masters.flush()
    return found.shop_secret
