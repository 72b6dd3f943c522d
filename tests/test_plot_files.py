"""Real plot files (the [plots] extra): plot/taylor/limit --save F.svg|F.png|F.pdf are
matplotlib drawings of the same Figure data the terminal shows; .txt/.html stay the
terminal picture; without matplotlib the message says how to install it."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from calctutor.cli import app
from calctutor.errors import CalcError


def _save(tmp_path, name: str, *args: str):
    target = tmp_path / name
    res = CliRunner().invoke(app, [*args, "--save", str(target), "--plain"])
    assert res.exit_code == 0, res.output
    return target


def test_png_is_a_real_bitmap(tmp_path):
    target = _save(tmp_path, "f.png", "plot", "sin x, cos x", "--tangent", "1")
    data = target.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert width > 600 and height > 300


def test_svg_is_a_vector_plot_with_the_legend(tmp_path):
    target = _save(tmp_path, "f.svg", "plot", "sigmoid(x)")
    root = ET.parse(target).getroot()
    assert root.tag.endswith("svg")
    text = target.read_text(encoding="utf-8")
    assert "<path" in text and "sigmoid" in text
    assert "\x1b[" not in text  # not a terminal screenshot


def test_pdf_taylor_and_limit_figures(tmp_path):
    assert _save(tmp_path, "t.pdf", "taylor", "e^x", "--at", "0", "--order", "3"
                 ).read_bytes()[:5] == b"%PDF-"
    assert _save(tmp_path, "l.png", "limit", "3x^2 - 4x", "--at", "1"
                 ).read_bytes()[:4] == b"\x89PNG"


def test_txt_keeps_the_terminal_picture(tmp_path):
    text = _save(tmp_path, "f.txt", "plot", "x^2").read_text(encoding="utf-8")
    assert "* y = x^2" in text and "\x1b[" not in text


def test_without_matplotlib_the_message_says_how_to_install(monkeypatch, tmp_path):
    from calctutor.render.figure_file import require_matplotlib

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(CalcError, match=r"pip install 'calctutor\[plots\]'"):
        require_matplotlib()
    res = CliRunner().invoke(app, ["plot", "x^2", "--save", str(tmp_path / "f.png")])
    assert res.exit_code == 2 and "calctutor[plots]" in res.output
    assert not (tmp_path / "f.png").exists()


def test_an_unknown_image_suffix_is_refused_before_work(tmp_path):
    res = CliRunner().invoke(app, ["plot", "x^2", "--save", str(tmp_path / "f.jpg")])
    assert res.exit_code == 2 and ".png" in res.output
