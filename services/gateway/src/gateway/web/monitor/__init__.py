"""顧客モニタ: the lookup while the phone rings, and the monitor with its tabs."""

from gateway.web.monitor import changes, histories
from gateway.web.monitor.pages import router

router.include_router(histories.router)
router.include_router(changes.router)

__all__ = ["router"]
