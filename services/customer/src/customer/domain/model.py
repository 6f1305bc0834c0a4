"""Customer rules that need no I/O."""

from enum import StrEnum

from contracts.booking import VISIT_STATUS_LABELS


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


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"
    OTHER = "other"


class PhoneKind(StrEnum):
    MOBILE = "mobile"  # 携帯
    LANDLINE = "landline"  # 固定
    OTHER = "other"


class AddressKind(StrEnum):
    HOME = "home"  # 自宅
    OFFICE = "office"  # 勤務先
    GIFT = "gift"  # ギフト送付先


class Side(StrEnum):
    """Real-estate tenants: which side of a deal the customer is on (seed 004)."""

    BUYER = "buyer"  # 買主
    SELLER = "seller"  # 売主


class PropertyType(StrEnum):
    MANSION = "mansion"  # マンション
    HOUSE = "house"  # 戸建て
    LAND = "land"  # 土地


class ProposalDelivery(StrEnum):
    """提案メールの配信設定 (seed 004); the vocabulary of contracts.listings."""

    AUTOMATIC = "automatic"  # 自動: new listings that match are proposed by themselves
    MANUAL = "manual"  # 手動: staff choose what to send
    STOPPED = "stopped"  # 停止


class Origin(StrEnum):
    INQUIRY = "inquiry"  # 反響から自動登録
    MANUAL = "manual"  # 新規登録
    PHONE = "phone"  # 新規電話予約
    IMPORT = "import"  # 一括登録
    BOOKING_SITE = "booking_site"  # 予約サイトからの予約
    WEB_SHOP = "web_shop"  # Webショップからの注文


# Visit statuses of BKG-5 as the booking service sends them; only "visited" counts as a visit.
VISIT_STATUSES = VISIT_STATUS_LABELS
VISITED = "visited"
CANCELLED_STATUSES = frozenset({"cancelled", "store_cancelled", "cancel_fee_unpaid"})
