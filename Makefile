# `make issue` builds the sample issue, `make test` runs the suite (`make mutants`: its mutation check), `make preview` serves the
# sample issue's spreads on 127.0.0.1:$(PORT), rebuilt on every save; `make -j2 archive` builds
# every issue and shelves its archive PDF; `make new` starts the sample issue's successor in
# $(NEW). All do the whole set-up first: Debian packages, the virtual environment, the fonts.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ISSUE ?= issue/2023-01
PORT ?= 8000
# Under build/ by default, so a trial `make new` leaves no half-filled issue under issue/ for
# `make archive` and the tests to meet; for the real next issue: make new NEW=issue/2023-02.
NEW ?= build/issues/2023-02
DEBIAN_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 poppler-utils qpdf chromium libgs-common
FONTS := fonts/NotoSerifSC-Regular.otf fonts/NotoSerifSC-Bold.otf fonts/NotoSansSC-Regular.otf fonts/NotoSansSC-Bold.otf fonts/NotoSansMonoSC-Regular.otf

# make archive: every issue folder under $(ISSUES) → $(SHELF)/<id>.pdf, index.html, SHA256SUMS.
ISSUES ?= issue
SHELF ?= archive
BUILD ?= build
ISSUE_IDS := $(patsubst $(ISSUES)/%/issue.yaml,%,$(wildcard $(ISSUES)/*/issue.yaml))
CODE := $(wildcard make_issue.py periodical/*.py periodical/*/*.py layouts/*)

.PHONY: issue test preview bench setup debian clean archive new photo-issue mutants

issue: setup
	$(PY) make_issue.py build $(ISSUE)

test: setup
	$(PY) -m pytest -q tests

preview: setup
	$(PY) make_issue.py preview $(ISSUE) --port $(PORT)

new: setup
	$(PY) make_issue.py new $(NEW) --from $(ISSUE)

bench: setup
	$(PY) bench/run.py

# The tests' generated photo issue (camera photos, no planned pages), written and built to look at.
photo-issue: setup
	$(PY) -m tests.fixtures.photo_issue $(BUILD)/photo-issue

# Flips one comparison at a time in the core checks and runs their tests (not part of `make test`).
mutants: setup
	$(PY) tests/mutate.py $(MUTANTS)

setup: debian $(VENV)/.installed $(FONTS)

# Installs only what is missing, so a machine that has everything needs no root and no network.
debian:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(FONTS) &: | $(VENV)/.installed debian
	$(PY) -m periodical.fonts

# One issue failing does not stop the others (-k); the run still ends non-zero, naming it.
archive: setup
	@rm -rf $(SHELF)/.failed
	@$(MAKE) --no-print-directory -k $(ISSUE_IDS:%=$(SHELF)/%.pdf) || true
	@$(PY) make_issue.py catalog $(SHELF)
	@if [ -n "$$(ls -A $(SHELF)/.failed 2>/dev/null)" ]; then \
	  echo "make archive: failed: $$(ls $(SHELF)/.failed | sed 's|^|$(ISSUES)/|' | tr '\n' ' ')" >&2; exit 1; fi

.SECONDEXPANSION:
$(SHELF)/%.pdf: $$(shell find $(ISSUES)/$$* -type f) $(CODE)
	@mkdir -p $(SHELF)/.failed $(BUILD)
	@if $(PY) make_issue.py archive $(ISSUES)/$* --shelf $(SHELF) --out $(BUILD)/$* > $(BUILD)/$*.log 2>&1; \
	then rm -f $(SHELF)/.failed/$*; echo "archive: $(ISSUES)/$* → $@"; \
	else touch $(SHELF)/.failed/$*; tail -n 5 $(BUILD)/$*.log >&2; echo "archive: $(ISSUES)/$* FAILED (log: $(BUILD)/$*.log)" >&2; exit 1; fi

clean:
	rm -rf build
