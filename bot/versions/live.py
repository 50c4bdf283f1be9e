"""The flows conversations run: each flow's newest published version for new conversations, and
the version a running conversation started on for its replies.

Flows come from the database's published versions (storage.flow_versions), over the files'
own (the bundled library and FLOW_PATHS) for a flow with no version yet. Each version is parsed
once: versions never change, so a parsed one is kept (a bounded cache), and a turn costs one
small query (`generation`) to learn whether anything was published since.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable

from sqlalchemy.orm import Session

from flows.errors import FlowValidationError
from flows.library import FlowLibrary
from flows.schema import Flow
from storage import flow_versions

log = logging.getLogger(__name__)

CACHED_VERSIONS = 256


class LiveLibrary(FlowLibrary):
    def __init__(self, files: Iterable[Flow], *, cached: int = CACHED_VERSIONS) -> None:
        super().__init__(files)
        self._files = dict(self._flows)
        self._cached = cached
        self._parsed: OrderedDict[tuple[str, int], Flow] = OrderedDict()
        # Versions looked for and not stored, until the next publication anywhere.
        self._missing: set[tuple[str, int]] = set()
        self._generation: int | None = None
        # Turns run in threads (the dashboard's, the webhooks'): the cache is shared.
        self._lock = threading.RLock()

    @property
    def files(self) -> FlowLibrary:
        """The flows as the files define them, whatever has been published since."""
        return FlowLibrary(self._files.values())

    def refresh(self, session: Session) -> bool:
        """Take in what was published since the last look; True if anything was."""
        generation = flow_versions.generation(session)
        if generation == self._generation:
            return False
        with self._lock:
            self._missing.clear()
            flows = dict(self._files)
            for flow_id, number in flow_versions.latest_numbers(session).items():
                flow = self.version(session, flow_id, number)
                if flow is not None:
                    flows[flow_id] = flow
            keywords = {f.start_keyword: f for f in flows.values() if f.start_keyword}
            self._flows, self._keywords = flows, keywords
            self._generation = generation
        return True

    def version(self, session: Session, flow_id: str, number: int) -> Flow | None:
        """One published version, numbered as stored; None if there is no such version."""
        with self._lock:
            return self._version(session, flow_id, number)

    def _version(self, session: Session, flow_id: str, number: int) -> Flow | None:
        key = (flow_id, number)
        found = self._parsed.get(key)
        if found is not None:
            self._parsed.move_to_end(key)
            return found
        if key in self._missing:
            return None
        row = flow_versions.get_version(session, flow_id, number)
        if row is None:
            self._missing.add(key)
            return None
        try:
            flow = flow_versions.check(row.yaml_text, flow_id, source=f"{flow_id} v{number}")
        except FlowValidationError as exc:
            # Published when it loaded; a later, stricter loader must not stop the service.
            log.warning("flow %s version %d no longer loads: %s", flow_id, number, exc)
            self._missing.add(key)
            return None
        flow = dataclasses.replace(flow, version=number)
        self._parsed[key] = flow
        while len(self._parsed) > self._cached:
            self._parsed.popitem(last=False)
        return flow

    def pinned(self, session: Session, flow_id: str, number: int) -> Flow | None:
        """The version a conversation started on; the flow's newest when that one was never
        stored (begun before versions were kept); None when the flow is gone altogether."""
        found = self.version(session, flow_id, number)
        if found is not None:
            return found
        return self.get(flow_id) if flow_id in self else None


def flow_at(library: FlowLibrary, session: Session, flow_id: str, number: int) -> Flow | None:
    """The flow as a conversation on version `number` was asked it (reports, transcripts)."""
    if isinstance(library, LiveLibrary):
        return library.pinned(session, flow_id, number)
    return library.get(flow_id) if flow_id in library else None


def refresh(library: FlowLibrary, session: Session) -> None:
    """Bring a live library up to date; a plain one (tests, the preview) has nothing to learn."""
    if isinstance(library, LiveLibrary):
        library.refresh(session)
