"""媒体 (media): the defaults every tenant starts with, and who may register by hand."""

from dataclasses import dataclass

from contracts import PORTAL_MEDIUM as PORTAL


@dataclass(frozen=True)
class DefaultMedium:
    code: str
    name: str
    auto_linked: bool = False


DEFAULT_MEDIA = (
    DefaultMedium(PORTAL, "ポータル（自動連携）", auto_linked=True),
    DefaultMedium("portal_phone", "ポータル（電話・直接来場）"),
    DefaultMedium("other_portal", "他ポータル"),
    DefaultMedium("own_site", "自社サイト"),
    DefaultMedium("phone", "電話"),
    DefaultMedium("walk_in", "来店"),
    DefaultMedium("other", "その他"),
)


class HandRegistrationRefused(ValueError):
    """Seed 000: a portal inquiry links by itself; registering it by hand would double it."""


def check_hand_registration(*, medium_code: str, auto_linked: bool) -> None:
    if auto_linked:
        raise HandRegistrationRefused(
            f"媒体「{medium_code}」の反響は自動で連携されるため、手入力では登録できません。"
        )
