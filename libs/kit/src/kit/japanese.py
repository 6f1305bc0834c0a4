"""Japanese text in search form (DESIGN: normalised once, at write time, and the same way
for query input): NFKC (full/half width), hiragana → katakana, no spaces of any width."""

import re
import unicodedata

import jaconv

_SPACES = re.compile(r"\s+")


def search_text(value: str | None) -> str:
    """>>> search_text("すまい　ハナコ") == search_text("ｽﾏｲﾊﾅｺ")
    True
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFKC", value)
    text = jaconv.hira2kata(text)
    return _SPACES.sub("", text).lower()


def escape_like(text: str) -> str:
    """For ``LIKE '%…%'`` with ``escape='\\\\'``: the user's % and _ are plain characters."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
