"""Analyst curation: ``data/curation/overrides.csv``, applied after extraction.

The file is the analysts'; the pipeline reads it and never rewrites it. Each row:

* ``reject`` a record (by ``record_id``): it stays in the table with status ``rejected``;
* ``correct`` a record: the non-empty fields replace the extracted ones, status ``curated``;
* ``add`` a record the rules missed: ``article_id`` + ``quote`` (an exact substring of the
  cleaned article) + ``value_text`` (the figure as written inside the quote) + fields.

Every row needs a ``reason``. An override that matches nothing (its record disappeared
because the text or the rules changed) is reported in ``curation_report.csv``, not dropped.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from . import config
from .errors import CurationError
from .schemas import QUALIFIERS, UNITS

COLUMNS = [
    "override_id", "action", "record_id", "article_id", "quote", "value_text", "indicator_id", "province",
    "period_start", "period_end", "scope", "value", "value_low", "value_high", "denominator", "unit",
    "qualifier", "reason", "analyst", "date",
]
FIELDS = ["indicator_id", "province", "period_start", "period_end", "scope", "value", "value_low", "value_high", "denominator", "unit", "qualifier"]
NUMERIC = {"value", "value_low", "value_high", "denominator"}


def read_overrides(p: config.Paths | None = None) -> pd.DataFrame:
    """The overrides table (empty when the file is absent), checked row by row."""
    p = p or config.paths()
    path = p.overrides_csv
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, comment="#")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise CurationError(f"not a readable CSV table ({type(e).__name__}: {str(e).splitlines()[0]})", where=path,
                            fix="save it as UTF-8 CSV with the header " + ",".join(COLUMNS) + " (quote cells that hold commas)") from None
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise CurationError(f"missing column(s) {missing}", where=path, fix=f"the header must be: {','.join(COLUMNS)}")
    problems = []
    for i, row in df.iterrows():
        line = i + 2
        if row["action"] not in ("reject", "correct", "add"):
            problems.append(f"line {line}: action {row['action']!r} must be reject, correct or add")
        if not row["override_id"]:
            problems.append(f"line {line}: override_id is empty")
        if not row["reason"].strip():
            problems.append(f"line {line}: every override needs a reason")
        if row["action"] in ("reject", "correct") and not row["record_id"]:
            problems.append(f"line {line}: {row['action']} needs the record_id it applies to")
        if row["action"] == "add" and not (row["article_id"] and row["quote"] and row["value_text"] and row["indicator_id"] and row["unit"]):
            problems.append(f"line {line}: add needs article_id, quote, value_text, indicator_id and unit")
        for col in NUMERIC:
            if row[col]:
                try:
                    float(row[col])
                except ValueError:
                    problems.append(f"line {line}: {col} {row[col]!r} is not a number (write 7000000000, not '7 tỷ')")
        if row["unit"] and row["unit"] not in UNITS:
            problems.append(f"line {line}: unit {row['unit']!r} must be one of {UNITS}")
        if row["qualifier"] and row["qualifier"] not in QUALIFIERS:
            problems.append(f"line {line}: qualifier {row['qualifier']!r} must be one of {QUALIFIERS}")
    if df["override_id"].duplicated().any():
        problems.append(f"override_id repeated: {sorted(set(df.loc[df['override_id'].duplicated(), 'override_id']))}")
    if problems:
        raise CurationError("invalid overrides:\n  - " + "\n  - ".join(problems), where=path, fix="correct the listed lines")
    return df


def apply_overrides(records: pd.DataFrame, overrides: pd.DataFrame, bodies: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(records with overrides applied, report with one row per override). Pure."""
    out = records.copy()
    report = []
    index = {rid: i for i, rid in zip(out.index, out["record_id"])}
    added = []
    for row in overrides.to_dict("records"):
        oid, action = row["override_id"], row["action"]
        if action in ("reject", "correct"):
            i = index.get(row["record_id"])
            if i is None:
                report.append({"override_id": oid, "action": action, "record_id": row["record_id"], "is_applied": False,
                               "message": "no extracted record has this id (the article text or the rules changed); review the override"})
                continue
            if action == "reject":
                out.at[i, "status"] = "rejected"
            else:
                for f in FIELDS:
                    if row[f] != "":
                        out.at[i, f] = float(row[f]) if f in NUMERIC else row[f]
                out.at[i, "status"] = "curated"
            out.at[i, "note"] = f"{action} ({oid}): {row['reason']}"
            report.append({"override_id": oid, "action": action, "record_id": row["record_id"], "is_applied": True, "message": ""})
        else:
            body = bodies.get(row["article_id"])
            start = body.find(row["quote"]) if body is not None else -1
            v_start = row["quote"].find(row["value_text"]) if start >= 0 else -1
            if body is None or start < 0 or v_start < 0:
                why = "unknown article_id" if body is None else ("quote not found in the cleaned article" if start < 0 else "value_text not inside the quote")
                report.append({"override_id": oid, "action": action, "record_id": "", "is_applied": False, "message": why})
                continue
            rid = "cur-" + hashlib.sha1(f"{row['article_id']}|{oid}".encode()).hexdigest()[:12]
            rec = {f: (float(row[f]) if f in NUMERIC else row[f]) if row[f] != "" else None for f in FIELDS}
            rec.update(
                record_id=rid, article_id=row["article_id"], quote=row["quote"], quote_start=start, quote_end=start + len(row["quote"]),
                value_text=row["value_text"], value_start=start + v_start, value_end=start + v_start + len(row["value_text"]),
                part_of=None, status="curated", note=f"add ({oid}): {row['reason']}",
            )
            rec["qualifier"] = rec["qualifier"] or "exact"
            added.append(rec)
            report.append({"override_id": oid, "action": action, "record_id": rid, "is_applied": True, "message": ""})
    if added:
        out = pd.concat([out, pd.DataFrame(added)[out.columns]], ignore_index=True)
    return out, pd.DataFrame(report, columns=["override_id", "action", "record_id", "is_applied", "message"])


