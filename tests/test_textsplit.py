"""The one top-level splitter used by programs, points and output lists."""

from calctutor.textsplit import has_empty_piece, spans, split


def test_split_keeps_separators_inside_brackets():
    assert split("x=1,y=max(2, 3)") == ["x=1", "y=max(2, 3)"]
    assert split("y = max(x, 0); z = y^2\nw = z", ";\n") == ["y = max(x, 0)", "z = y^2", "w = z"]
    assert split("[0.6, 0.8]") == ["[0.6, 0.8]"]


def test_spans_report_positions_and_skip_blank_pieces():
    text = " ; y = 1;; z = y "
    assert [text[a:b].strip() for a, b in spans(text, ";")] == ["y = 1", "z = y"]


def test_empty_pieces_are_detected():
    assert has_empty_piece("x^2,,y")
    assert has_empty_piece("x^2, ")
    assert not has_empty_piece("x^2, log(x, 2)")
