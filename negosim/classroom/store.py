"""The classroom's state in SQLite: students, rounds, seats, every move and every stated plan (the
strategy method), written before it counts.

The store is append-mostly and small: a restarted server reads it back and replays the moves through
the rules (`negosim.classroom.rules`), so no choice acknowledged to a student is ever lost. Each write
is one transaction in WAL mode with ``synchronous=FULL``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS students (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, nickname TEXT NOT NULL,
                                     joined REAL NOT NULL);
CREATE TABLE IF NOT EXISTS rounds (round INTEGER PRIMARY KEY, scenario INTEGER NOT NULL, params TEXT NOT NULL,
                                   started REAL NOT NULL);
CREATE TABLE IF NOT EXISTS seats (round INTEGER NOT NULL, grp INTEGER NOT NULL, role TEXT NOT NULL, student TEXT,
                                  PRIMARY KEY (round, grp, role));
CREATE TABLE IF NOT EXISTS moves (id INTEGER PRIMARY KEY AUTOINCREMENT, round INTEGER NOT NULL,
                                  grp INTEGER NOT NULL, node TEXT NOT NULL, role TEXT NOT NULL,
                                  action TEXT NOT NULL, seat TEXT NOT NULL, student TEXT, key TEXT UNIQUE,
                                  time REAL NOT NULL);
CREATE TABLE IF NOT EXISTS round_methods (round INTEGER PRIMARY KEY, method TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plans (id INTEGER PRIMARY KEY AUTOINCREMENT, round INTEGER NOT NULL, grp INTEGER NOT NULL,
                                  role TEXT NOT NULL, decision TEXT NOT NULL, action TEXT NOT NULL,
                                  student TEXT NOT NULL, key TEXT NOT NULL, time REAL NOT NULL,
                                  UNIQUE (round, grp, role, decision));
"""


class Store:
    """One classroom session's SQLite file (``classroom.sqlite3`` in the state folder).

    Parameters
    ----------
    folder : str or pathlib.Path
        The state folder (created when missing); the file's tables are created when missing.

    Examples
    --------
    >>> import tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> store = Store(tmp.name)
    >>> store.path.name, store.meta()
    ('classroom.sqlite3', {})
    >>> store.write([Store.set_meta("round", 2), Store.set_meta("status", "playing")])
    >>> store.meta()
    {'round': 2, 'status': 'playing'}
    >>> store.close(); tmp.cleanup()
    """

    def __init__(self, folder: str | Path):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "classroom.sqlite3"
        self._lock = threading.Lock()
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def write(self, statements: list[tuple[str, tuple]]) -> None:
        """Run the statements in one transaction: all of them are stored, or none."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    self.db.execute(sql, args)
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self.db.execute(sql, args).fetchall()

    # --- meta ------------------------------------------------------------------------------------
    def meta(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self.rows("SELECT key, value FROM meta")}

    @staticmethod
    def set_meta(key: str, value: object) -> tuple[str, tuple]:
        return ("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value)))


__all__ = ["Store"]
