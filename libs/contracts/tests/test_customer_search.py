"""The customer search contract: every criterion named once, labelled for the form."""

from contracts.customer_search import CustomerSearch, CustomerSearchPage, Group, criteria


def test_every_criterion_has_a_japanese_label_and_a_place_on_the_form() -> None:
    for name, field in CustomerSearch.model_fields.items():
        assert field.title and not field.title.isascii(), name
        assert (field.json_schema_extra or {}).get("x-group") in set(Group), name
    assert criteria() == set(CustomerSearch.model_fields)
    assert criteria(Group.BASIC) | criteria(Group.ADVANCED) | criteria(Group.LIST) == criteria()
    assert criteria(Group.LIST) == {"withdrawn", "phone_registration", "caution", "blacklisted"}


def test_a_page_adds_paging_and_no_criterion() -> None:
    assert set(CustomerSearchPage.model_fields) - criteria() == {"page", "per_page"}
    assert CustomerSearchPage().model_dump(exclude_none=True) == {
        "withdrawn": False, "page": 1, "per_page": 20,
    }  # fmt: skip
