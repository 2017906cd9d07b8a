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

import pandas as pd


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    path = Path(path)
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
    """Write several outputs only after all of them were produced.

    Callers build every output's bytes first (validation included) and then publish them
    together, so a failure part-way never leaves a mix of old and new files from one run
    beyond the atomic replace of each.
    """
    for path, data in outputs.items():
        if Path(path).exists() and Path(path).read_bytes() == data:
            continue  # unchanged: keep the mtime so incremental builds see no change
        atomic_write_bytes(path, data)
