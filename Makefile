# s6-ipcserver-socketbinder — build, demo, checks and install.
# `make help` lists the targets.

CARGO   ?= cargo
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
MAN     := s6-ipcserver-socketbinder.8
DESTDIR ?=
# FORCE=1: make install overwrites a file a Debian package owns (tools/install-guard).
FORCE   ?=
NAME    := s6-ipcserver-socketbinder
BIN     := target/release/$(NAME)
# SPEC D: 10,240 B with parts C and F (issue 18 took it past 8,192; each
# byte is in doc/size.md). The same limit for make cross's architectures and
# the recipes' builds (aarch64 fits with the tiny code model: doc/size.md,
# "The default build on aarch64").
SIZE_LIMIT := 10240
# The build with the cargo feature full (part F; doc/size.md): over SPEC D's
# 10,240 B, so it has a limit of its own that only stops it growing.
FULL_BIN        := target/full/release/$(NAME)
FULL_SIZE_LIMIT := 16384
# Test-only Debian packages: strace (goldens, fault injection), s6 and socat
# (interop and differential tests), python3 (the probe run as prog),
# python3-systemd (systemd's own reader of LISTEN_FDS, for --listen-fds),
# man-db and groff-base (the man page is rendered with warnings on),
# util-linux (prlimit) and e2fsprogs (chattr) for the fault matrix.
DEBS    := strace s6 socat python3 python3-systemd man-db groff-base util-linux e2fsprogs

.PHONY: help build demo test check deps lint size static strace man bless install clean

# A $(VAR) in a target's text is shown with its value (PREFIX=/usr make help).
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
	  DESTDIR='$(DESTDIR)' PREFIX='$(PREFIX)' BINDIR='$(BINDIR)' MANDIR='$(MANDIR)' \
	  awk -F':.*## ' '{ t = $$2; while (match(t, /\$$\([A-Z_]+\)/)) \
	    t = substr(t, 1, RSTART - 1) ENVIRON[substr(t, RSTART + 2, RLENGTH - 3)] substr(t, RSTART + RLENGTH); \
	    printf "  %-13s %s\n", $$1, t }'

build: ## Build the release binary (target/release/s6-ipcserver-socketbinder)
	$(CARGO) build --release --locked
	@tools/strip-section-headers $(BIN)

demo: build ## Bind a socket in a temporary directory and show what prog received
	@sh demo/run.sh $(BIN)

# `$(call suite,BINARY,FEATURES,TARGET_DIR)`: the unit and end-to-end
# tests of one build. On an aarch64 host the suite's own test binary (1.2
# MB of code) is past the tiny code model's reach (doc/architectures.md):
# there it is built with the small one, in a directory of its own so that
# the shipped binary stays, and run on that binary (BINDER).
HOST_ARCH ?= $(shell uname -m)
ifeq ($(HOST_ARCH),aarch64)
suite = RUSTFLAGS='-C relocation-model=static -C code-model=small' BINDER=$(CURDIR)/$(1) \
	$(CARGO) test --release --locked $(2) --target-dir $(3)/suite
else
suite = $(CARGO) test --release --locked $(2) --target-dir $(3)
endif

test: build build-full ## Run the unit and end-to-end tests, on the default build and on the full one
	$(call suite,$(BIN),,target)
	$(call suite,$(FULL_BIN),--features full,target/full)

deps: ## Install missing test-only Debian packages (as root, with apt-get)
	@tools/apt-install $(DEBS)

lint: ## cargo fmt --check and cargo clippy, warnings as errors (the binder, and check-boot's helper)
	$(CARGO) fmt --check
	$(CARGO) clippy --release --locked --all-targets -- -D warnings
	$(CARGO) clippy --release --locked --all-targets --features full --target-dir target/full -- -D warnings
	@# clippy's incompatible_msrv (warn, so an error here) keeps to rust-version's std.
	@! git grep -n 'incompatible_msrv' -- '*.rs' '*.toml' || { echo "lint: incompatible_msrv must stay on"; exit 1; }
	$(CARGO) fmt --check --manifest-path tests/boot/helper/Cargo.toml
	$(CARGO) clippy --release --locked --manifest-path tests/boot/helper/Cargo.toml \
	  --target-dir target/boot/helper-clippy -- -D warnings

