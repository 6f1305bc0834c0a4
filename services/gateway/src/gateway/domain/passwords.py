"""What a password must be, said in Japanese with the reason (GW-1). Plain rules, no I/O."""

MIN_LENGTH = 10
MAX_LENGTH = 128  # argon2 hashes anything; a bound keeps a megabyte "password" out


def password_problem(password: str, *, email: str) -> str | None:
    """Why ``password`` is refused for the account ``email``, or None when it will do."""
    if len(password) < MIN_LENGTH:
        return (
            f"パスワードは{MIN_LENGTH}文字以上にしてください。"
            "短いパスワードは総当たりで見破られやすいためです。"
        )
    if len(password) > MAX_LENGTH:
        return f"パスワードは{MAX_LENGTH}文字以内にしてください。"
    if password.strip().lower() == email.strip().lower():
        return (
            "メールアドレスと同じパスワードは使えません。"
            "メールアドレスは他の人にも知られているためです。"
        )
    return None
