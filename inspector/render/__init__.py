"""Reports drawn with Qt (PDF, PNG, SVG). Not part of the core: it may import PySide6, but
never the GUI's widgets, so the CLI draws them with no window (offscreen)."""
