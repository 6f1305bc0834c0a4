"""Japanese text in search form (DESIGN: normalised once, at write time, and the same way
for query input): NFKC (full/half width), hiragana → katakana, no spaces of any width."""

import re
import unicodedata
from functools import lru_cache

import jaconv

_SPACES = re.compile(r"\s+")


def search_text(value: str | None) -> str:
    """NFKC (full/half width), hiragana → katakana, no spaces of any width, lower case.

    >>> search_text("すまい　ハナコ") == search_text("ｽﾏｲﾊﾅｺ")
    True
    """
    if not value:
        return ""
    return _search_text(value)


@lru_cache(maxsize=16384)
def _search_text(value: str) -> str:
    # Memoised: names and readings repeat across an import's rows, and jaconv is slow.
    text = unicodedata.normalize("NFKC", value)
    text = jaconv.hira2kata(text)
    return _SPACES.sub("", text).lower()


def escape_like(text: str) -> str:
    """For ``LIKE '%…%'`` with ``escape='\\\\'``: the user's % and _ are plain characters."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The 47 prefectures in JIS X 0401 order (都道府県コード 01–47): DM lists by region, forms.
PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)  # fmt: skip
