"""Document ids: one safe pattern; file names cleaned into it."""

import pytest

from budgetkit.ids import MAX_ID_BYTES, InvalidDocIdError, check_doc_id, doc_id_from_name, is_safe_doc_id


@pytest.mark.parametrize("doc_id", ["qinshui-police-2025", "沁水县公安局2025", "a", "js_npc.2019-tables"])
def test_safe_ids(doc_id):
    assert is_safe_doc_id(doc_id) and check_doc_id(doc_id) == doc_id


@pytest.mark.parametrize(
    "doc_id",
    ["x/../../victim", "/tmp/abs", "..", ".hidden", "-rf", "a b", "x=y", "a%41b", "new\nline", "a\\b", '"><img src=x>',
     "trailing-", "a..b", "", "é" * 100, None],
)
def test_unsafe_ids_are_refused_with_the_reason(doc_id):
    assert not is_safe_doc_id(doc_id)
    with pytest.raises(InvalidDocIdError, match="manifest.csv: document id .* is not allowed"):
        check_doc_id(doc_id, "manifest.csv")


@pytest.mark.parametrize(
    "name, expected",
    [("沁水县公安局2025年部门预算", "沁水县公安局2025年部门预算"), ("x/../../victim", "x-.-.-victim"), ("a%41b", "a-41b"),
     ("x=y", "x-y"), ("new\nline", "new-line"), ('"><img src=x onerror=alert(5)>', "img-src-x-onerror-alert-5"),
     (".hidden", "hidden")],
)
def test_ids_from_file_names_are_cleaned(name, expected):
    assert doc_id_from_name(name) == expected


def test_long_names_are_cut_and_told_apart():
    first, second = doc_id_from_name("预" * 200 + "a"), doc_id_from_name("预" * 200 + "b")
    assert is_safe_doc_id(first) and is_safe_doc_id(second) and first != second
    assert len(first.encode("utf-8")) <= MAX_ID_BYTES
    assert is_safe_doc_id(doc_id_from_name("..."))  # nothing usable left: still an id
