"""The customer service's rule violations; kit maps them to 4xx with the Japanese message."""

from kit.errors import Conflict, Invalid


class ProfileError(Invalid):
    """Input that cannot become a profile (422)."""


class SearchError(Invalid):
    """Search criteria that cannot be answered within bounds (422)."""


class MergeRefused(Conflict):
    """A merge the rules forbid (409): different names, the same customer, withdrawn."""


class DeletionRefused(Conflict):
    """Deletion is refused with visit history or for portal-linked customers (409)."""


class HistoryError(Invalid):
    code = "invalid_history"


class RankError(Invalid):
    code = "invalid_rank"


class FaqError(Invalid):
    code = "invalid_faq"
