"""帳票 of the customer's histories and their masters (issue 14): 対応履歴一覧表 with the
leader's instructions, 長期放置, アクション別売上集計 (/histories/…), ランク設定 (/ranks) and the
FAQ (/faq)."""

from fastapi import APIRouter

from gateway.web.histories import faq, ranks, reports

router = APIRouter(include_in_schema=False)
for part in (reports, ranks, faq):
    router.include_router(part.router)

__all__ = ["router"]
