"""The booking site's customer accounts (予約サイト, BKG-10, seed 003). The customer service owns
them because it owns the customer they sign in as: the identity mail, merges and withdrawal
are its rules (docs/decisions.md 55).

- ``register``: a new mail becomes a customer (the guests' identity rule) with an account
  and a temporary password by mail; a known customer's mail gets the password (or, with an
  account already, a 「既にアカウントをお持ちです」 mail) and nothing of the customer changes —
  whoever typed it learns nothing on screen and takes nothing over.
- ``open_for_booking``: a guest's first booking opens the account the same way.
- ``sign_in``: the password or an unexpired temporary one; the same refusal for an unknown
  mail, a wrong password and a withdrawn customer.
- ``change_password`` and ``reset`` (a new temporary password; the old one keeps working
  until the temporary one is used)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from kit.clock import local
from kit.passwords import hash_password, temporary_password, verify_password

from customer.adapters.orm import Customer, SiteAccount
from customer.adapters.unit_of_work import CustomerUnitOfWork
from customer.domain.errors import ProfileError
from customer.domain.profile import parse_email, parse_phone
from customer.domain.site_accounts import (
    TEMPORARY_TTL,
    Mail,
    SignInFailed,
    already_registered_mail,
    check_new_password,
    reset_mail,
    temporary_password_mail,
)
from customer.use_cases.guests import identify_guest

WEEKDAYS = "月火水木金土日"


@dataclass(frozen=True)
class SiteLinks:
    """What the mails point to and sign with, as the gateway serves the store's site."""

    shop: str
    login_url: str
    reset_url: str


@dataclass(frozen=True)
class SignedIn:
    customer_id: UUID
    name: str
    email: str
    must_change: bool


def _when(moment: datetime) -> str:
    t = local(moment)
    return f"{t:%Y/%m/%d}({WEEKDAYS[t.weekday()]}) {t:%H:%M}"


async def _send(mail: Mail, *, to: str, uow: CustomerUnitOfWork) -> None:
    assert uow.tenant_id is not None
    await uow.mail.add(tenant_id=uow.tenant_id, recipient=to, subject=mail.subject, body=mail.body)


async def register(
    *, name: str, name_kana: str | None, email: str, phone: str, store_id: UUID | None,
    links: SiteLinks, now: datetime, uow: CustomerUnitOfWork,
) -> None:  # fmt: skip
    """Whatever the mail, the caller is told the same: 「ご案内をメールでお送りしました」."""
    if not name.strip():
        raise ProfileError("お名前を入力してください。", field="name")
    address = parse_email(email, field_name="email")
    parse_phone(phone, field_name="phone")
    existing = await uow.site_accounts.by_email(email_key=address.key)
    if existing is not None:
        await _already(existing, links=links, uow=uow)
        return
    customer_id = await uow.customers.id_by_identity_email(
        email_key=address.key
    ) or await uow.merges.target_by_identity_email(email_key=address.key)
    if customer_id is None:  # a new customer: registered as a booking-site guest
        customer_id, _ = await identify_guest(
            name=name, name_kana=name_kana, email=email, phone=phone, store_id=store_id, uow=uow
        )
    await _open(customer_id, email=address.email, key=address.key, links=links, now=now, uow=uow)


async def open_for_booking(
    *, customer_id: UUID, email: str, links: SiteLinks, now: datetime, uow: CustomerUnitOfWork
) -> bool:
    """After a guest's booking (the mail resolved to this customer): open the account unless
    there is one. True when a temporary password was sent."""
    address = parse_email(email, field_name="email")
    if await uow.site_accounts.of_customer(customer_id=customer_id) is not None:
        return False
    if await uow.site_accounts.by_email(email_key=address.key) is not None:
        return False
    return await _open(
        customer_id, email=address.email, key=address.key, links=links, now=now, uow=uow
    )


