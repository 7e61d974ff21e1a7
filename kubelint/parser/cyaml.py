"""PyYAML's C module, made to call the builder instead of making event objects.

libyaml parses a manifest in a fifth of the time PyYAML then takes to make one event object per
event with a Python `__init__`. PyYAML's C module (`yaml._yaml`) looks those event classes up by
name in its own namespace at every event, so for the length of one parse the names are bound to
the builder's callbacks (see _run_events) and the objects are never made. This module is the only
place that touches that namespace: the rebinding, the lock that keeps two parses apart, the guard
that checks that PyYAML still calls what we stand in for, and the at-fork hook.

PyYAML is imported at the first parse that needs it (pyyaml()): the C builder (_fastyaml.c)
reads most manifests without it, and its import is ~10 ms of a one-file run.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import threading
from _thread import get_ident
from collections.abc import Callable, Iterator
from typing import Any

_EVENTS_LOCK = threading.Lock()
_LOADING = threading.Lock()
_EVENT_NAMES = ("StreamStartEvent", "StreamEndEvent", "DocumentStartEvent", "DocumentEndEvent",
                "AliasEvent", "ScalarEvent", "MappingStartEvent", "SequenceStartEvent",
                "MappingEndEvent", "SequenceEndEvent")
# The package whose PAUSE_GC callers set (kubelint.parser.PAUSE_GC = True): read at each parse.
_PACKAGE = sys.modules[__name__.rpartition(".")[0]]


class PyYaml:
    """What a parse takes from PyYAML, read once: its event parser and the module that names
    the event classes, those names as PyYAML set them, and whether they may be rebound."""

    __slots__ = ("fast_events", "module", "parser", "pristine", "using_libyaml")

    def __init__(self) -> None:
        try:  # libyaml is ~5x faster; the pure-Python parser is the fallback, same events.
            import yaml._yaml as module
            from yaml._yaml import CParser as parser
        except ImportError:  # pragma: no cover - depends on the PyYAML build
            from yaml import SafeLoader as parser  # type: ignore[assignment]
            module = None
        self.module: Any = module
        self.parser: Any = parser
        self.pristine = {name: getattr(module, name) for name in _EVENT_NAMES if hasattr(module, name)}
        self.using_libyaml = parser.__module__ == "yaml._yaml"
        # Whether a parse may rebind PyYAML's event names to our callbacks (see _run_events).
        self.fast_events = self.using_libyaml and _events_as_expected(module)


_PYYAML: PyYaml | None = None


def pyyaml() -> PyYaml:
    """PyYAML, imported and checked at the first call (before any parse rebinds its names)."""
    global _PYYAML
    if _PYYAML is None:
        with _LOADING:
            if _PYYAML is None:
                _PYYAML = PyYaml()
    return _PYYAML


def _after_fork_in_child() -> None:
    """A fork while another thread of the host was inside a parse copies the lock held and
    PyYAML's event names bound to that thread's callbacks; the child would wait forever on
    its first parse (a worker of lint_paths(jobs=2) in a threaded host)."""
    global _EVENTS_LOCK, _LOADING
    _EVENTS_LOCK = threading.Lock()
    _LOADING = threading.Lock()
    if _PYYAML is not None and _PYYAML.module is not None:
        vars(_PYYAML.module).update(_PYYAML.pristine)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

# The arguments libyaml's module passes to each event class it looks up by name, in order: our
# callbacks take exactly these (see _run_events).
_EVENT_SIGNATURES = {
    "StreamStartEvent": ("start_mark", "end_mark", "encoding"),
    "StreamEndEvent": ("start_mark", "end_mark"),
    "DocumentStartEvent": ("start_mark", "end_mark", "explicit", "version", "tags"),
    "DocumentEndEvent": ("start_mark", "end_mark", "explicit"),
    "AliasEvent": ("anchor", "start_mark", "end_mark"),
    "ScalarEvent": ("anchor", "tag", "implicit", "value", "start_mark", "end_mark", "style"),
    "MappingStartEvent": ("anchor", "tag", "implicit", "start_mark", "end_mark", "flow_style"),
    "SequenceStartEvent": ("anchor", "tag", "implicit", "start_mark", "end_mark", "flow_style"),
    "MappingEndEvent": ("start_mark", "end_mark"),
    "SequenceEndEvent": ("start_mark", "end_mark"),
}


def _events_as_expected(module: Any) -> bool:
    """Whether `module` builds events from the classes, with the arguments, our callbacks stand in for.

    Rebinding the names is only sound while libyaml's module calls PyYAML's own event classes
    with these parameters; a PyYAML that changed either gets the slow path (event objects and
    their attributes), which is slower but reads the same.
    """
    import inspect

    import yaml.events

    for name, expected in _EVENT_SIGNATURES.items():
        bound = getattr(module, name, None)
        if bound is None or bound is not getattr(yaml.events, name, None):
            return False
        try:
            parameters = list(inspect.signature(bound.__init__).parameters.values())
        except (TypeError, ValueError):
            return False
        if tuple(p.name for p in parameters[1:]) != expected or any(
                p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters):
            return False
    return True


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic collector off for one parse, where the command line asked (PAUSE_GC). The
    builders make a tree of new containers: no cycles for the collector to find, yet it would
    walk the young objects again and again as they pile up (a fifth of the time)."""
    collecting = gc.isenabled()
    if collecting and _PACKAGE.PAUSE_GC:
        gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _run_events(stream: Any, calls: dict[str, Callable[..., Any]]) -> None:
    """Feed every event of `stream` to `calls`, keyed by PyYAML's event class names.

    Why not `get_event()` and a dispatch on its class: libyaml parses a manifest in a fifth of
    the time PyYAML then takes to make an event object per event with a Python `__init__`.
    PyYAML's C module looks those classes up by name in its own namespace at every event, so
    for the length of one parse the names are bound to our callbacks and the objects are
    never made (a third less time for the whole parse). The lock keeps two of these parses
    apart; a callback called from another thread (someone else's parser, using PyYAML's event
    API meanwhile) makes the event object PyYAML would have made, so nobody else sees a
    difference. Should a PyYAML build ever stop calling by name, its event objects come back
    from `get_event()` and take the slow path below, so the result is the same either way;
    one whose event classes no longer take the arguments our callbacks expect is found when
    PyYAML is loaded (PyYaml.fast_events) and never rebound.

    A callback does not raise into libyaml's module: an exception there skips its freeing of
    the event (a leak per failed parse). It returns a _Stopped, which comes back from
    `get_event()` once the event is freed, and is raised here.
    """
    state = pyyaml()
    if not state.fast_events:
        parser = state.parser(stream)
        while (event := parser.get_event()) is not None:
            stopped = _call_for(event, calls)
            if type(stopped) is _Stopped:
                raise stopped.error
        return
    namespace = vars(state.module)
    with _EVENTS_LOCK, paused_gc():
        saved = {name: namespace[name] for name in calls}
        namespace.update(calls)
        try:
            get_event = state.parser(stream).get_event
            while True:
                event = get_event()
                if event is True:
                    continue
                if event is None:
                    return
                if type(event) is _Stopped:
                    raise event.error
                stopped = _call_for(event, calls)  # pragma: no cover - a PyYAML that did not call us
                if type(stopped) is _Stopped:  # pragma: no cover
                    raise stopped.error
        finally:
            namespace.update(saved)


