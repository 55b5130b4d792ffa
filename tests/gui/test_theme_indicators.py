"""Check boxes and radio buttons are framed on the dark palette (Fusion: dark on dark)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QHBoxLayout, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from inspector.core.palette import contrast_ratio
from inspector.gui import theme


@pytest.fixture(autouse=True)
def system_theme_after(qapp: QApplication) -> Iterator[None]:
    yield
    theme.apply_theme(theme.SYSTEM)


def _frame_contrast(qtbot: QtBot, button: QCheckBox | QRadioButton) -> float:
    """The strongest contrast against the window colour along the indicator's row."""
    holder = QWidget()
    QHBoxLayout(holder).addWidget(button)
    qtbot.addWidget(holder)
    holder.show()
    qtbot.waitExposed(holder)
    image = holder.grab().toImage()
    window = QApplication.palette().color(QPalette.ColorRole.Window).name()
    y = button.y() + button.height() // 2
    left = button.x()
    colours = {image.pixelColor(x, y).name() for x in range(left, left + 24)}
    return max(contrast_ratio(colour, window) for colour in colours)


@pytest.mark.parametrize("kind", [QCheckBox, QRadioButton])
def test_unchecked_indicators_are_framed_on_the_dark_palette(
    qtbot: QtBot, kind: type[QCheckBox] | type[QRadioButton]
) -> None:
    theme.apply_theme(theme.DARK)
    assert isinstance(QApplication.style(), theme.FramedIndicatorStyle)
    assert _frame_contrast(qtbot, kind("option")) >= 3


def test_light_palette_keeps_fusion_indicators(qtbot: QtBot) -> None:
    theme.apply_theme(theme.LIGHT)
    assert _frame_contrast(qtbot, QCheckBox("option")) >= 3
