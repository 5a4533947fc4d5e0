# Two entry points for a fresh machine with Python 3.11+: `make run` and `make test`.
# Each creates .venv and installs the project into it when pyproject.toml is newer than the last install.
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/visualtrainer

test: $(STAMP)
	cd $(CURDIR) && $(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	OPENBLAS_NUM_THREADS=2 NUMBA_NUM_THREADS=2 $(PY) benchmarks/bench_engine.py
	OPENBLAS_NUM_THREADS=2 NUMBA_NUM_THREADS=2 $(PY) benchmarks/bench_surface.py
	$(PY) benchmarks/bench_pictures.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/bench_drawing.py
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/bench_launch.py
	$(PY) benchmarks/bench_coldstart.py
	OPENBLAS_NUM_THREADS=2 NUMBA_NUM_THREADS=2 QT_QPA_PLATFORM=offscreen $(PY) benchmarks/bench_window.py
	OPENBLAS_NUM_THREADS=2 NUMBA_NUM_THREADS=2 QT_QPA_PLATFORM=offscreen $(PY) benchmarks/bench_window.py --busy
	OPENBLAS_NUM_THREADS=2 $(PY) benchmarks/bench_blas_spin.py
	$(PY) benchmarks/bench_first_layer.py

clean:
	rm -rf $(VENV) .pytest_cache