async def _open(
    customer_id: UUID, *, email: str, key: str, links: SiteLinks, now: datetime,
    uow: CustomerUnitOfWork,
) -> bool:  # fmt: skip
    customer = await uow.customers.row(customer_id=customer_id, for_update=True)
    if customer is None or customer.withdrawn_at is not None:
        return False  # nothing to sign in as; the screen says what it says for everyone
    account = await uow.site_accounts.of_customer(customer_id=customer_id)
    if account is not None:
        await _already(account, links=links, uow=uow, customer=customer)
        return False
    password = temporary_password()
    expires = now + TEMPORARY_TTL
    added = await uow.site_accounts.add_if_absent(values={
        "customer_id": customer_id, "email_key": key, "email": email, "password_hash": None,
        "temporary_hash": hash_password(password), "temporary_expires_at": expires,
        "must_change": True,
    })  # fmt: skip
    if added:
        mail = temporary_password_mail(name=customer.name, shop=links.shop, password=password,
                                       login_url=links.login_url, expires=_when(expires))  # fmt: skip
        await _send(mail, to=email, uow=uow)
    return added


async def _already(
    account: SiteAccount, *, links: SiteLinks, uow: CustomerUnitOfWork,
    customer: Customer | None = None,
) -> None:  # fmt: skip
    customer = customer or await uow.customers.row(customer_id=account.customer_id)
    name = customer.name if customer else ""
    mail = already_registered_mail(name=name, shop=links.shop, login_url=links.login_url,
                                   reset_url=links.reset_url)  # fmt: skip
    await _send(mail, to=account.email, uow=uow)


async def sign_in(*, email: str, password: str, now: datetime, uow: CustomerUnitOfWork) -> SignedIn:
    try:
        key = parse_email(email, field_name="email").key
    except ProfileError:
        key = None
    account = await uow.site_accounts.by_email(email_key=key, for_update=True) if key else None
    if account is None:
        verify_password(password, None)  # the same time as a wrong password
        raise SignInFailed()
    customer = await uow.customers.row(customer_id=account.customer_id)
    by_password = (
        verify_password(password, account.password_hash) if account.password_hash else False
    )
    by_temporary = (
        not by_password and account.temporary_hash is not None
        and account.temporary_expires_at is not None and account.temporary_expires_at > now
        and verify_password(password, account.temporary_hash)
    )  # fmt: skip
    if not (by_password or by_temporary) or customer is None or customer.withdrawn_at is not None:
        raise SignInFailed()
    if by_temporary:
        account.must_change, account.updated_at = True, now
    return SignedIn(customer.id, customer.name, account.email, account.must_change)


async def change_password(
    *, customer_id: UUID, current_password: str, new_password: str, now: datetime,
    uow: CustomerUnitOfWork,
) -> None:  # fmt: skip
    account = await uow.site_accounts.of_customer(customer_id=customer_id, for_update=True)
    if account is None:
        raise SignInFailed()
    current_ok = (account.password_hash is not None
                  and verify_password(current_password, account.password_hash)) or (
        account.temporary_hash is not None and account.temporary_expires_at is not None
        and account.temporary_expires_at > now
        and verify_password(current_password, account.temporary_hash)
    )  # fmt: skip
    if not current_ok:
        raise ProfileError(
            "現在のパスワード（仮パスワード）が正しくありません。", field="current_password",
        )  # fmt: skip
    check_new_password(new_password, email=account.email)
    account.password_hash = hash_password(new_password)
    account.temporary_hash, account.temporary_expires_at = None, None
    account.must_change, account.updated_at = False, now


async def reset(*, email: str, links: SiteLinks, now: datetime, uow: CustomerUnitOfWork) -> None:
    """A new temporary password for a known account; nothing (and the same answer) for any
    other mail."""
    try:
        key = parse_email(email, field_name="email").key
    except ProfileError:
        return
    account = await uow.site_accounts.by_email(email_key=key, for_update=True)
    if account is None:
        return
    customer = await uow.customers.row(customer_id=account.customer_id)
    if customer is None or customer.withdrawn_at is not None:
        return
    password = temporary_password()
    expires = now + TEMPORARY_TTL
    account.temporary_hash, account.temporary_expires_at = hash_password(password), expires
    account.updated_at = now
    mail = reset_mail(name=customer.name, shop=links.shop, password=password,
                      login_url=links.login_url, expires=_when(expires))  # fmt: skip
    await _send(mail, to=account.email, uow=uow)