def rebind(calls: dict[str, Callable[..., Any]], new: dict[str, Callable[..., Any]]) -> None:
    """Swap some of a running parse's callbacks (the builder's light mode), from inside one of
    them: the names libyaml's module looks up at the next event, and the slow path's table."""
    calls.update(new)
    state = _PYYAML  # loaded: a parse is running
    if state is not None and state.fast_events:
        vars(state.module).update(new)


class _Stopped:
    """An exception a callback caught, on its way out of libyaml's module (see _run_events)."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


def _owned_by(owner: int, call: Callable[..., Any], event_class: Any) -> Callable[..., Any]:
    def owned(*args: Any) -> Any:
        try:
            if get_ident() != owner:
                return event_class(*args)
            return call(*args)
        except BaseException as exc:  # see _run_events: never raise into libyaml's module
            return _Stopped(exc)
    return owned


def _call_for(event: Any, calls: dict[str, Callable[..., Any]]) -> Any:
    """Turn an event object into the call libyaml makes for it; what the call returned."""
    name = type(event).__name__
    call = calls[name]
    if name == "ScalarEvent":
        return call(event.anchor, event.tag, event.implicit, event.value, event.start_mark,
                    event.end_mark, event.style)
    if name in ("MappingStartEvent", "SequenceStartEvent"):
        return call(event.anchor, event.tag, event.implicit, event.start_mark, event.end_mark,
                    event.flow_style)
    if name == "AliasEvent":
        return call(event.anchor, event.start_mark, event.end_mark)
    return call(event.start_mark, event.end_mark)

