# Two commands on a fresh clone: `make demo` and `make test`. Everything comes from PyPI wheels;
# fonts are bundled in fonts/, so no system package is needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test fuzz bench dumps fonts clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m compileall -q src  # an editable install leaves the sources uncompiled
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/broadsheet proof layout/dangjian.yaml --dpi 100

test: $(STAMP)
	$(BIN)/python -m pytest -q

fuzz: $(STAMP)  # 50,000 mutated builds (tests/fuzzing.py); lists each failure site with a seed that shows it
	$(BIN)/python tests/fuzzing.py --runs 50000

dumps: $(STAMP)  # regenerate tests/dumps/ on purpose, after a layout change that is meant
	for spec in layout/*.yaml; do \
	  name=$$(basename $$spec .yaml); \
	  $(BIN)/broadsheet build $$spec -o out/$$name.pdf --allow-overset -q --dump tests/dumps/$$name.dump || exit 1; \
	done

bench: $(STAMP)
	$(BIN)/python bench/run.py

fonts:  # regenerate fonts/ from Debian's fonts-noto-cjk, fonts-noto-cjk-extra, fonts-lxgw-wenkai
	apt-get install -y fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai
	$(BIN)/python fonts/build_fonts.py

clean:
	rm -rf out $(VENV)
