"""The chip palette moved to :mod:`inspector.core.palette` (the HTML report uses it too, and the
core may not import from the GUI); this name stays for existing imports."""

from inspector.core.palette import (
    OKABE_ITO,
    ChipTheme,
    chip_color,
    chip_colors,
    chip_theme,
    contrast_ratio,
    is_dark,
    mix,
    relative_luminance,
)

__all__ = [
    "OKABE_ITO",
    "ChipTheme",
    "chip_color",
    "chip_colors",
    "chip_theme",
    "contrast_ratio",
    "is_dark",
    "mix",
    "relative_luminance",
]
