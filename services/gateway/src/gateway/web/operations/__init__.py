"""運用 (issue 16): the 管理者's page of the events a service could not handle (dead letters),
read and re-driven through the gateway's own bus (kit.dead_letters)."""

from gateway.web.operations.dead_letters import router

__all__ = ["router"]
