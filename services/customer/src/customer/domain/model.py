"""Customer rules that need no I/O."""

from enum import StrEnum


class FollowUpStatus(StrEnum):
    """追客状況 (seed 000)."""

    FOLLOWING = "following"  # 追客中
    STOPPED = "stopped"  # 追客停止
    CONTRACTED = "contracted"  # 成約


FOLLOW_UP_LABELS = {
    FollowUpStatus.FOLLOWING: "追客中",
    FollowUpStatus.STOPPED: "追客停止",
    FollowUpStatus.CONTRACTED: "成約",
}
