# Two commands on a fresh clone: `make demo` and `make test`. Everything the program needs comes from
# PyPI wheels; fonts are bundled in fonts/. The browser tests of `broadsheet serve` need Debian's
# chromium and chromium-driver, and the tests of a real font collection Debian's fonts-noto-cjk,
# which `make test` installs when they are missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium /usr/bin/chromedriver
NOTO_TTC := /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc

.PHONY: demo test fuzz bench dumps fonts profiles clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench,fonts]'
	$(BIN)/python -m compileall -q src  # an editable install leaves the sources uncompiled
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/broadsheet proof layout/dangjian.yaml --dpi 100

test: $(STAMP) $(CHROMIUM) $(NOTO_TTC)
	$(BIN)/python -m pytest -q

$(CHROMIUM) &:  # the browser tests drive Debian's Chromium; never a downloaded browser
	apt-get update && apt-get install -y chromium chromium-driver

$(NOTO_TTC):  # a real collection whose first face is the JP one (tests/fonts/test_faces.py)
	apt-get update && apt-get install -y fonts-noto-cjk

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

profiles:  # regenerate profiles/newsprint.icc from CGATS TR 002 data (icc-profiles-free) with ArgyllCMS
	apt-get install -y icc-profiles-free argyll
	tmp=$$(mktemp -d) && cp /usr/share/color/icc/TR002.ti3 $$tmp/ && \
	  colprof -qm -kr -l240 -L95 -nc -S /usr/share/color/icc/sRGB.icc -cmt -dpp -A broadsheet \
	    -D "Coldset newsprint (CGATS TR 002), 240% TAC" \
	    -C "Made with ArgyllCMS colprof from CGATS TR 002-2007 characterization data (NPES). Free to redistribute." \
	    -O $(CURDIR)/profiles/newsprint.icc $$tmp/TR002 && rm -rf $$tmp

clean:
	rm -rf out $(VENV)
