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
    to a temporary file next to its target (:func:`staged_file`); only when all are written are
    they moved into place (:func:`publish`). On any error the temporary files are removed and
    the previous outputs stay as they were. An unchanged output is left alone (its mtime too).
    """
    staged: dict[Path, Path] = {}
    try:
        for path, data in outputs.items():
            staged[Path(path)] = tmp = staged_file(path)
            tmp.write_bytes(data)
        publish(staged)
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)


def staged_file(path: Path) -> Path:
    """A new empty temporary file next to ``path``, for an output written piece by piece (a
    streamed table) and published later with :func:`publish`. The caller removes it on error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    os.chmod(tmp, 0o644)
    return Path(tmp)


def publish(staged: dict[Path, Path]) -> None:
    """Move each complete staged file onto its target with ``os.replace`` (atomic per file); a
    target whose bytes equal the staged file's is left alone, mtime included."""
    import filecmp

    for path, tmp in staged.items():
        if Path(path).exists() and filecmp.cmp(path, tmp, shallow=False):
            Path(tmp).unlink()
        else:
            os.replace(tmp, path)
