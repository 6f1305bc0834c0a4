"""Does a listing meet a buyer's 希望条件? The rule in plain Python, the twin of the SQL in
``adapters.mail_repository.BuyerRepository.automatic_matches`` (that query is what runs;
an integration test holds the two to the same answers). Empty means "any"; a condition the
listing cannot show (no layout, no size) is not met."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ListingView:
    kind: str
    prefecture: str
    price_yen: int
    city: str | None = None
    station: str | None = None
    layout: str | None = None
    size_m2: float | None = None


@dataclass(frozen=True)
class AreaWish:
    prefecture: str | None = None
    city: str | None = None
    station: str | None = None


@dataclass(frozen=True)
class Wishes:
    areas: tuple[AreaWish, ...] = ()
    kinds: tuple[str, ...] = ()
    layouts: tuple[str, ...] = ()
    price_min_yen: int | None = None
    price_max_yen: int | None = None
    size_min_m2: float | None = None


def _in_area(listing: ListingView, area: AreaWish) -> bool:
    return all(
        wanted is None or wanted == actual
        for wanted, actual in (
            (area.prefecture, listing.prefecture),
            (area.city, listing.city),
            (area.station, listing.station),
        )
    )


def matches(listing: ListingView, wishes: Wishes) -> bool:
    if wishes.kinds and listing.kind not in wishes.kinds:
        return False
    if wishes.layouts and listing.layout not in wishes.layouts:
        return False
    if wishes.price_min_yen is not None and listing.price_yen < wishes.price_min_yen:
        return False
    if wishes.price_max_yen is not None and listing.price_yen > wishes.price_max_yen:
        return False
    if wishes.size_min_m2 is not None and (
        listing.size_m2 is None or listing.size_m2 < wishes.size_min_m2
    ):
        return False
    return not wishes.areas or any(_in_area(listing, a) for a in wishes.areas)
