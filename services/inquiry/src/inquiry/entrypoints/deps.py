"""Dependencies of the inquiry routes: the kit's transaction boundary (writes) and the
reading unit of work, typed with the inquiry service's own unit of work."""

from typing import Annotated

from fastapi import Depends
from kit.http import tenant_transactions, tenant_uow
from kit.transactions import Transactions

from inquiry.adapters.unit_of_work import InquiryUnitOfWork

TxDep = Annotated[Transactions[InquiryUnitOfWork], Depends(tenant_transactions)]
UowDep = Annotated[InquiryUnitOfWork, Depends(tenant_uow)]
