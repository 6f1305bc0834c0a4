"""受注 and 定期 (ORD-2 to ORD-4 in the web client): order entry from the customer monitor,
the day's order list (受注一覧), an order with its totals per tax rate and 取消 / 返品 / 再注文,
and the subscriptions with the preview of their next deliveries and skip / pause / resume /
cancel, the day's subscription shipping list with its CSV, the products master, the other
masters and campaigns (masters.py: one page module for every kind, the 47 prefectures' fees
as one table) and the 受注設定 (settings.py); a new subscription with its preview, the
calendar settings, 年末年始チェック and the daily run (calendar.py); the label files, the
tracking import and 出荷確認一覧 (files.py); 入金消込 (payments.py)."""

from fastapi import APIRouter

from gateway.web.orders import (
    calendar,
    entry,
    files,
    masters,
    pages,
    payments,
    products,
    settings,
    shipments,
    subscription_new,
    subscriptions,
)

router = APIRouter(include_in_schema=False)
# /orders/new, /orders/products, /orders/masters, /orders/settings and
# /subscriptions/shipments before the pages of one id
for module in (entry, products, masters, settings, files, payments, pages, shipments, calendar,
               subscription_new, subscriptions):  # fmt: skip
    router.include_router(module.router)
