"""予約: 予約管理 and the calendar, visits (予定を追加, a visit's page), 店舗設定 (``masters``:
変更 and 廃止 of its menus, staff and properties) and the records (営業報告, 回数券). No path
of one module is a prefix-with-id of another's; within ``visits``, /booking/visits/new is declared before /booking/visits/{visit_id}."""

from fastapi import APIRouter

from gateway.web.booking import calendar, masters, records, settings, visits

router = APIRouter(include_in_schema=False)
for module in (calendar, visits, settings, masters, records):
    router.include_router(module.router)
