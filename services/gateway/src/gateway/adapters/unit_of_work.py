from kit.mail import MailUnitOfWork

from gateway.adapters.repository import AccountRepository


class GatewayUnitOfWork(MailUnitOfWork):
    """The gateway's accounts, and the mail queue for invitations and password resets."""

    accounts: AccountRepository

    def _build(self) -> None:
        self.accounts = AccountRepository(self.session)