check: host-before deps lint test size static strace man nopanic ## Everything CI runs: deps, lint, tests, size, static, strace, man, nopanic, and each target marked (part of check); then the machine's packages compared with before

size: build ## Print the binary's size; fail above SIZE_LIMIT (10,240 bytes)
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

man: ## Render the man page; fail on any warning from man or groff
	@out=$$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -l $(MAN) 2>&1 >/dev/null; groff -man -ww -z $(MAN) 2>&1); \
	if [ -n "$$out" ]; then echo "$$out"; echo "man: warnings"; exit 1; fi; echo "man: $(MAN) renders without warnings"

# TARGET=<triple> installs the binary `make cross` built for it instead (the
# Debian packages of other architectures: debian/rules).
TARGET  ?=
INSTALL_BIN := $(if $(TARGET),target/$(TARGET)/release/$(NAME),$(BIN))

# A path a Debian package owns (s6's /usr/bin/s6-ipcserver-socketbinder) is
# refused, with the way to do it instead (tools/install-guard); FORCE=1
# installs anyway.
install: $(if $(TARGET),,build) ## Install as $(DESTDIR)$(BINDIR)/s6-ipcserver-socketbinder, and the man page; not over a Debian package's file (FORCE=1 does)
	@FORCE='$(FORCE)' tools/install-guard $(DESTDIR)$(BINDIR)/$(NAME) $(DESTDIR)$(MANDIR)/man8/$(MAN) \
	  $(DESTDIR)$(MANDIR)/man8/$(MAN).gz
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(INSTALL_BIN) $(DESTDIR)$(BINDIR)/$(NAME)
	install -m 0644 $(MAN) $(DESTDIR)$(MANDIR)/man8/$(MAN)

clean: ## Remove build output
	$(CARGO) clean

# The refusal is tried with PREFIX=/usr against s6's real file, in a mount
# namespace whose /usr is an overlay on a tmpfs: a broken guard writes
# there, never to the machine (tests/install.sh).
.PHONY: check-install
check-install: build ## make install: into a DESTDIR it installs; over s6's file it refuses, FORCE=1 overrides (part of check)
	@tests/install.sh

check: check-install

# Statements of the docs that drifted once, now run: make help's texts, and
# doc/architectures.md's "By hand" commands against its table (about a
# second: cargo links the aarch64 binary again). tests/docs.sh.
.PHONY: check-docs
check-docs: build cross ## make help shows variables by value; README and man page give the size measured; doc/architectures.md's "By hand" gives its table's size (part of check)
	@tests/docs.sh

check: check-docs

# A build for a musl target prints musl's strerror texts (SPEC G, src/diag.rs):
# the lib tests compare them with the libc they run on, musl's here. Needs
# rustup's x86_64-unknown-linux-musl std; the test binary links musl's crt
# (.cargo/config.toml's link-self-contained=no is for the binder only).
.PHONY: check-musl
check-musl: recipes-deps ## The lib tests on x86_64-unknown-linux-musl: the error texts are musl's there (part of check)
	RUSTFLAGS='-C target-feature=+crt-static' $(CARGO) test --release --locked --lib \
	  --target x86_64-unknown-linux-musl --target-dir target/musl-test

check: check-musl

# --- From any checkout --------------------------------------------------------
# A checkout inside a mode-0700 directory (root's home) is out of uid 65534's
# reach, so the tests that run the binder as that user give it a
# world-readable copy (run_unprivileged in tests/cli/rig.rs). This keeps it
# so: the suite runs with the binary in a fresh 0700 directory, started
# through env, which opens it as the user each test chose, as qemu-user does.
# (setpriv alone execs it with root's capabilities still in effect, which
# hides the problem natively.) As another user the cases switch no uid.
.PHONY: check-private

check-private: build ## The suite with the binary in a mode-0700 directory, via env (part of check)
	@if [ "$$(id -u)" != 0 ]; then echo "check-private: skipped: not root, so no test switches to uid 65534"; exit 0; fi; \
	d=$$(mktemp -d) && chmod 700 "$$d" && cp $(BIN) "$$d/" || exit 1; \
	BINDER="$$d/$(NAME)" BINDER_RUNNER="$$(command -v env)" \
	  $(CARGO) test -q --release --locked --test cli -- --skip interop_ --skip differential_; \
	rc=$$?; rm -rf "$$d"; \
	if [ $$rc = 0 ]; then echo "check-private: the suite passes with the binary in a mode-0700 directory"; fi; exit $$rc

