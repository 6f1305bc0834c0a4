from kit.mail import MailUnitOfWork

from gateway.adapters.partners import PartnerRepository
from gateway.adapters.repository import AccountRepository


class GatewayUnitOfWork(MailUnitOfWork):
    """The gateway's accounts, its partners' feeds, and the mail queue for invitations and
    password resets."""

    accounts: AccountRepository
    partners: PartnerRepository

    def _build(self) -> None:
        self.accounts = AccountRepository(self.session)
        self.partners = PartnerRepository(self.session)
