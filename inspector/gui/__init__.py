"""The Qt front-end: main window, panels and the job runner. Reads core results only."""
