from kit.mail import MailUnitOfWork

from gateway.adapters.partners import PartnerRepository
from gateway.adapters.repository import AccountRepository
from gateway.adapters.webhook_repository import WebhookRepository


class GatewayUnitOfWork(MailUnitOfWork):
    """The gateway's accounts, its partners' feeds, its feed log and webhooks, and the mail
    queue for invitations, password resets and notices to administrators."""

    accounts: AccountRepository
    partners: PartnerRepository
    webhooks: WebhookRepository

    def _build(self) -> None:
        self.accounts = AccountRepository(self.session)
        self.partners = PartnerRepository(self.session)
        self.webhooks = WebhookRepository(self.session, tenant_id=self.tenant_id)
