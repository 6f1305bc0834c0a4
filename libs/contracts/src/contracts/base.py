"""Base class of every integration event: the payload inside an :class:`Envelope`."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class Event(BaseModel):
    """An integration event payload.

    Consumers ignore unknown fields (``extra="ignore"``), so a producer may add optional
    fields within a version; anything breaking is a new class with ``version`` + 1.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    version: ClassVar[int]
    producer: ClassVar[str]

    @classmethod
    def routing_key(cls) -> str:
        """``<producer>.<event>.v<major>``; ``event_type`` already names the producer."""
        return f"{cls.event_type}.v{cls.version}"
