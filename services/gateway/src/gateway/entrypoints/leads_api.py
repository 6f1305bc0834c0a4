"""ホットリード in the public API (LEAD-2 to LEAD-6): the hot-lead list and its exclusions, the
office's level settings and their history, a customer's activity, engagement and target
setting, and the mails (proposals, newsletters, step sequences); the leads service's
operations, relayed. The settings are the admin's (seed 001: 指標は管理者のみ)."""

from gateway.entrypoints.relays import ServiceRelays

LEADS = ServiceRelays("leads", tags=["ホットリード"])
router = LEADS.router

LEADS.relay("GET", "/hot-leads")
LEADS.relay("POST", "/hot-leads/exclusions")
LEADS.relay("GET", "/hot-leads/settings")
LEADS.relay("PUT", "/hot-leads/settings", admin=True)
LEADS.relay("GET", "/hot-leads/settings/changes")
LEADS.relay("GET", "/customers/{customer_id}/activities")
LEADS.relay("GET", "/customers/{customer_id}/engagement")
LEADS.relay("PUT", "/customers/{customer_id}/hot-lead-target")
LEADS.relay("POST", "/customers/{customer_id}/proposals")
LEADS.relay("POST", "/newsletters")
LEADS.relay("POST", "/step-sequences")
