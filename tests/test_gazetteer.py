"""The province gazetteer: tables, resolve(), find(), the 2025 units."""

from __future__ import annotations

import pickle
import unicodedata

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egov_analysis import config
from egov_analysis.errors import InputError, ParameterError
from egov_analysis.gazetteer import (
    NATIONAL,
    Gazetteer,
    Mention,
    fold,
    load_provinces,
    load_units_2025,
    split_variants,
)



@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture
def project(reference_project) -> config.Paths:
    return reference_project


def spans(g: Gazetteer, text: str) -> list[tuple[int, int, str, str]]:
    return [(m.start, m.end, m.text, m.province) for m in g.find(text)]


# --- the tables ------------------------------------------------------------------------------


def test_provinces_table_has_63_unique_codes_and_names():
    df = load_provinces()
    assert len(df) == 63
    assert df["code"].is_unique and df["name"].is_unique


def test_province_codes_are_two_digit_strings():
    df = load_provinces()
    assert df["code"].str.fullmatch(r"\d{2}").all()
    assert df.loc[df["name"] == "Hà Nội", "code"].item() == "01"


def test_huế_is_canonical_and_thừa_thiên_huế_a_variant():
    df = load_provinces().set_index("name")
    assert "Thừa Thiên Huế" in split_variants(df.loc["Huế", "variants"])


def test_units_2025_has_34_rows():
    units = load_units_2025()
    assert len(units) == 34
    assert list(units.columns[:4]) == ["name_2025", "code_2025", "kind_2025", "merged_from"]


def test_every_2024_province_is_in_exactly_one_2025_unit():
    units = load_units_2025()
    olds = [old for merged in units["merged_from"] for old in merged]
    assert sorted(olds) == sorted(load_provinces()["name"])


def test_provinces_name_2025_matches_the_units_table():
    units = load_units_2025().explode("merged_from").set_index("merged_from")
    df = load_provinces().set_index("name")
    assert (df["name_2025"] == units.loc[df.index, "name_2025"]).all()
    assert (df["code_2025"] == units.loc[df.index, "code_2025"]).all()


def test_names_are_the_63_canonical_names_in_code_order(g):
    assert g.names() == load_provinces()["name"].tolist()
    assert len(g.names()) == 63


