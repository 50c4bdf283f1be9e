"""The suggester's themes for one question, kept in this process between page loads and decisions.

Suggesting themes for 10,000 answers takes seconds; an officer deciding on a dozen suggestions
would wait that long for every click. The suggester is seeded, so the same answers give the same
suggestions: they are kept under a digest of the answers (ids and words) and the officer's areas,
and any new, changed or erased answer makes a new digest. The officers' decisions and the coding
frame are read afresh on every load; they do not change what the suggester says.

Only answer positions are kept, never the answers' words."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from bot.analysis.themes import Suggestion

MOST = 32

Key = tuple[str, str, tuple[str, ...] | None, str]


def digest(answer_ids: Sequence[int], texts: Sequence[str]) -> str:
    h = hashlib.sha256()
    for answer_id, text in zip(answer_ids, texts, strict=True):
        h.update(f"{answer_id}\0{len(text)}\0".encode())
        h.update(text.encode())
    return h.hexdigest()


class SuggestionCache:
    """A bounded least-recently-used store of suggestions."""

    def __init__(self, most: int = MOST) -> None:
        self._most = most
        self._kept: OrderedDict[Key, tuple[Suggestion, ...]] = OrderedDict()
        self._lock = threading.Lock()

    def get(
        self,
        *,
        flow_id: str,
        step_id: str,
        scope: frozenset[str] | None,
        answer_ids: Sequence[int],
        texts: Sequence[str],
        make: Callable[[list[str]], list[Suggestion]],
    ) -> tuple[Suggestion, ...]:
        key: Key = (
            flow_id,
            step_id,
            None if scope is None else tuple(sorted(scope)),
            digest(answer_ids, texts),
        )
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        # Outside the lock: one question's slow suggester must not hold up another's page.
        made = tuple(make(list(texts)))
        with self._lock:
            self._kept[key] = made
            self._kept.move_to_end(key)
            while len(self._kept) > self._most:
                self._kept.popitem(last=False)
        return made

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)


suggestions = SuggestionCache()
