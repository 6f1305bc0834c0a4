"""The tenant's staff as the customer screens need them: login email → id for the import's
担当者 column (the gateway owns accounts; the customer service only matches), id → name."""

from dataclasses import dataclass
from uuid import UUID

from gateway.adapters.unit_of_work import GatewayUnitOfWork


@dataclass(frozen=True)
class StaffEntry:
    user_id: UUID
    email: str
    display_name: str


async def staff_of_tenant(*, uow: GatewayUnitOfWork) -> list[StaffEntry]:
    return [
        StaffEntry(user_id=u.id, email=u.email, display_name=u.display_name)
        for u in await uow.accounts.users()
        if u.active
    ]


async def staff_names(*, uow: GatewayUnitOfWork) -> dict[str, str]:
    """id → name of every user of the tenant: one who has left still names what they did
    (a correction, a deletion)."""
    return {str(u.id): u.display_name for u in await uow.accounts.users()}


UNKNOWN_STAFF = "指示の宛先のスタッフが見つかりません。有効なスタッフを選び直してください。"


async def is_active_staff(*, user_id: UUID, uow: GatewayUnitOfWork) -> bool:
    """An active account of the unit's tenant (another tenant's id or a disabled one: no);
    the leader's instruction goes only to such a member (decision 94)."""
    user = await uow.accounts.user(user_id=user_id)
    return user is not None and user.active


async def export_names(*, uow: GatewayUnitOfWork) -> dict[str, dict[str, str]]:
    """What a customer export names but the customer service does not own: every user of
    the tenant (a rep who has left still heads their customers' 担当) and the stores."""
    return {
        "staff": {str(u.id): u.display_name for u in await uow.accounts.users()},
        "stores": {str(s.id): s.label for s in await uow.accounts.stores()},
    }
