"""Model artefacts on disk and the serving process's current model, swapped atomically.

Artefacts live under ``MODEL_DIR`` (default ``instance/models``), one directory per
version (``<MODEL_DIR>/<version>/model.npz`` + ``meta.json``), written atomically by
``HybridModel.save``. A ``ModelVersion`` row records where each one is and which is active.

``ModelHolder`` keeps the active model of one process. ``current(session)`` asks the
database which version is active at most every ``check_seconds``; when it changed, the
new artefact is loaded *outside* the lock (other requests keep the old model meanwhile)
and then installed with one reference assignment, so no request ever sees a half-loaded
model and no restart is needed.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from recommender.model import ArtefactError, HybridModel
from webapp.recommend.models import ModelVersion

log = logging.getLogger(__name__)


def model_dir(config) -> Path:
    base = config.get("MODEL_DIR") or str(Path(config["INSTANCE_PATH"]) / "models")
    return Path(base)


def artefact_path(base: Path, version: str) -> Path:
    return Path(base) / version


def save(model: HybridModel, base: Path, version: str) -> Path:
    return model.save(artefact_path(base, version))


def load(path: str | Path) -> HybridModel:
    return HybridModel.load(path)


def remove(path: str | Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


@dataclass(frozen=True)
class Loaded:
    """An installed model: immutable once built, replaced as a whole."""

    version_id: int
    version: str
    model: HybridModel


class ModelHolder:
    def __init__(self, check_seconds: float = 30.0):
        self.check_seconds = check_seconds
        self._loaded: Loaded | None = None
        self._checked_at = float("-inf")
        self._load_lock = threading.Lock()
        self._failed: set[int] = set()

    @property
    def loaded(self) -> Loaded | None:
        return self._loaded

    def recheck(self) -> None:
        """Look at the active version on the next call, whatever the interval."""
        self._checked_at = float("-inf")

    def reset(self) -> None:
        self._loaded = None
        self._checked_at = float("-inf")
        self._failed.clear()

    def current(self, session: Session) -> Loaded | None:
        """The active model (None when no version is active or loadable)."""
        loaded = self._loaded
        if time.monotonic() - self._checked_at < self.check_seconds:
            return loaded
        # one thread checks and loads; the others keep serving what is installed
        if not self._load_lock.acquire(blocking=loaded is None):
            return loaded
        try:
            self._checked_at = time.monotonic()
            row = session.execute(
                select(ModelVersion.id, ModelVersion.version, ModelVersion.path)
                .where(ModelVersion.active)
                .order_by(ModelVersion.id.desc())
                .limit(1)
            ).first()
            if row is None:
                self._loaded = None
                return None
            loaded = self._loaded
            if loaded is not None and loaded.version_id == row.id:
                return loaded
            if row.id in self._failed:
                return loaded
            try:
                model = load(row.path)  # outside any lock readers take
            except ArtefactError:
                log.exception("cannot load model version %s from %s", row.version, row.path)
                self._failed.add(row.id)
                return loaded
            new = Loaded(row.id, row.version, model)
            self._loaded = new  # the atomic swap: one reference assignment
            log.info("serving model version %s", row.version)
            return new
        finally:
            self._load_lock.release()
