"""Dependencies of the customer routes: the kit's transaction boundary (writes) and the
reading unit of work, typed with the customer service's own unit of work."""

from typing import Annotated

from fastapi import Depends
from kit.http import tenant_transactions, tenant_uow
from kit.transactions import Transactions

from customer.adapters.unit_of_work import CustomerUnitOfWork

TxDep = Annotated[Transactions[CustomerUnitOfWork], Depends(tenant_transactions)]
UowDep = Annotated[CustomerUnitOfWork, Depends(tenant_uow)]
