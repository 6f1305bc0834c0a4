"""Use cases never commit: the boundary (kit.transactions) does, so two of them composed in
one transaction commit together or leave nothing at all — rows and outgoing events alike."""

from datetime import date

import pytest
from customer.domain.profile import ProfileInput
from customer.use_cases import flags, follow_up, registration

from .conftest import Service

pytestmark = pytest.mark.database


class Abandoned(Exception):
    """Whatever makes the boundary give the transaction up after both use cases ran."""


def _hanako() -> ProfileInput:
    return ProfileInput(
        family_name="佐藤", given_name="花子", family_kana="サトウ", given_kana="ハナコ",
        phones=["090-2222-3333"], emails=["hanako@example.com"], birth_date=date(1985, 6, 1),
    )  # fmt: skip


async def _left(service: Service) -> tuple:
    return (
        await service.scalar("SELECT count(*) FROM customers"),
        await service.scalar("SELECT count(*) FROM customer_memos"),
        await service.scalar("SELECT count(*) FROM outbox"),
    )


async def test_two_use_cases_in_one_transaction_roll_back_together(service: Service) -> None:
    async def register_then_flag_and_note(uow) -> None:  # type: ignore[no-untyped-def]
        customer_id = await registration.register_customer(_hanako(), uow=uow)
        await flags.set_flags(customer_id, caution=True, caution_memo="要確認", uow=uow)
        await follow_up.add_memo(customer_id, body="初回来店", by=None, uow=uow)
        await uow.session.flush()  # both use cases' writes are in the database, uncommitted
        raise Abandoned

    with pytest.raises(Abandoned):
        await service.runtime.transactions(tenant_id=service.tenant_id).run(
            register_then_flag_and_note
        )
    assert await _left(service) == (0, 0, 0)  # nothing of either use case, no event either


async def test_two_use_cases_in_one_transaction_commit_together(service: Service) -> None:
    async def register_then_flag_and_note(uow):  # type: ignore[no-untyped-def]
        customer_id = await registration.register_customer(_hanako(), uow=uow)
        await flags.set_flags(customer_id, caution=True, caution_memo="要確認", uow=uow)
        await follow_up.add_memo(customer_id, body="初回来店", by=None, uow=uow)
        return customer_id

    tx = service.runtime.transactions(tenant_id=service.tenant_id)
    customer_id = await tx.run(register_then_flag_and_note)
    customers, memos, events = await _left(service)
    assert (customers, memos) == (1, 1) and events >= 1
    caution = "SELECT caution FROM customers WHERE id = :id"
    assert await service.scalar(caution, id=customer_id) is True