@pytest.mark.parametrize(
    "old, new",
    [("Bắc Giang", "Bắc Ninh"), ("Hà Giang", "Tuyên Quang"), ("Cà Mau", "Cà Mau"), ("Bạc Liêu", "Cà Mau"),
     ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh"), ("Thừa Thiên Huế", "Huế"), ("Hậu Giang", "Cần Thơ")],
)
def test_unit_2025_maps_old_province_to_new_unit(g, old, new):
    assert g.unit_2025(old) == new


def test_unit_2025_of_national_is_national(g):
    assert g.unit_2025(NATIONAL) == NATIONAL


# --- resolve -----------------------------------------------------------------------------------


def test_every_listed_variant_resolves_to_its_row(g):
    wrong = [
        (variant, row.name, g.resolve(variant))
        for row in load_provinces().itertuples()
        for variant in split_variants(row.variants)
        if g.resolve(variant) != row.name
    ]
    assert wrong == []


@pytest.mark.parametrize(
    "spelling, canonical",
    [
        ("Bắc Giang", "Bắc Giang"),  # canonical
        ("bac giang", "Bắc Giang"),  # no diacritics, lower case
        ("BẮC GIANG", "Bắc Giang"),  # upper case
        ("  Bắc   Giang ", "Bắc Giang"),  # spacing
        (unicodedata.normalize("NFD", "Bắc Giang"), "Bắc Giang"),  # decomposed input
        ("tỉnh Bắc Giang", "Bắc Giang"),  # prefix
        ("Tinh Bac Giang", "Bắc Giang"),
        ("thành phố Cà Mau", "Cà Mau"),  # the provincial city
        ("TP. Cần Thơ", "Cần Thơ"),
        ("Hà Nội", "Hà Nội"),
        ("TP.HCM", "Hồ Chí Minh"),  # abbreviations
        ("TP. HCM", "Hồ Chí Minh"),
        ("TPHCM", "Hồ Chí Minh"),
        ("HCM", "Hồ Chí Minh"),
        ("Sài Gòn", "Hồ Chí Minh"),
        ("Hồ Chí Minh", "Hồ Chí Minh"),
        ("Thừa Thiên Huế", "Huế"),  # the name before 2025
        ("Thừa Thiên - Huế", "Huế"),
        ("TT-Huế", "Huế"),
        ("Hue", "Huế"),
        ("BR-VT", "Bà Rịa - Vũng Tàu"),
        ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"),  # en dash
        ("Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Hoà Bình", "Hòa Bình"),  # old-style tone mark
        ("Thanh Hoá", "Thanh Hóa"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("Đắc Lắc", "Đắk Lắk"),  # spelling variants
        ("Dak Lak", "Đắk Lắk"),
        ("Đăk Lăk", "Đắk Lắk"),
        ("Đắc Nông", "Đắk Nông"),
        ("Kontum", "Kon Tum"),
        ("Bắc Cạn", "Bắc Kạn"),
    ],
)
def test_resolve_spelling_variants(g, spelling, canonical):
    assert g.resolve(spelling) == canonical


def test_resolve_strips_an_administrative_prefix_not_listed_as_variant(g):
    assert g.resolve("thành phố Đồng Nai") == "Đồng Nai"


@pytest.mark.parametrize("word", ["Việt Nam", "viet nam", "cả nước", "toàn quốc"])
def test_resolve_national_words_give_national(g, word):
    assert g.resolve(word) == NATIONAL


def test_resolve_unknown_name_raises_parameter_error_naming_it(g):
    with pytest.raises(ParameterError) as exc:
        g.resolve("Bac Gang")
    assert "Bac Gang" in exc.value.message
    assert "Bắc Giang" in exc.value.fix


def test_resolve_unknown_name_lists_up_to_three_suggestions(g):
    with pytest.raises(ParameterError) as exc:
        g.resolve("Giang")
    suggestions = g.suggest("Giang")
    assert 1 <= len(suggestions) <= 3
    assert all(repr(name) in exc.value.fix for name in suggestions)


def test_resolve_never_guesses_a_bare_syllable(g):
    for word in ["Nam", "Bình", "Giang", "quốc gia"]:
        with pytest.raises(ParameterError):
            g.resolve(word)


def test_suggest_ranks_the_closest_name_first(g):
    assert g.suggest("Bac Gang")[0] == "Bắc Giang"
    assert len(g.suggest("Giang", n=2)) <= 2


def test_suggest_returns_nothing_for_gibberish(g):
    assert g.suggest("qwxz") == []


def test_names_without_diacritics_are_unambiguous(g):
    folded = [fold(n).casefold() for n in g.names()]
    assert len(set(folded)) == 63


# --- find: the seed sentences ------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("các huyện, thành phố Cà Mau nhằm đánh giá", [(11, 27, "thành phố Cà Mau", "Cà Mau")]),
        ("thành phố Hà Nội trung bình mỗi ngày", [(0, 16, "thành phố Hà Nội", "Hà Nội")]),
        ("tỉnh Bắc Giang xếp thứ hạng 20/63 tỉnh thành.", [(0, 14, "tỉnh Bắc Giang", "Bắc Giang")]),
        ("Theo thông tin từ Sở TT&TT thành phố Cần Thơ, hệ thống", [(27, 44, "thành phố Cần Thơ", "Cần Thơ")]),
        ("Sở TT&TT Cà Mau cho biết", [(9, 15, "Cà Mau", "Cà Mau")]),
    ],
)
def test_find_seed_sentences_with_offsets(g, sentence, expected):
    assert spans(g, sentence) == expected
    for start, end, text, _ in expected:
        assert sentence[start:end] == text


