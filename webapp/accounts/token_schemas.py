"""API token listing (the token itself is shown only once, at creation)."""

from __future__ import annotations

from datetime import datetime

from webapp.core.schemas import OutModel


class TokenInfoOut(OutModel):
    id: int
    created_at: datetime
    last_used_at: datetime | None = None
    expires_at: datetime
    current: bool


class TokenList(OutModel):
    items: list[TokenInfoOut]