check: check-private

# --- Vendored crates (vendor/README.md) ---------------------------------------
.PHONY: vendor-check

vendor-check: ## vendor/ = crates.io releases (vendor/SHA256SUMS) + vendor/patches/ (part of check)
	@CARGO=$(CARGO) tools/vendor-check target/vendor-check

# Without it anyone could edit vendored code silently, so CI proves it too.
check: vendor-check

# --- Other architectures (doc/architectures.md) ------------------------------
# Built here with rust-lld (no cross C toolchain needed) and
# the same linker script, tested under Debian's qemu-user-static. A target
# rustup cannot add fails the build, loudly.
CROSS_TARGETS := aarch64-unknown-linux-gnu armv7-unknown-linux-gnueabihf \
                 riscv64gc-unknown-linux-gnu i686-unknown-linux-gnu
# The per-architecture table doc/architectures.md quotes, rewritten by check-cross.
CROSS_RESULTS := tests/cross-results.md
CROSS_RESULTS_FULL := tests/cross-results-full.md

.PHONY: cross cross-targets cross-deps check-cross

cross-targets: ## Add the rustup targets of CROSS_TARGETS that are missing
	@for t in $(CROSS_TARGETS); do \
	  rustup target list --installed 2>/dev/null | grep -qx "$$t" && continue; \
	  echo "rustup target add $$t"; \
	  rustup target add "$$t" || { echo "cross: cannot add the Rust target $$t (rustup target add failed)"; exit 1; }; \
	done

# tools/cargo-target links each with rust-lld, the host's own triple
# excepted (it says why).
cross: cross-targets ## Release binaries for aarch64, armv7, riscv64, i686; readelf and size checks
	@for t in $(CROSS_TARGETS); do \
	  echo "tools/cargo-target $$t"; \
	  CARGO=$(CARGO) tools/cargo-target "$$t" || exit 1; \
	  tools/strip-section-headers "target/$$t/release/$(NAME)" || exit 1; \
	done
	@SIZE_LIMIT=$(SIZE_LIMIT) tests/cross.sh elf $(CROSS_TARGETS)

# The full build (cargo feature full: part F's options) for the same targets,
# under target/full/ (tools/triple --full): check-boot's SELinux phase runs it.
.PHONY: build-full cross-full
build-full: ## Build the binary with part F's options (cargo feature full) as target/full/release/s6-ipcserver-socketbinder
	$(CARGO) build --release --locked --features full --target-dir target/full
	@tools/strip-section-headers $(FULL_BIN)
	@n=$$(stat -c %s $(FULL_BIN)); echo "$(FULL_BIN): $$n bytes (full build; its limit $(FULL_SIZE_LIMIT))"; \
	  [ $$n -le $(FULL_SIZE_LIMIT) ] || { echo "build-full: over FULL_SIZE_LIMIT"; exit 1; }

cross-full: cross-targets ## The full build (cargo feature full) for aarch64, armv7, riscv64, i686, under target/full/
	@for t in $(CROSS_TARGETS); do \
	  echo "tools/cargo-target $$t --features full --target-dir target/full"; \
	  CARGO=$(CARGO) tools/cargo-target "$$t" --features full --target-dir target/full || exit 1; \
	  tools/strip-section-headers "target/full/$$t/release/$(NAME)" || exit 1; \
	done
	@TARGET_DIR=target/full SIZE_LIMIT=$(FULL_SIZE_LIMIT) tests/cross.sh elf $(CROSS_TARGETS)

cross-deps: ## Install qemu-user-static if missing (as root, with apt-get)
	@tools/apt-install qemu-user-static

check-cross: cross cross-full cross-deps ## Run the end-to-end tests against each cross binary, default and full, under qemu-user (part of check)
	@CARGO=$(CARGO) SIZE_LIMIT=$(SIZE_LIMIT) tests/cross.sh test $(CROSS_RESULTS) $(CROSS_TARGETS)
	@FULL=1 TARGET_DIR=target/full CARGO=$(CARGO) SIZE_LIMIT=$(FULL_SIZE_LIMIT) \
	  tests/cross.sh test $(CROSS_RESULTS_FULL) $(CROSS_TARGETS)
	@grep -v '^$$' $(CROSS_RESULTS) | while IFS= read -r l; do grep -qxF -- "$$l" doc/architectures.md || exit 1; done || \
	  echo "cross: note: doc/architectures.md's table is not $(CROSS_RESULTS)'s; paste the new one in"