def test_find_on_the_seed_articles_names_their_provinces(g):
    expected = {"000": {"Cà Mau"}, "001": {"Cà Mau"}, "002": {"Bắc Giang"}, "003": {"Cần Thơ"}, "004": {"Hà Nội", "Bắc Giang"}}
    for path in sorted(config.paths().articles.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        mentions = g.find(text)
        assert {m.province for m in mentions} == expected[path.name[:3]], path.name
        assert all(text[m.start : m.end] == m.text for m in mentions)


# --- find: rules that must hold on unseen text --------------------------------------------------


def test_find_returns_mentions(g):
    assert g.find("tỉnh Cà Mau") == [Mention(0, 11, "tỉnh Cà Mau", "Cà Mau")]


def test_find_does_not_match_words_that_differ_only_in_diacritics(g):
    assert g.find("cán bộ hà nằm viện") == []


def test_find_ascii_spelling_counts_only_in_text_without_diacritics(g):
    assert spans(g, "Tinh Ha Nam va Bac Giang") == [(0, 11, "Tinh Ha Nam", "Hà Nam"), (15, 24, "Bac Giang", "Bắc Giang")]
    assert g.find("Cán bộ ở Hue đã đến") == []  # one word: a name's diacritics, not a typo
    assert g.find("Cán bộ ha nam đã đến") == []


def test_find_a_capitalised_name_of_two_words_that_lost_its_diacritics(g):
    text = "Tỉnh Ninh Bình báo cáo. Trong khi đó, Ninh Binh còn một số chỉ tiêu thấp."
    assert [m.province for m in g.find(text)] == ["Ninh Bình", "Ninh Bình"]
    # ...only for a province the text also names properly: else it may be a person's name
    assert g.find("Ông Thanh Hoa, Giám đốc Sở, cho biết.") == []


def test_find_ascii_context_is_the_line_not_the_whole_text(g):
    text = "Tỉnh Hà Nam công bố.\nEnglish summary: Ha Nam province"
    assert [m.text for m in g.find(text)] == ["Tỉnh Hà Nam", "Ha Nam"]


def test_find_is_case_insensitive(g):
    assert spans(g, "UBND TỈNH BẮC GIANG") == [(5, 19, "TỈNH BẮC GIANG", "Bắc Giang")]


def test_find_respects_word_boundaries(g):
    assert [m.province for m in g.find("Bắc Giang")] == ["Bắc Giang"]  # not Hà Giang / An Giang
    assert g.find("Long Anh và Longan") == []
    assert g.find("BắcGiang") == []


@pytest.mark.parametrize("text", ["Giang", "Nam", "Bình", "phía Nam", "Hà", "miền Bắc", "quận Bình Thạnh"])
def test_find_ignores_bare_syllables(g, text):
    assert g.find(text) == []


def test_find_common_word_names_need_capitals(g):
    assert g.find("vì hòa bình thế giới, biển hải dương") == []
    assert [m.province for m in g.find("Hòa Bình, HẢI DƯƠNG, tỉnh thái bình")] == ["Hòa Bình", "Hải Dương", "Thái Bình"]


def test_find_prefers_the_longest_spelling(g):
    assert spans(g, "Bà Rịa - Vũng Tàu") == [(0, 17, "Bà Rịa - Vũng Tàu", "Bà Rịa - Vũng Tàu")]
    assert spans(g, "tỉnh Thừa Thiên Huế") == [(0, 19, "tỉnh Thừa Thiên Huế", "Huế")]
    assert spans(g, "TP. Hồ Chí Minh") == [(0, 15, "TP. Hồ Chí Minh", "Hồ Chí Minh")]


def test_find_accepts_any_dash_and_spacing(g):
    assert [m.text for m in g.find("Bà Rịa – Vũng Tàu, Thừa Thiên-Huế")] == ["Bà Rịa – Vũng Tàu", "Thừa Thiên-Huế"]


def test_find_abbreviations(g):
    assert [m.province for m in g.find("TP.HCM, TPHCM, BR-VT và TT-Huế")] == [
        "Hồ Chí Minh", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "Huế"]


def test_find_does_not_report_ho_chi_minh_the_person(g):
    assert g.find("học tập tư tưởng Hồ Chí Minh, Đoàn TNCS HCM") == []
    assert [m.text for m in g.find("thành phố Hồ Chí Minh")] == ["thành phố Hồ Chí Minh"]


def test_find_national_words(g):
    found = spans(g, "cả nước có 63 tỉnh; Việt Nam xếp hạng toàn quốc")
    assert [(t, p) for _, _, t, p in found] == [("cả nước", NATIONAL), ("Việt Nam", NATIONAL), ("toàn quốc", NATIONAL)]


def test_find_national_database_is_not_a_national_mention(g):
    assert g.find("cơ sở dữ liệu quốc gia, Chương trình quốc gia") == []


def test_find_offsets_index_decomposed_text(g):
    text = unicodedata.normalize("NFD", "ở tỉnh Bắc Giang và Cà Mau")
    found = g.find(text)
    assert [m.province for m in found] == ["Bắc Giang", "Cà Mau"]
    assert all(text[m.start : m.end] == m.text for m in found)


SPELLINGS = ["Bắc Giang", "tỉnh Cà Mau", "TP.HCM", "Hà Nội", "Thừa Thiên Huế", "Đắk Lắk", "cả nước", "Long An"]
FILLER = st.text(alphabet=st.sampled_from(list("aăâbcdđeêhgiklmnoôơpqrstuưvxyàáạảãằẮỳ ,.;\n-")), max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(FILLER, st.sampled_from(SPELLINGS)), max_size=6), FILLER)
def test_find_mentions_are_ordered_non_overlapping_and_exact(g, pieces, tail):
    text = "".join(f + " " + s + " " for f, s in pieces) + tail
    found = g.find(text)
    assert all(text[m.start : m.end] == m.text for m in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    # every inserted spelling is found (it is surrounded by spaces, so bounded)
    assert len(found) >= len(pieces)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(load_provinces()["name"].tolist()), st.sampled_from([str, str.upper, str.lower, fold]))
