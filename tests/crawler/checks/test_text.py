import unicodedata

from crawler.text import fold, label_key, label_matches, nfc, slug_key, squash


def test_label_key_unifies_the_ways_portals_write_a_label() -> None:
    variants = [
        "Hỏi đáp",
        "HỎI ĐÁP",
        "Hoi dap",
        " Hỏi - Đáp ",
        "Hỏi | Đáp",
        unicodedata.normalize("NFD", "Hỏi đáp"),
        "Hỏi\xa0đáp",
    ]
    assert {label_key(v) for v in variants} == {"hoi dap"}


def test_fold_keeps_length_and_maps_d_stroke() -> None:
    text = unicodedata.normalize("NFD", "Đường dây nóng")
    assert fold(text) == "Duong day nong"
    assert len(fold(text)) == len(nfc(text))


def test_slug_key_drops_extensions_and_case() -> None:
    assert slug_key("Hoi-dap-phap-luat.aspx") == "hoi-dap-phap-luat"
    assert slug_key("hỏi-đáp.html") == "hoi-dap"
    assert slug_key("Hoi%20dap") == "hoi-dap"


def test_label_matches_is_strict_about_headlines() -> None:
    labels = ["Hỏi đáp"]
    assert label_matches("Hỏi đáp pháp luật", labels, extra_words=2) == "Hỏi đáp"
    assert label_matches("Hỏi đáp với cử tri về dự toán ngân sách", labels, extra_words=2) is None
    assert label_matches("Hỏi đáp 2025", labels, extra_words=2) is None  # numbers: an item
    assert label_matches("Chuyên mục Hỏi đáp", labels, prefixes=["Chuyên mục"]) == "Hỏi đáp"
    assert label_matches("", labels) is None


def test_squash() -> None:
    assert squash("  a \n\t b\xa0c ") == "a b c"
