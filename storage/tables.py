"""Every table of the schema, for whatever needs all of them at once (migrations, schema checks)."""

from __future__ import annotations

from storage import dashboard_models, flow_models, models
from storage.base import Base

metadata = Base.metadata
__all__ = ["dashboard_models", "flow_models", "metadata", "models"]
