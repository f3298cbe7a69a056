"""Python SDK for weft plugins.

A plugin is a class with ``describe()`` and ``process(msg)``, the same shape
as the Rust SDK's ``Plugin`` trait::

    import weft_sdk as weft

    class Echo(weft.Plugin):
        def describe(self):
            return (weft.info("echo", "0.1.0", weft.Role.TRANSFORM)
                    .summary("passes every message through")
                    .accepts(["*"]).emits(["*"]).build())

        def process(self, msg):
            return [msg]

``process`` returns a list of :class:`Message` or raises :class:`Invalid`
(the message can never be processed: it goes to the dead-letter queue) or
:class:`Retryable` (the host retries with backoff). Any other exception is a
bug: the component traps and the host reports it.

The host imports (``log``, ``config``, ``lookup``, ``next_sequence``) are in
:mod:`weft_sdk.host`, decimal money in :mod:`weft_sdk.money`, canonical
documents in :mod:`weft_sdk.documents`, JSON with the Rust SDK's error
texts in :mod:`weft_sdk.json`. ``python -m weft_sdk.build`` turns a plugin
into a component (see :mod:`weft_sdk.build`).
"""

from .message import (
    JSON,
    Info,
    Invalid,
    Message,
    Plugin,
    PluginError,
    Retryable,
    Role,
    info,
)

__all__ = [
    "JSON",
    "Info",
    "Invalid",
    "Message",
    "Plugin",
    "PluginError",
    "Retryable",
    "Role",
    "info",
]