class CurationStream:
    """:func:`apply_overrides` for records that arrive in batches (extraction streams the corpus).

    Each batch gets the overrides that concern it: reject/correct by the record ids in the
    batch, add by the articles the batch covers. :meth:`report` then lists every override once,
    in file order, with those that met no record or article reported exactly as
    :func:`apply_overrides` reports them on the whole corpus.
    """

    def __init__(self, overrides: pd.DataFrame):
        self.overrides = overrides.reset_index(drop=True)
        self._by_record: dict[str, list[int]] = {}  # a record may have several overrides (correct, then reject)
        for i, (rid, action) in enumerate(zip(self.overrides["record_id"], self.overrides["action"])):
            if action in ("reject", "correct"):
                self._by_record.setdefault(rid, []).append(i)
        self._adds: dict[str, list[int]] = {}
        for i, (aid, action) in enumerate(zip(self.overrides["article_id"], self.overrides["action"])):
            if action == "add":
                self._adds.setdefault(aid, []).append(i)
        self._report: dict[int, dict] = {}

    def needs_body(self, article_id: str) -> bool:
        """Does an add override quote this article (so its body must be kept for the batch)?"""
        return article_id in self._adds

    def apply(self, records: pd.DataFrame, article_ids: list[str], bodies: dict[str, str]) -> pd.DataFrame:
        """The batch's records with its overrides applied (``bodies``: those :meth:`needs_body` asked for)."""
        rows = sorted({i for r in records["record_id"] for i in self._by_record.get(r, ())}
                      | {i for a in article_ids for i in self._adds.get(a, ())})
        if not rows:
            return records
        out, report = apply_overrides(records, self.overrides.iloc[rows], bodies)
        for i, rep in zip(rows, report.to_dict("records")):
            self._report[i] = rep
        return out

    def take_report(self) -> dict[int, dict]:
        """The report rows of the batches applied so far (by override row), forgotten here: a
        worker process hands them to the parent's stream (:meth:`add_report`)."""
        taken, self._report = self._report, {}
        return taken

    def add_report(self, rows: dict[int, dict]) -> None:
        self._report.update(rows)

    def report(self) -> pd.DataFrame:
        """One row per override, in file order."""
        rest = [i for i in range(len(self.overrides)) if i not in self._report]
        empty = pd.DataFrame(columns=["record_id"])
        _, unmatched = apply_overrides(empty, self.overrides.iloc[rest], {})
        rows = dict(self._report) | dict(zip(rest, unmatched.to_dict("records")))
        return pd.DataFrame([rows[i] for i in sorted(rows)], columns=["override_id", "action", "record_id", "is_applied", "message"])