# check-cross takes well under a minute (doc/architectures.md), so CI proves it too.
check: check-cross

# ---- Bench ------------------------------------------------------------------
# Side-by-side measurements against s6 and the physical floor
# (bench/README.md) and the no-panic check. ../shared is found next to this
# repository, wherever it is cloned; without it, bench measures the rest and
# says in one line what it skipped.
BENCH_REPO := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
SHARED     ?= $(abspath $(BENCH_REPO)/../shared)
S6_STATIC  ?= $(SHARED)/anchors/s6-ipcserver-socketbinder.musl-static
S6_DEBIAN  ?= /usr/bin/s6-ipcserver-socketbinder
FLOOR_SRC  ?= $(SHARED)/anchors/floor.c
ICOUNT_SRC ?= $(SHARED)/tools/icount.c
# Rounds of the timing loop: 25-45 s here with all five commands, by load.
BENCH_RUNS ?= 10000
# Same code as $(BIN), with symbols and line tables: what nopanic reads.
SYMS_BIN   := target/syms/release/$(NAME)

.PHONY: bench nopanic

bench: build ## Measure ours against s6 (static musl, Debian) and the floor: bench/RESULTS.md
	@OURS=$(BIN) S6_STATIC='$(S6_STATIC)' S6_DEBIAN='$(S6_DEBIAN)' ICOUNT_SRC='$(ICOUNT_SRC)' \
	  FLOOR_SRC='$(FLOOR_SRC)' \
	  BENCH_RUNS='$(BENCH_RUNS)' OUT=bench/RESULTS.md sh bench/run.sh

nopanic: build ## objdump: fail on any panic path or trap but origin's own handler (default and full builds)
	CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
	  $(CARGO) build --release --locked --target-dir target/syms
	@sh bench/nopanic.sh $(BIN) $(SYMS_BIN)
	@$(MAKE) --no-print-directory build-full
	CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
	  $(CARGO) build --release --locked --features full --target-dir target/syms-full
	@sh bench/nopanic.sh $(FULL_BIN) target/syms-full/release/$(NAME)

# --- Long runs, for people (CI runs `make check`, which has the short ones:
# 100,000 property-test cases per property, the fuzz seeds replayed, 40
# SIGTERM races, 40 random command lines against Debian's s6). Both bounded; the fuzzer uses one core per target in turn.

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

stress: build ## Property tests (STRESS_CASES each, new seed); races and s6 comparisons (STRESS_ROUNDS)
	@seed=$$(od -An -N4 -tu4 /dev/urandom | tr -d ' '); \
	echo "stress: MODEL_SEED=$$seed MODEL_CASES=$(STRESS_CASES) STRESS_ROUNDS=$(STRESS_ROUNDS)"; \
	MODEL_SEED=$$seed MODEL_CASES=$(STRESS_CASES) STRESS_ROUNDS=$(STRESS_ROUNDS) \
	  $(CARGO) test --release --locked --test cli -- --nocapture \
	  props:: faults::sigterm_racing_a_run faults::stopped_and_continued_mid_run \
	  safety::killed_at_any_syscall_nothing_is_lost differential_random::

# ---- Debian packages (doc/debian.md) ---------------------------------------
# `make deb` builds one package per architecture from debian/ (which calls
# `make build`, or `make cross` for a foreign architecture) into target/deb/
# and checks it; `make check-deb` installs each in a throwaway Debian 12
# root of its own architecture (mmdebstrap, made once and kept in
# ~/.cache/s6-ipcserver-socketbinder/roots; arm64 and armhf under
# qemu-user), never on this machine: amd64 through install, use by
# s6-ipcserver, s6 reinstalled, reinstall, upgrade, remove and purge, with
# and without s6; the others through install, use, remove and purge.
DEB_ARCHS := amd64 arm64 armhf i386
DEB_TOOLS := dpkg-dev debhelper lintian
# What check-deb's roots need: mmdebstrap (and arch-test, with which it
# checks that qemu-user runs the architecture), zstd for the tarballs,
# qemu-user-static.
DEB_ROOT_TOOLS := mmdebstrap arch-test zstd qemu-user-static

