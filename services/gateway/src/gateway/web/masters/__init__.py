"""マスタ・設定 (issue 13): the required fields of the customer forms, the media (媒体) and the
inflow sources (流入経路), each kept by its owning service; the booking masters' 変更 and 廃止
pages are the booking area's (``web/booking/masters.py``), with this area's templates;
and the administrator's Webhook endpoints (``webhooks.py``, issue 16)."""

from fastapi import APIRouter

from gateway.web.masters import pages, partners, webhooks

router = APIRouter(include_in_schema=False)
router.include_router(pages.router)
router.include_router(webhooks.router)

router.include_router(partners.router)  # パートナー連携 (/settings/partners)

__all__ = ["router"]
