"""Messages, plugin descriptions and errors: the ``weft:plugin/types``
interface of ``wit/plugin.wit`` as plain Python."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, List, Optional, Tuple

#: Content type of canonical JSON documents.
JSON = "application/json"


class Role(enum.Enum):
    """Where in a pipeline a plugin runs (the WIT ``role`` enum)."""

    SOURCE = "source"
    TRANSFORM = "transform"
    SINK = "sink"


@dataclass
class Message:
    """One unit of work travelling through weft (the WIT ``message``)."""

    id: str = ""
    correlation_id: str = ""
    kind: str = ""
    content_type: str = ""
    headers: List[Tuple[str, str]] = field(default_factory=list)
    payload: bytes = b""

    @staticmethod
    def json(id: str, correlation_id: str, kind: str, doc: Any) -> "Message":
        """A message whose payload is ``doc`` as compact UTF-8 JSON.

        Canonical documents carry money and quantities as decimal strings
        (:func:`weft_sdk.money.money_str`); a ``Decimal`` left in ``doc`` is
        written as a JSON number with its exact text, a float is refused.
        """
        from .json import dumps

        payload = dumps(doc).encode()
        return Message(id, correlation_id, kind, JSON, [], payload)

    def header(self, name: str) -> Optional[str]:
        """The first value of header ``name`` (case-insensitive), or None."""
        lname = name.lower()
        for n, v in self.headers:
            if n.lower() == lname:
                return v
        return None

    def set_header(self, name: str, value: str) -> None:
        """Sets header ``name`` to ``value``, replacing earlier values."""
        lname = name.lower()
        self.headers = [(n, v) for n, v in self.headers if n.lower() != lname]
        self.headers.append((lname, value))

    def with_header(self, name: str, value: str) -> "Message":
        """:meth:`set_header`, returning the message."""
        self.set_header(name, value)
        return self


class PluginError(Exception):
    """Why a plugin could not process a message; raise a subclass."""

    #: ``invalid`` or ``retryable``, as the golden cases name it.
    kind = ""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = str(reason)

    def prefixed(self, place: str) -> "PluginError":
        """The same error with ``place`` (``items[2]: ``) before an
        ``invalid`` reason; unchanged when ``place`` is empty or the error
        is retryable."""
        if isinstance(self, Invalid) and place:
            return Invalid(place + self.reason)
        return self


class Invalid(PluginError):
    """The message can never be processed as it is: dead-lettered at once."""

    kind = "invalid"


class Retryable(PluginError):
    """Processing may succeed later: the host retries with backoff."""

    kind = "retryable"


@dataclass
class Info:
    """What a plugin says about itself (the WIT ``plugin-info``)."""

    name: str
    version: str
    role: Role
    summary: str = ""
    accepts: List[str] = field(default_factory=list)
    emits: List[str] = field(default_factory=list)


class InfoBuilder:
    """Builds an :class:`Info` for ``describe()``; see :func:`info`."""

    def __init__(self, name: str, version: str, role: Role):
        self._info = Info(name, version, role)

    def summary(self, text: str) -> "InfoBuilder":
        """The one-line description."""
        self._info.summary = text
        return self

    def accepts(self, kinds: List[str]) -> "InfoBuilder":
        """Message kinds taken as input (``raw`` for sources)."""
        self._info.accepts = list(kinds)
        return self

    def emits(self, kinds: List[str]) -> "InfoBuilder":
        """Message kinds this plugin may emit."""
        self._info.emits = list(kinds)
        return self

    def build(self) -> Info:
        """The description."""
        return self._info


def info(name: str, version: str, role: Role) -> InfoBuilder:
    """Starts the :class:`Info` of ``describe()``."""
    return InfoBuilder(name, version, role)


class Plugin:
    """What every weft plugin implements (the Rust SDK's ``Plugin``)."""

    def describe(self) -> Info:
        """Static facts about the plugin; must not depend on the input."""
        raise NotImplementedError

    def process(self, msg: Message) -> List[Message]:
        """Processes one message into zero or more messages, or raises
        :class:`Invalid` / :class:`Retryable`."""
        raise NotImplementedError
