"""The engine's memory of one conversation, as JSON-serialisable data the caller stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flows.outcome import Status

STATE_VERSION = 1


@dataclass
class State:
    flow_id: str
    flow_version: int
    language: str
    context: dict[str, str]
    status: Status = Status.ACTIVE
    step: str | None = None  # the question waiting for a reply
    seq: int = 0  # bumps each time a question is asked afresh
    reprompts: int = 0
    values: dict[str, Any] = field(default_factory=dict)  # step id -> typed value (None if special)
    specials: dict[str, str | None] = field(default_factory=dict)
    path: list[str] = field(default_factory=list)  # questions answered, in order, for BACK
    # The question the built-in "who is answering?" question was asked before, to go on to.
    after_who: str | None = None
    expires_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": STATE_VERSION,
            "flow_id": self.flow_id,
            "flow_version": self.flow_version,
            "language": self.language,
            "context": dict(self.context),
            "status": self.status.value,
            "step": self.step,
            "seq": self.seq,
            "reprompts": self.reprompts,
            "values": dict(self.values),
            "specials": dict(self.specials),
            "path": list(self.path),
            "after_who": self.after_who,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        expires = data.get("expires_at")
        return cls(
            flow_id=str(data["flow_id"]),
            flow_version=int(data["flow_version"]),
            language=str(data["language"]),
            context={str(k): str(v) for k, v in dict(data.get("context") or {}).items()},
            status=Status(data.get("status", Status.ACTIVE)),
            step=data.get("step"),
            seq=int(data.get("seq", 0)),
            reprompts=int(data.get("reprompts", 0)),
            values=dict(data.get("values") or {}),
            specials=dict(data.get("specials") or {}),
            path=list(data.get("path") or []),
            after_who=data.get("after_who"),
            expires_at=datetime.fromisoformat(expires) if expires else None,
        )