.PHONY: deb deb-deps deb-root-deps check-deb

deb-deps: ## Install dpkg-dev, debhelper and lintian if missing (as root, with apt-get)
	@tools/apt-install $(DEB_TOOLS)

deb-root-deps: ## Install mmdebstrap, arch-test, zstd and qemu-user-static if missing (as root, with apt-get)
	@tools/apt-install $(DEB_ROOT_TOOLS)

deb: deb-deps ## Build target/deb/*.deb for amd64, arm64, armhf, i386; check fields, contents, binaries; lintian
	@sh tests/deb.sh $(DEB_ARCHS)

check-deb: deb deb-root-deps ## Install each package in a throwaway Debian root of its architecture and test it with s6 (root; part of check)
	@tests/deb-install.sh target/deb $(DEB_ARCHS)

# What this adds to check, measured here once the rest is built: make deb
# 20 s; check-deb 14 to 27 s warm (the four roots side by side), 1 min 46 s
# to 6 min cold by load (mmdebstrap makes the four roots; doc/debian.md, "Time").
check: check-deb

# ---- Real kernels (doc/boot.md) ---------------------------------------------
# Debian 12's own kernels for four architectures (riscv64: Debian 13's,
# Debian 12 has none), booted under qemu-system (TCG) with an initramfs of
# busybox-static, Debian's s6 and our cross binaries; the scenarios run in
# the guest (tests/boot/scenarios.sh) and the host checks the console.
# Packages are downloaded once (tests/boot/debs.sh keeps them in
# ~/.cache for the next checkout), unpacked into target/boot/, and never
# installed for a foreign architecture. `make check-boot BOOT_ARCHES=x86_64`
# boots one.
BOOT_ARCHES  ?= aarch64 armv7 i686 x86_64 riscv64
# The test-only helper (tests/boot/helper), built per architecture.
BOOT_HELPER  := tests/boot/helper/Cargo.toml

# The s6-linux-init + s6-rc boot (tests/boot/s6rc.sh) runs skarnet's stack,
# built static from $(SHARED)/third-party/skarnet for each BOOT_ARCHES and
# for this host (whose s6-rc-compile and s6-linux-init-maker make the image).
BOOT_HOST_ARCH := $(shell uname -m)
SKARNET_SRC ?= $(SHARED)/third-party/skarnet

.PHONY: boot-deps boot-fetch boot-helper boot-skarnet check-boot

boot-deps: ## Unpack qemu-system-arm, -x86, -misc into target/boot/qemu (their libraries and python3 installed if missing, as root)
	@tools/apt-install python3
	@tests/boot/qemu.sh $(BOOT_ARCHES)

boot-fetch: ## Download and unpack each BOOT_ARCHES kernel, busybox-static and s6 into target/boot/ (once)
	@tests/boot/fetch.sh --lists $(BOOT_ARCHES)
	@pids=""; for a in $(BOOT_ARCHES); do tests/boot/fetch.sh $$a & pids="$$pids $$!"; done; \
	rc=0; for p in $$pids; do wait $$p || rc=1; done; exit $$rc

boot-helper: ## Build the guest's test helper, bootprobe, for each BOOT_ARCHES
	@for a in $(BOOT_ARCHES); do \
	  t=$$(tools/triple $$a) || exit 1; \
	  CARGO=$(CARGO) tools/cargo-target "$$t" -q --manifest-path $(BOOT_HELPER) \
	    --target-dir target/boot/helper || exit 1; \
	done

boot-skarnet: boot-fetch ## Build skalibs, execline, s6, s6-rc, s6-linux-init static (musl) for each BOOT_ARCHES and the host, once (cached)
	@tools/apt-install musl-dev
	@for a in $(sort $(BOOT_ARCHES) $(BOOT_HOST_ARCH)); do \
	  SKARNET_SRC='$(SKARNET_SRC)' nice tests/boot/skarnet.sh $$a || exit 1; \
	done

