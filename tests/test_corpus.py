"""Reading raw bytes, sources.csv consistency, and `egov add`, including bad inputs."""

from __future__ import annotations

import codecs
import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from egov_analysis.cli import cli
from egov_analysis.corpus import check_corpus, decode_bytes, read_sources
from egov_analysis.errors import CorpusError, DecodeError
from egov_analysis.pipeline import run_clean
from tests.conftest import FIXTURES

def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: precomposed base letters plus combining tone marks."""
    import unicodedata

    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in "\u0300\u0301\u0303\u0309\u0323"))
            tone = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            out.append((base + tone).encode("cp1258"))
    return b"".join(out)


TEXT = "Bắc Giang tiết kiệm 15 tỷ đồng\n\nTỷ lệ văn bản điện tử đạt 79,1% trong toàn tỉnh Bắc Giang.\n"


def _egov(p, *args):
    return CliRunner().invoke(cli, ["--root", str(p.root), *args], catch_exceptions=False)


# ---- decoding ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding,data",
    [
        ("utf-8", TEXT.encode("utf-8")),
        ("utf-8-sig", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
        ("utf-16", TEXT.encode("utf-16")),
        ("utf-16-le", TEXT.encode("utf-16-le")),
        ("cp1258", to_cp1258(TEXT)),
    ],
)
def test_article_bytes_decode_in_every_scraper_encoding(encoding, data):
    text, used = decode_bytes(data, "a.txt")
    import unicodedata

    assert unicodedata.normalize("NFC", text) == TEXT
    assert used == encoding


def test_empty_file_is_a_clear_error():
    with pytest.raises(DecodeError, match=r"a\.txt: the file is empty"):
        decode_bytes(b"  \n\n", "a.txt")


def test_binary_file_is_a_clear_error():
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(bytes(range(256)) * 4, "a.txt")


def test_undecodable_bytes_are_a_clear_error_naming_the_file():
    with pytest.raises(DecodeError, match=r"x\.txt: .*UTF-8, UTF-16 or Windows-1258") as err:
        decode_bytes(b"\x81\x8a\x9a\x9d latin junk \xff\xfe\xfd", "x.txt")
    assert "iconv" in str(err.value)


# ---- corpus consistency ----------------------------------------------------------------


def test_shipped_sources_csv_is_valid_and_matches_files(project):
    src = check_corpus(project)
    assert len(src) == 5
    assert set(src["published"].dropna()) == {"2019-03-12", "2017-06-27"}


def test_file_listed_but_missing_is_reported(project):
    (project.articles / "003_03dcba3481938d2a.txt").unlink()
    with pytest.raises(CorpusError, match="003_03dcba3481938d2a.txt is listed in sources.csv but the file is missing"):
        check_corpus(project)


def test_file_present_but_not_listed_is_reported(project):
    (project.articles / "999_new.txt").write_text(TEXT, encoding="utf-8")
    with pytest.raises(CorpusError, match=r"999_new.txt is in data/raw/articles but not listed .*egov add"):
        check_corpus(project)


def test_edited_raw_article_is_reported_as_immutable(project):
    f = project.articles / "000_122b7f8943a07767.txt"
    f.write_bytes(f.read_bytes() + b"\nthem")
    with pytest.raises(CorpusError, match="immutable"):
        check_corpus(project)


def test_invalid_sources_row_lists_every_failure(project):
    df = pd.read_csv(project.sources_csv, dtype=str)
    df.loc[0, "published"] = "12/03/2019"
    df.loc[1, "language"] = "de"
    df.to_csv(project.sources_csv, index=False)
    with pytest.raises(Exception) as err:
        read_sources(project)
    assert "published" in str(err.value) and "language" in str(err.value)


def test_bad_article_leaves_previous_processed_output_untouched(project):
    run_clean(project)
    before = project.articles_parquet.read_bytes()
    bad = project.articles / "000_122b7f8943a07767.txt"
    bad.write_bytes(b"")
    with pytest.raises(CorpusError):
        run_clean(project)
    assert project.articles_parquet.read_bytes() == before


def test_html_saved_as_txt_is_refused_with_the_fix(empty_project):
    page = empty_project.root / "page.txt"
    shutil.copy(FIXTURES / "corpus" / "page.html", page)
    result = _egov(empty_project, "add", str(page))
    assert result.exit_code == 2
    assert "holds an HTML page" in result.output and "rename it to .html" in result.output
    assert len(read_sources(empty_project)) == 0 and not any(empty_project.articles.iterdir())


# ---- egov add ------------------------------------------------------------------------------


def test_add_text_file_copies_it_and_appends_a_row(empty_project, tmp_path):
    src = tmp_path / "bai.txt"
    src.write_text(TEXT, encoding="utf-8")
    result = _egov(empty_project, "add", str(src), "--published", "2015-11-05", "--outlet", "Báo Bắc Giang")
    assert result.exit_code == 0, result.output
    rows = read_sources(empty_project)
    assert len(rows) == 1
    row = rows.iloc[0]
    assert row.title == "Bắc Giang tiết kiệm 15 tỷ đồng" and row.published == "2015-11-05" and row.outlet == "Báo Bắc Giang"
    assert (empty_project.raw / row.file).read_bytes() == src.read_bytes()
    assert row.article_id.startswith("000_") and row.sha256 in row.article_id + row.sha256


def test_add_html_page_extracts_the_main_text(empty_project):
    result = _egov(empty_project, "add", str(FIXTURES / "corpus" / "page.html"))
    assert result.exit_code == 0, result.output
    row = read_sources(empty_project).iloc[0]
    assert row.file.endswith(".html") and "Đồng Nai" in row.title
    assert row.published == "2018-05-14"
    run_clean(empty_project)
    body = pd.read_parquet(empty_project.articles_parquet).iloc[0]["body"]
    assert "hơn 500.000 văn bản điện tử" in body
    assert "Trang chủ" not in body and "Bản quyền" not in body


def test_add_duplicate_is_refused_and_nothing_is_written(project, tmp_path):
    dup = tmp_path / "copy.txt"
    shutil.copy(project.articles / "002_c8bff0f7a8f82fba.txt", dup)
    before = project.sources_csv.read_bytes()
    result = _egov(project, "add", str(dup))
    assert result.exit_code == 2
    assert "already in the corpus as 002_c8bff0f7a8f82fba" in result.output
    assert project.sources_csv.read_bytes() == before
    assert len(list(project.articles.iterdir())) == 5


def test_add_same_text_in_another_encoding_is_a_duplicate(project, tmp_path):
    raw = (project.articles / "003_03dcba3481938d2a.txt").read_text(encoding="utf-8")
    dup = tmp_path / "utf16.txt"
    dup.write_bytes(raw.encode("utf-16"))
    result = _egov(project, "add", str(dup))
    assert result.exit_code == 2 and "same text is already in the corpus as 003_03dcba3481938d2a" in result.output


def test_add_two_identical_new_files_in_one_command_adds_neither(empty_project, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(TEXT, encoding="utf-8")
    b.write_text(TEXT, encoding="utf-8")
    result = _egov(empty_project, "add", str(a), str(b))
    assert result.exit_code == 2 and "already in the corpus" in result.output
    assert len(read_sources(empty_project)) == 0 and not any(empty_project.articles.iterdir())


def test_add_rejects_a_bad_published_date(empty_project, tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(TEXT, encoding="utf-8")
    result = _egov(empty_project, "add", str(a), "--published", "27/06/2017")
    assert result.exit_code == 2 and "--published" in result.output and "YYYY-MM-DD" in result.output


def test_clean_command_prints_a_summary_per_article(project):
    result = _egov(project, "clean")
    assert result.exit_code == 0, result.output
    assert "002_c8bff0f7a8f82fba:" in result.output and "not_vietnamese" in result.output
    assert project.articles_parquet.exists()


def test_clean_is_deterministic(project):
    run_clean(project)
    first = [project.articles_parquet.read_bytes(), project.sentences_parquet.read_bytes(), project.cleaning_log_csv.read_bytes()]
    for f in (project.articles_parquet, project.sentences_parquet, project.cleaning_log_csv):
        f.unlink()
    run_clean(project)
    assert first == [project.articles_parquet.read_bytes(), project.sentences_parquet.read_bytes(), project.cleaning_log_csv.read_bytes()]


def test_add_refuses_an_article_with_a_title_but_no_text(empty_project, tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Cà Mau: tiết kiệm nhờ văn bản điện tử\n\n", encoding="utf-8")
    result = _egov(empty_project, "add", str(a))
    assert result.exit_code == 2 and "no text under it" in result.output and str(a) in result.output
    assert len(read_sources(empty_project)) == 0