def test_resolve_round_trips_canonical_names(g, name, transform):
    assert g.resolve(transform(name)) == name


# --- broken tables -------------------------------------------------------------------------------


def test_missing_provinces_csv_names_the_file(project):
    project.provinces_csv.unlink()
    with pytest.raises(InputError) as exc:
        Gazetteer.load(project)
    assert exc.value.where == str(project.provinces_csv)
    assert "provinces.csv.source.md" in exc.value.fix


def test_bad_province_rows_are_all_listed(project):
    df = pd.read_csv(project.provinces_csv, dtype=str)
    df.loc[1, "code"] = "01"  # duplicate of Hà Nội
    df.loc[2, "population"] = "-5"
    df.to_csv(project.provinces_csv, index=False)
    with pytest.raises(InputError) as exc:
        load_provinces(project)
    assert "code" in exc.value.message and "population" in exc.value.message


def test_missing_province_column_is_reported(project):
    df = pd.read_csv(project.provinces_csv, dtype=str).drop(columns=["region"])
    df.to_csv(project.provinces_csv, index=False)
    with pytest.raises(InputError, match="region"):
        load_provinces(project)


def test_a_spelling_in_two_rows_is_refused(project):
    df = pd.read_csv(project.provinces_csv, dtype=str)
    df.loc[df["name"] == "Hà Nam", "variants"] += ";Bắc Giang"
    df.to_csv(project.provinces_csv, index=False)
    with pytest.raises(InputError, match="Bắc Giang"):
        Gazetteer.load(project)


def test_a_province_in_two_2025_units_is_refused(project):
    units = pd.read_csv(project.provinces_2025_csv, dtype=str)
    units.loc[units["name_2025"] == "Hà Nội", "merged_from"] = "Hà Nội;Bắc Giang"
    units.to_csv(project.provinces_2025_csv, index=False)
    with pytest.raises(InputError, match="Bắc Giang") as exc:
        load_units_2025(project)
    assert exc.value.where == str(project.provinces_2025_csv)


def test_name_2025_disagreeing_with_the_units_table_is_refused(project):
    df = pd.read_csv(project.provinces_csv, dtype=str)
    df.loc[df["name"] == "Bắc Giang", "name_2025"] = "Bắc Giang"
    df.to_csv(project.provinces_csv, index=False)
    with pytest.raises(InputError, match="Bắc Giang"):
        Gazetteer.load(project)


def test_load_rebuilds_when_the_table_changes(project):
    first = Gazetteer.load(project)
    assert Gazetteer.load(project) is first
    df = pd.read_csv(project.provinces_csv, dtype=str)
    df.loc[df["name"] == "Hà Nam", "variants"] += ";Phủ Lý"
    df.to_csv(project.provinces_csv, index=False)
    assert Gazetteer.load(project).resolve("Phủ Lý") == "Hà Nam"


def test_gazetteer_survives_pickling_for_worker_processes(g):
    copy = pickle.loads(pickle.dumps(g))
    assert copy.find("tỉnh Cà Mau") == g.find("tỉnh Cà Mau")
    assert copy.resolve("TP.HCM") == "Hồ Chí Minh"
