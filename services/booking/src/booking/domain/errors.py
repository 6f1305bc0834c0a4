"""Refusals of the booking rules; each message tells staff what to do instead."""

from kit.errors import Conflict, Forbidden, Invalid


class InvalidVisitTime(Invalid):
    code = "invalid_visit_time"


class SlotFull(Conflict):
    code = "slot_full"

    def __init__(self) -> None:
        super().__init__("ご希望の時間帯は予約がいっぱいです。別の時間帯を選んでください。")


class VisitOverlap(Conflict):
    """The customer already has a visit then; staff may book it anyway, on confirmation."""

    code = "visit_overlap"

    def __init__(self, when: str) -> None:
        super().__init__(
            f"このお客様には同じ時間帯に別の予定があります（{when}）。"
            "重ねて登録する場合は、確認のうえ「重複を承知で登録する」を選んでください。",
            field="starts_at",
        )


class VisitInPast(Invalid):
    """A visit dated before now is not a reservation: refused, or recorded knowingly."""

    code = "visit_in_past"

    def __init__(self, when: str) -> None:
        super().__init__(
            f"開始日時（{when}）が過ぎています。すでに来店された接客を記録する場合は、"
            "確認のうえ「来店済みとして記録する」を選んでください。",
            field="starts_at",
        )


class VisitNotYetBegun(Invalid):
    code = "visit_not_past"

    def __init__(self) -> None:
        super().__init__(
            "来店済みとして記録できるのは、開始日時が過ぎた接客だけです。",
            field="record_as_visited",
        )


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


class PublicFull(Conflict):
    """What the booking site says for a full slot and for a blacklisted customer alike."""

    code = "slot_full"

    def __init__(self) -> None:
        super().__init__(PUBLIC_FULL_MESSAGE)
