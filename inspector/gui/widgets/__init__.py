"""One file per panel; each takes what it shows in methods and reports through signals."""
