"""Refusals of the booking rules; each message tells staff what to do instead."""

from kit.errors import Conflict, Forbidden, Invalid


class InvalidVisitTime(Invalid):
    code = "invalid_visit_time"


class SlotFull(Conflict):
    code = "slot_full"

    def __init__(self) -> None:
        super().__init__("ご希望の時間帯は予約がいっぱいです。別の時間帯を選んでください。")


class NotAllowedTransition(Conflict):
    code = "status_transition"


class CustomerBlacklisted(Forbidden):
    code = "customer_blacklisted"

    def __init__(self) -> None:
        super().__init__(
            "このお客様はブラックリストに登録されているため、予約を登録できません。",
            field="customer_id",
        )


# The public booking site must not reveal a blacklist: it shows the seed's 満席 message.
PUBLIC_FULL_MESSAGE = "申し訳ございませんが、ご希望の時間帯は予約がいっぱいとなっております。"
