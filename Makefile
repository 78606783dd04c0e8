# s6-ipcserver-socketbinder — build, demo, checks and install.
# `make help` lists the targets.

CARGO   ?= cargo
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DESTDIR ?=
NAME    := s6-ipcserver-socketbinder
BIN     := target/release/$(NAME)
SIZE_LIMIT := 8192
# Test-only Debian packages: strace (goldens, fault injection), s6 and socat
# (interop and differential tests), python3 (the probe run as prog),
# util-linux (prlimit) and e2fsprogs (chattr) for the fault matrix.
DEBS    := strace s6 socat python3 util-linux e2fsprogs

.PHONY: help build demo test check deps lint size static strace bless install clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{ printf "  %-8s %s\n", $$1, $$2 }'

build: ## Build the release binary (target/release/s6-ipcserver-socketbinder)
	$(CARGO) build --release --locked

demo: build ## Bind a socket in a temporary directory and show what prog received
	@sh demo/run.sh $(BIN)

test: build ## Run the unit and end-to-end tests
	$(CARGO) test --release --locked

deps: ## Install missing test-only Debian packages (as root, with apt-get)
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then echo "missing test packages:$$missing (install them, or run as root)"; exit 1; fi; \
	echo "installing:$$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null

lint: ## cargo fmt --check and cargo clippy, warnings as errors
	$(CARGO) fmt --check
	$(CARGO) clippy --release --locked --all-targets -- -D warnings

check: deps lint test size static strace ## Everything CI runs: deps, lint, tests, size, static, strace

size: build ## Print the binary's size; fail above 8,192 bytes
	@n=$$(stat -c %s $(BIN)); echo "size: $$n bytes (limit $(SIZE_LIMIT))"; \
	test $$n -le $(SIZE_LIMIT) || { echo "size: over the limit"; exit 1; }

static: build ## readelf: static EXEC, no INTERP, no dynamic section
	@readelf -hW $(BIN) | grep -q 'Type: *EXEC' || { echo "static: not an EXEC"; exit 1; }
	@! readelf -lW $(BIN) | grep -qE 'INTERP|DYNAMIC' || { echo "static: has INTERP or DYNAMIC"; exit 1; }
	@readelf -dW $(BIN) | grep -q 'no dynamic section' || { echo "static: has a dynamic section"; exit 1; }
	@echo "static: EXEC, no INTERP, no dynamic section"

strace: build ## Diff the syscall traces against tests/golden and check the budgets
	@rm -rf target/strace && tests/strace.sh $(BIN) target/strace
	@diff -ru tests/golden target/strace || { echo "strace: traces changed (make bless if intended)"; exit 1; }
	@d=$$(wc -l < target/strace/dash-D.strace); f=$$(wc -l < target/strace/default-fresh.strace); \
	s=$$(wc -l < target/strace/default-stale.strace); \
	echo "strace: syscalls -D $$d (budget 6), fresh $$f (<= 9), stale $$s (<= 10)"; \
	test $$d -eq 6 && test $$f -le 9 && test $$s -le 10 || { echo "strace: over budget"; exit 1; }

bless: build ## Rewrite tests/golden from the current binary
	@rm -rf tests/golden && tests/strace.sh $(BIN) tests/golden && git diff --stat -- tests/golden

install: build ## Install as $(DESTDIR)$(BINDIR)/s6-ipcserver-socketbinder
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/$(NAME)

clean: ## Remove build output
	$(CARGO) clean

# --- Long runs, for people (CI runs `make check`, which has the short ones:
# 100,000 property-test cases per property, the fuzz seeds replayed, 40
# SIGTERM races). Both bounded; the fuzzer uses one core per target in turn.

FUZZ_TARGETS  := args num search error_text addr env
FUZZ_SECONDS  ?= 60
STRESS_CASES  ?= 5000000
STRESS_ROUNDS ?= 2000

.PHONY: fuzz stress

fuzz: ## cargo-fuzz (nightly) each library target for FUZZ_SECONDS; a crash fails
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	@mkdir -p target && cd fuzz && for t in $(FUZZ_TARGETS); do \
	  mkdir -p corpus/$$t; log=../target/fuzz-$$t.log; \
	  if ! $(CARGO) +nightly fuzz run $$t corpus/$$t seeds/$$t -- \
	      -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -print_final_stats=1 >$$log 2>&1; then \
	    tail -30 $$log; \
	    echo "fuzz: $$t failed; the input is in fuzz/artifacts/$$t/: add it to fuzz/regressions/$$t/"; \
	    exit 1; \
	  fi; \
	  echo "fuzz: $$t: $$(grep -E '^Done' $$log)"; \
	done

stress: build ## Property tests (STRESS_CASES each, new seed) and fault races (STRESS_ROUNDS)
	@seed=$$(od -An -N4 -tu4 /dev/urandom | tr -d ' '); \
	echo "stress: MODEL_SEED=$$seed MODEL_CASES=$(STRESS_CASES) STRESS_ROUNDS=$(STRESS_ROUNDS)"; \
	MODEL_SEED=$$seed MODEL_CASES=$(STRESS_CASES) STRESS_ROUNDS=$(STRESS_ROUNDS) \
	  $(CARGO) test --release --locked --test cli -- --nocapture \
	  props:: faults::sigterm_racing_a_run faults::stopped_and_continued_mid_run \
	  safety::killed_at_any_syscall_nothing_is_lost
