# mlcourse — `make lab` opens the course, `make test` checks all of it. Both bootstrap .venv from nothing.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.mlcourse-installed
ARGS   ?=
# pytest workers for `make test` (notebooks run one per worker)
JOBS   ?= 2
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: help lab test notebooks fonts kernel clean

help:
	@echo "make lab        open the course in JupyterLab (ARGS=\"--no-browser --port 8899\" to pass options)"
	@echo "make test       lint, unit tests, SymPy checks, notebook checks and strict nbval, in one pytest run"
	@echo "make notebooks  (authors) re-execute notebooks, regenerate student exercises, sync .py twins"
	@echo "make fonts      install a CJK font for Chinese plot labels (Debian/Ubuntu as root)"
	@echo "make clean      remove .venv and caches"

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "mlcourse needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(MAKE) --no-print-directory kernel fonts
	touch $(STAMP)

kernel:
	$(BIN)/python -m ipykernel install --sys-prefix --name mlcourse --display-name "Python (mlcourse)" >/dev/null
	@echo "Jupyter kernel 'mlcourse' registered in $(VENV)"

# A CJK font for Chinese plot labels. Installs one where it can, otherwise says how; never fails the build.
fonts:
	@if fc-list 2>/dev/null | grep -qiE 'Noto Sans CJK|Source Han Sans|WenQuanYi|Droid Sans Fallback'; then \
	  echo "CJK font: found"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "CJK font: installing fonts-wqy-microhei"; \
	  { apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq fonts-wqy-microhei >/dev/null 2>&1; }; } \
	  || echo "CJK font: install failed; Chinese plot labels need one: apt-get install fonts-wqy-microhei"; \
	else \
	  echo "CJK font: none found. Chinese plot labels need one, e.g.: sudo apt-get install fonts-wqy-microhei"; \
	  echo "          (macOS and Windows ship one; conda: conda install -c conda-forge font-ttf-noto-cjk)"; \
	fi
	@# build matplotlib's font cache now, so that no notebook prints 'building the font cache'
	@test ! -x $(BIN)/python || $(BIN)/python -c "import matplotlib.font_manager as fm; fm._load_fontmanager(try_read_cache=False)"

# JupyterLab refuses to run as root unless told; containers and CI machines often are root.
ROOT_FLAG := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=. $(ROOT_FLAG) $(ARGS)

test: $(STAMP)
	$(BIN)/python -m pytest $(NBVAL) -n $(JOBS) --dist loadscope $(ARGS)

notebooks: $(STAMP)
	$(BIN)/python scripts/notebooks.py build $(ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
