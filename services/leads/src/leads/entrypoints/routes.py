from uuid import UUID

from fastapi import APIRouter

from leads.entrypoints.deps import UowDep
from leads.entrypoints.schemas import ActivityList, ActivityRead
from leads.use_cases.activities import customer_timeline

router = APIRouter()


@router.get("/customers/{customer_id}/activities")
async def list_activities(customer_id: UUID, uow: UowDep) -> ActivityList:
    rows = await customer_timeline(customer_id=customer_id, uow=uow)
    return ActivityList(items=[ActivityRead.model_validate(r) for r in rows])
