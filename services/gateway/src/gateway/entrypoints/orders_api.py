"""/api/v1/mail-order: 受注・定期 (ORD-1 to ORD-5, ORD-7), the orders service's staff
operations, relayed: the masters and campaigns (read by staff, changed by the admin), order
entry and the order list, cancellations, returns and reorders, subscriptions with their
calendar and the daily run, shipping labels, tracking and bank files, payments. The admin
rules are the service's (``AdminOnly`` in services/orders/src/orders/entrypoints/).

Not relayed: POST /shop-orders, the web shop's signed intake. Its caller is the shop, not a
member of staff: it needs a ``shop`` token naming the tenant and the shop's signature header,
which a staff relay would neither mint nor pass on (an edge route of its own, like the portal
webhook, when the shop is connected)."""

from gateway.entrypoints.relays import ServiceRelays

ORDERS = ServiceRelays("orders", prefix="/api/v1/mail-order", tags=["受注・定期"])
router = ORDERS.router

# Masters (ORD-1) and campaigns: the same five routes each; staff read, the admin writes.
MASTERS = ("staff", "media", "product-categories", "products", "set-products", "shipping-fees",
           "reasons", "survey-questions", "campaigns")  # fmt: skip
for _kind in MASTERS:
    ORDERS.relay("GET", f"/{_kind}")
    ORDERS.relay("POST", f"/{_kind}", admin=True)
    ORDERS.relay("GET", f"/{_kind}/{{entry_id}}")
    ORDERS.relay("PUT", f"/{_kind}/{{entry_id}}", admin=True)
    ORDERS.relay("POST", f"/{_kind}/{{entry_id}}/retire", admin=True)

# Orders (ORD-2, ORD-4, ORD-7)
ORDERS.relay("GET", "/settings")
ORDERS.relay("PUT", "/settings", admin=True)
ORDERS.relay("POST", "/settings/shop-secret", admin=True)
ORDERS.relay("POST", "/orders")
ORDERS.relay("POST", "/orders/quote")  # 見積り: what POST /orders would make, nothing written
ORDERS.relay("GET", "/orders")
ORDERS.relay("GET", "/orders/{order_id}")
ORDERS.relay("POST", "/orders/{order_id}/cancel")
ORDERS.relay("POST", "/orders/{order_id}/reorder")
ORDERS.relay("POST", "/orders/{order_id}/returns")
ORDERS.relay("GET", "/orders/{order_id}/returns")
ORDERS.relay("GET", "/orders/{order_id}/survey-answers")
ORDERS.relay("GET", "/presents")
ORDERS.relay("POST", "/payment-imports")
ORDERS.relay("GET", "/payments")
ORDERS.relay("POST", "/payments/{payment_id}/assign")

# Subscriptions (ORD-3)
ORDERS.relay("GET", "/subscription-settings")
ORDERS.relay("PUT", "/subscription-settings", admin=True)
ORDERS.relay("GET", "/subscription-settings/closed-days")
ORDERS.relay("POST", "/subscriptions/preview")
ORDERS.relay("POST", "/subscriptions")
ORDERS.relay("GET", "/subscriptions")
ORDERS.relay("GET", "/subscriptions/year-end-check")
ORDERS.relay("GET", "/subscriptions/{subscription_id}")
ORDERS.relay("GET", "/subscriptions/{subscription_id}/preview")
ORDERS.relay("POST", "/subscriptions/{subscription_id}/skip")
ORDERS.relay("POST", "/subscriptions/{subscription_id}/pause")
ORDERS.relay("POST", "/subscriptions/{subscription_id}/resume")
ORDERS.relay("POST", "/subscriptions/{subscription_id}/cancel")
ORDERS.relay("PUT", "/subscriptions/{subscription_id}/cycle")
ORDERS.relay("POST", "/subscriptions/{subscription_id}/cycle/preview")  # nothing written
ORDERS.relay("POST", "/subscription-runs", admin=True)
ORDERS.relay("GET", "/subscription-runs/last")
ORDERS.relay("GET", "/subscription-shipments")
ORDERS.relay("GET", "/subscription-shipments.csv", download=True)

# Shipping (ORD-5)
ORDERS.relay("GET", "/shipper-settings")
ORDERS.relay("PUT", "/shipper-settings", admin=True)
ORDERS.relay("GET", "/shipping-labels.csv", download=True)
ORDERS.relay("GET", "/shipping-labels/problems")
ORDERS.relay("POST", "/tracking-imports")
ORDERS.relay("GET", "/shipping-check")

# Reports (ORD-6, 集計関係): 管理者のみ (seed 001: 指標は管理者のみ), each as JSON and CSV
REPORTS = ("sales-by-medium", "sales-by-product", "sales-by-region", "sales-by-customer",
           "sales-by-staff", "churn", "survey", "shipments-by-medium", "shipments-by-product",
           "shipments-by-region")  # fmt: skip
for _report in REPORTS:
    ORDERS.relay("GET", f"/reports/{_report}", admin=True)
    ORDERS.relay("GET", f"/reports/{_report}.csv", admin=True, download=True)
