"""Yen shared out in proportion, in whole yen that add up (the largest remainder method)."""


def allocate(total_yen: int, weights: list[int]) -> list[int]:
    """``total_yen`` split in proportion to ``weights``, integers summing to it exactly: each
    share floored, the yen left over given one each to the largest remainders (ties: first).
    All weights zero: equal weights."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    sign, total = (-1, -total_yen) if total_yen < 0 else (1, total_yen)
    floors = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return [sign * f for f in floors]
