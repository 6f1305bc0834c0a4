"""CUS-7 統合: which merges are allowed (seed 003). No I/O."""

import re
import unicodedata
from uuid import UUID

from customer.domain.errors import MergeRefused

_SPACES = re.compile(r"\s+")


def full_name_key(name: str) -> str:
    """「山田 太郎」=「山田太郎」=「山田　太郎」: spaces of any width do not count; nothing else
    is folded (kana vs kanji or case would make different people equal)."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", name))


def check_merge(*, source_id: UUID, target_id: UUID, source_name: str, target_name: str) -> None:
    if source_id == target_id:
        raise MergeRefused("統合元と統合先に同じお客様は選べません。", code="same_customer")
    if full_name_key(source_name) != full_name_key(target_name):
        raise MergeRefused(
            "氏名（姓と名）が完全に一致するお客様同士のみ統合できます。"
            f"（統合元: {source_name} 様 / 統合先: {target_name} 様）",
            code="names_differ",
        )
