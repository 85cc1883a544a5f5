# Two commands: `make issue` builds the sample issue, `make test` runs the suite;
# `make preview` serves the sample issue's spreads on 127.0.0.1:$(PORT), rebuilt on every save.
# Both do the whole set-up first: Debian packages, the virtual environment, the fonts.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ISSUE ?= issue/2023-01
PORT ?= 8000
DEBIAN_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 poppler-utils chromium
FONTS := fonts/NotoSerifSC-Regular.otf fonts/NotoSerifSC-Bold.otf fonts/NotoSansSC-Regular.otf fonts/NotoSansSC-Bold.otf

.PHONY: issue test preview bench setup debian clean

issue: setup
	$(PY) make_issue.py build $(ISSUE)

test: setup
	$(PY) -m pytest -q tests

preview: setup
	$(PY) make_issue.py preview $(ISSUE) --port $(PORT)

bench: setup
	$(PY) bench/run.py

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

clean:
	rm -rf build
