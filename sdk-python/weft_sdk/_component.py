"""The glue between a :class:`weft_sdk.Plugin` and the bindings
componentize-py generates from ``wit/plugin.wit``; used by the entry
module that :mod:`weft_sdk.build` writes. Only imported inside a component."""

from __future__ import annotations

from typing import List

from componentize_py_types import Err  # type: ignore
from wit_world.imports import types as _t  # type: ignore

from .message import Info, Invalid, Message, Plugin, Retryable, Role

_ROLES = {Role.SOURCE: _t.Role.SOURCE, Role.TRANSFORM: _t.Role.TRANSFORM, Role.SINK: _t.Role.SINK}


def describe(plugin: Plugin) -> "_t.PluginInfo":
    """``describe()`` in WIT types."""
    i: Info = plugin.describe()
    return _t.PluginInfo(i.name, i.version, _ROLES[i.role], i.summary, list(i.accepts), list(i.emits))


def process(plugin: Plugin, msg: "_t.Message") -> "List[_t.Message]":
    """``process()`` in WIT types: Invalid / Retryable become the WIT
    ``plugin-error``; anything else raised traps the call."""
    m = Message(msg.id, msg.correlation_id, msg.kind, msg.content_type, msg.headers, msg.payload)
    try:
        out = plugin.process(m)
    except Invalid as e:
        raise Err(_t.PluginError_Invalid(e.reason)) from None
    except Retryable as e:
        raise Err(_t.PluginError_Retryable(e.reason)) from None
    return [
        _t.Message(o.id, o.correlation_id, o.kind, o.content_type, list(o.headers), bytes(o.payload))
        for o in out
    ]
