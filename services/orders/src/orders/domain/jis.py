"""The characters a carrier's label software prints: JIS X 0208 (level 1 and 2 kanji, kana,
the full-width symbols), ASCII and half-width katakana, written in CP932. CP932 also holds
characters outside JIS X 0208 (NEC's ① ㈱ Ⅲ, IBM's 髙 﨑 …) that label printers show as
blanks or refuse: they are found and reported, never replaced."""

import unicodedata

# CP932 maps a few JIS X 0208 characters to other code points than JIS does (ISO-2022-JP):
# the same character, so each is checked under its JIS code point and written under CP932's.
_CP932_TO_JIS = str.maketrans({"～": "〜", "－": "−", "∥": "‖", "￠": "¢", "￡": "£", "￢": "¬",
                               "―": "—"})  # fmt: skip
_JIS_TO_CP932 = str.maketrans({"〜": "～", "−": "－", "‖": "∥", "¢": "￠", "£": "￡", "¬": "￢",
                               "—": "―"})  # fmt: skip


def _allowed(char: str) -> bool:
    if char.isascii():
        return char.isprintable()
    if "\uff61" <= char <= "\uff9f":  # half-width katakana (JIS X 0201)
        return True
    try:
        char.translate(_CP932_TO_JIS).encode("iso2022_jp")
    except UnicodeEncodeError:
        return False
    return True


def for_label(text: str) -> str:
    """The text as the label files write it: NFC, CP932's code points for JIS characters."""
    return unicodedata.normalize("NFC", text).translate(_JIS_TO_CP932)


def outside_jis(text: str) -> list[str]:
    """The characters of ``text`` a label cannot carry, each once, in order."""
    found: list[str] = []
    for char in for_label(text):
        if not _allowed(char) and char not in found:
            found.append(char)
    return found


def cp932_bytes(text: str) -> int:
    """The length the carriers count (a full-width character is two bytes)."""
    return len(for_label(text).encode("cp932", errors="replace"))
