from customer.domain.normalize import email_key, phone_digits, phone_display
from kit.japanese import search_text


def test_search_text_ignores_width_kana_kind_and_spaces() -> None:
    assert search_text("すまい　はなこ") == search_text("スマイ ハナコ") == search_text("ｽﾏｲﾊﾅｺ")
    assert search_text("山田 太郎") == search_text("山田　太郎") == search_text("山田太郎")
    assert search_text("ＡＢＣ１２３") == "abc123"
    assert search_text(None) == ""


def test_phone_digits_accepts_full_width_and_any_hyphen() -> None:
    assert phone_digits("０９０－１２３４－５６７８") == "09012345678"
    assert phone_digits("090-1234-5678") == "09012345678"
    assert phone_digits("(03) 1234 5678") == "0312345678"
    assert phone_digits("+81 90-1234-5678") == "09012345678"
    assert phone_digits("なし") is None


def test_phone_display_as_japanese_staff_write_it() -> None:
    assert phone_display("09012345678") == "090-1234-5678"
    assert phone_display("0312345678") == "03-1234-5678"
    assert phone_display("０１２０－７５５－０１１") == "0120-755-011"


def test_phone_display_never_changes_the_digits_staff_typed() -> None:
    # phonenumbers formats these without their leading zero (no national pattern fits).
    assert phone_display("0901234567") == "0901234567"  # a digit short of a mobile number
    assert phone_display("00011111111") == "00011111111"  # seed 003's placeholder number


def test_email_key_is_case_and_width_insensitive() -> None:
    assert (
        email_key(" Hanako@Example.COM ")
        == email_key("ｈａｎａｋｏ＠example.com")
        == "hanako@example.com"
    )
    assert email_key("") is None