check-boot: build cross build-full cross-full boot-deps boot-fetch boot-helper boot-skarnet ## Boot each BOOT_ARCHES Debian kernel under qemu-system and run the scenarios in it (part of check)
	@rc=0; tests/boot/run.sh $(BOOT_ARCHES) || rc=1; tests/boot/s6rc.sh $(BOOT_ARCHES) || rc=1; \
	  tests/boot/results.sh $(BOOT_ARCHES) || rc=1; exit $$rc

# About a minute after the first download (doc/boot.md), so CI boots them too.
check: check-boot

# ---- Build systems (doc/building.md) ----------------------------------------
# check-msrv: Debian 12's own Rust, at the release's version (its security
# suite carries a newer rustc-web, so the version is named), builds the
# binary offline into target/msrv; static, size and the end-to-end suite.
MSRV_DEB_VERSION := 1.85.0+dfsg3-1~deb12u3
MSRV_DEBS := rustc-web=$(MSRV_DEB_VERSION) cargo-web=$(MSRV_DEB_VERSION) \
             libstd-rust-web-dev=$(MSRV_DEB_VERSION) libstd-rust-web-1.85=$(MSRV_DEB_VERSION)

.PHONY: check-msrv check-recipes recipes-deps

check-msrv: ## Build with Debian 12's rustc 1.85 (rust-version), offline, the default and the full build; static, size, e2e suite (part of check)
	@tools/apt-install $(MSRV_DEBS)
	@CARGO=$(CARGO) SIZE_LIMIT=$(SIZE_LIMIT) FULL_SIZE_LIMIT=$(FULL_SIZE_LIMIT) tests/msrv.sh

check: check-msrv

# check-recipes: each build system's cargo environment (tests/recipes/*.sh,
# taken from its source at a named release), with and without our recipe's
# settings (contrib/), for x86_64, aarch64 and armv7; and for x86_64 the full
# build through each recipe's own switch (within FULL_SIZE_LIMIT).
RECIPE_SIZE_LIMIT := 10240
RECIPE_DEBS := gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf qemu-user-static musl-tools
RECIPE_TARGETS := x86_64-unknown-linux-musl aarch64-unknown-linux-musl armv7-unknown-linux-musleabihf

recipes-deps: cross-targets ## Debian's cross gcc, qemu-user, musl-gcc; the musl rustup targets (the ones rustup has)
	@tools/apt-install $(RECIPE_DEBS)
	@for t in $(RECIPE_TARGETS); do \
	  rustup target list --installed 2>/dev/null | grep -qx "$$t" && continue; \
	  rustup target add "$$t" >/dev/null 2>&1 || echo "recipes: rustup cannot add $$t here (tests/recipes.sh says what stands in)"; \
	done

check-recipes: recipes-deps ## Buildroot, Yocto, OpenWrt, Alpine: their cargo environment, our recipe's settings, static, size, e2e; the full build through each recipe's switch (part of check)
	@CARGO=$(CARGO) SIZE_LIMIT=$(RECIPE_SIZE_LIMIT) FULL_SIZE_LIMIT=$(FULL_SIZE_LIMIT) tests/recipes.sh

check: check-recipes

# ---- The machine left alone ---------------------------------------------------
# make check may install missing test-only packages, and nothing else:
# dpkg's foreign architectures, the diversions, the version of every
# package installed before, and s6's files (md5) are saved first (host-before
# is check's first prerequisite) and compared last (check's own recipe, run
# after all of them): tools/host-state.
HOST_STATE := target/host-state.before

.PHONY: host-before

host-before:
	@tools/host-state save $(HOST_STATE)

check:
	@tools/host-state compare $(HOST_STATE)

# ---- LSM boots (doc/boot.md, "LSM boots") ------------------------------------
# SELinux runs inside check-boot (each boot, after its scenarios). SMACK is
# in no Debian kernel: an x86_64 kernel is built once from Debian's
# linux-source-6.1 (tests/boot/lsm/kernel.sh, kept in the boot cache) and
# booted with security=smack. Both test the full build (build-full,
# cross-full: part F's options), the guest's s6-ipcserver-socketbinder-full.
.PHONY: check-lsm
check-lsm: build-full ## Build (once, cached) an x86_64 kernel with SMACK from linux-source-6.1, boot it with security=smack, test the SMACK options (part of check)
	@$(MAKE) --no-print-directory boot-deps boot-fetch boot-helper BOOT_ARCHES=x86_64
	@tests/boot/lsm/smack-run.sh

check: check-lsm
