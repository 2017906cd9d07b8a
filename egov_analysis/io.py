"""Writing outputs safely and reproducibly.

Every output is written to a temporary file in the same folder and moved into place with
``os.replace``: a reader (or a failed run) sees the old file or the new one, never a part.
Tables are written with sorted rows and fixed float formatting so two runs give the same bytes.
"""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is heavy; a no-op build must not import it
    import pandas as pd


def atomic_write_bytes(path: Path, data: bytes, *, only_if_changed: bool = False) -> bool:
    """Write ``data`` to ``path`` atomically; return True if written.

    ``only_if_changed`` leaves an identical file alone (its mtime too).
    """
    path = Path(path)
    if only_if_changed:
        try:
            if path.read_bytes() == data:
                return False
        except FileNotFoundError:
            pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def csv_bytes(df: pd.DataFrame, float_format: str = "%.10g") -> bytes:
    """Deterministic CSV: no index, ``\\n`` line ends, fixed float format."""
    return df.to_csv(index=False, lineterminator="\n", float_format=float_format).encode("utf-8")


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """Deterministic parquet bytes (no index, no timestamps in metadata)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd", write_statistics=False)
    return buf.getvalue()


def write_tables(outputs: dict[Path, bytes]) -> None:
    """Publish several outputs of one step together, all or nothing.

    Every output's bytes are built first by the caller (validation included). Each is written
    to a temporary file next to its target; only when all are written are they moved into
    place with ``os.replace``. On any error the temporary files are removed and the previous
    outputs stay as they were. An unchanged output is left alone (its mtime too).
    """
    temps: dict[Path, str] = {}
    try:
        for path, data in outputs.items():
            path = Path(path)
            if path.exists() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            temps[path] = tmp
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.chmod(tmp, 0o644)
        for path, tmp in temps.items():
            os.replace(tmp, path)
    finally:
        for tmp in temps.values():
            Path(tmp).unlink(missing_ok=True)
