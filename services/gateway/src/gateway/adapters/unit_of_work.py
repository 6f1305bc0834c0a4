from kit.uow import UnitOfWork

from gateway.adapters.repository import AccountRepository


class GatewayUnitOfWork(UnitOfWork):
    accounts: AccountRepository

    def _build(self) -> None:
        self.accounts = AccountRepository(self.session)
