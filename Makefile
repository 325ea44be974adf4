# copydesk: `make` builds into build/; `make run` and `make test` also install what is missing.
# SANITIZE=1 builds everything with AddressSanitizer and UBSan into build/san/.

CC      ?= cc
LUA     ?= lua5.4
# Test data: the charmaps (locales) for the table check, fortunes in nine languages for the
# repair tests' clean multilingual text.
TEST_DATA = locales fortunes-de fortunes-es fortunes-it fortunes-br fortunes-cs fortunes-pl \
            fortunes-ru fortunes-bg fortunes-zh
PKGS     = make gcc pkgconf lua5.4 liblua5.4-dev libutf8proc-dev libyaml-dev libjansson-dev \
           libxxhash-dev zlib1g-dev libzstd-dev lua-busted unicode-data bzip2 valgrind luarocks parallel $(TEST_DATA)
BENCH_PKGS = libicu-dev time
FUZZ_PKGS  = clang libclang-rt-14-dev

ifeq ($(SANITIZE),1)
B        = build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      = -O1 -g
# Debian's lua5.4 is not built with ASan, so the specs preload the runtime for copydesk.so
# (tests/run.sh). gcc links every program to that shared runtime; clang links its own copy into
# each program, which then refuses to start beside the preloaded one ("incompatible ASan
# runtimes"), so with clang every part takes the shared runtime, found through the rpath.
ifneq ($(findstring clang,$(shell $(CC) --version 2>/dev/null)),)
ASAN_RUNTIME := $(shell $(CC) -print-file-name=libclang_rt.asan-x86_64.so)
SANFLAGS += -shared-libasan
SAN_LDFLAGS = -Wl,-rpath,$(dir $(ASAN_RUNTIME))
else
ASAN_RUNTIME := $(shell $(CC) -print-file-name=libasan.so)
endif
else
B        = build
SANFLAGS =
OPT      = -O2 -g
endif

DEPCFLAGS := $(shell pkg-config --cflags lua5.4 libutf8proc yaml-0.1 jansson libxxhash zlib libzstd \
                2>/dev/null)
ifeq ($(strip $(DEPCFLAGS)),)
ifeq ($(filter bootstrap run test bench fuzz fuzz-build clean,$(MAKECMDGOALS)),)
$(error pkg-config finds none of lua5.4, libutf8proc, yaml-0.1, jansson: run `make bootstrap`)
endif
endif
# CFLAGS is the user's (make CFLAGS=-O0 keeps everything else); ALL_CFLAGS is what we need.
CFLAGS  ?= $(OPT)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Wshadow -fPIC \
             $(SANFLAGS) -Iinclude $(DEPCFLAGS) -MMD -MP $(CFLAGS)
CORE_LIBS = -lutf8proc -lyaml -ljansson -lxxhash -lz -lzstd -lm
LUA_LIBS  = -llua5.4

CORE_SRC  = $(wildcard core/*.c)
CORE_OBJ  = $(CORE_SRC:%.c=$(B)/%.o)
BIND_SRC  = $(filter-out lua/main.c,$(wildcard lua/*.c))
BIND_OBJ  = $(BIND_SRC:%.c=$(B)/%.o)
TEST_SRC  = $(wildcard tests/c/test_*.c)
TEST_BIN  = $(TEST_SRC:tests/c/%.c=$(B)/tests/%)
BENCH_SRC = $(wildcard tests/bench/*.c)
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(B)/bench/%)
FUZZ_SRC  = $(filter-out tests/fuzz/driver.c,$(wildcard tests/fuzz/*.c))
FUZZ_NAMES = $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_BIN  = $(FUZZ_NAMES:%=$(B)/fuzz/%)

VERSION   = 0.1.0
SOMAJOR   = 0

# Install layout: the module and helpers where Debian's lua5.4 looks under PREFIX.
PREFIX   ?= /usr/local
bindir    = $(PREFIX)/bin
libdir    = $(PREFIX)/lib
includedir = $(PREFIX)/include
datadir   = $(PREFIX)/share/copydesk
luadir    = $(PREFIX)/share/lua/5.4
luacdir   = $(PREFIX)/lib/lua/5.4
pcdir     = $(libdir)/pkgconfig

LIBS_OUT  = $(B)/libcopydesk.a $(B)/libcopydesk.so $(B)/libcopydesk_lua.a $(B)/libcopydesk_lua.so

all: $(B)/copydesk $(B)/copydesk.so $(LIBS_OUT)

$(B)/core/%.o: core/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fvisibility=hidden -Icore -c $< -o $@

# The command finds scripts/ and lua/ in the tree it was built from; the installed command, in
# the installed folders (COPYDESK_HOME overrides both).
$(B)/lua/main.o: lua/main.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCOPYDESK_SCRIPTS_DIR='"$(CURDIR)/scripts"' \
	  -DCOPYDESK_LUA_DIR='"$(CURDIR)/lua"' -c $< -o $@

# Always rebuilt: the folders it holds change with PREFIX, which make cannot see.
$(B)/install/main.o: lua/main.c FORCE
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCOPYDESK_SCRIPTS_DIR='"$(datadir)/scripts"' \
	  -DCOPYDESK_LUA_DIR='"$(luadir)"' -c $< -o $@

$(B)/install/copydesk: $(B)/install/main.o $(BIND_OBJ) $(B)/libcopydesk.a
	$(CC) $(SANFLAGS) $(SAN_LDFLAGS) -o $@ $^ $(LUA_LIBS) $(CORE_LIBS) -Wl,-E

$(B)/lua/%.o: lua/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fvisibility=hidden -c $< -o $@

$(B)/libcopydesk.a: $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/libcopydesk.so: $(CORE_OBJ)
	$(CC) $(SANFLAGS) $(SAN_LDFLAGS) -shared -Wl,-soname,libcopydesk.so.$(SOMAJOR) -o $@ $^ \
	  $(CORE_LIBS)

# luaopen_copydesk for hosts with their own lua_State (copydesk_lua.h).
$(B)/libcopydesk_lua.a: $(BIND_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/libcopydesk_lua.so: $(BIND_OBJ) $(B)/libcopydesk.so
	$(CC) $(SANFLAGS) $(SAN_LDFLAGS) -shared -Wl,-soname,libcopydesk_lua.so.$(SOMAJOR) -o $@ \
	  $(BIND_OBJ) -L$(B) -lcopydesk $(LUA_LIBS)

# Rebuilt every time: they hold PREFIX, which make cannot see change.
$(B)/copydesk.pc: FORCE
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(libdir)' 'includedir=$(includedir)' '' \
	  'Name: copydesk' 'Description: cleaning scraped news articles (C core)' \
	  'Version: $(VERSION)' 'Cflags: -I$${includedir}' 'Libs: -L$${libdir} -lcopydesk' \
	  'Libs.private: $(CORE_LIBS)' >$@

$(B)/copydesk-lua.pc: FORCE
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(libdir)' 'includedir=$(includedir)' '' \
	  'Name: copydesk-lua' 'Description: the copydesk Lua module for hosts with a lua_State' \
	  'Version: $(VERSION)' 'Requires: copydesk lua5.4' 'Cflags: -I$${includedir}' \
	  'Libs: -L$${libdir} -lcopydesk_lua' >$@

# The Lua module links the core statically and leaves Lua's symbols to the host interpreter.
$(B)/copydesk.so: $(BIND_OBJ) $(B)/libcopydesk.a
	$(CC) $(SANFLAGS) $(SAN_LDFLAGS) -shared -o $@ $(BIND_OBJ) $(B)/libcopydesk.a $(CORE_LIBS)

$(B)/copydesk: $(B)/lua/main.o $(BIND_OBJ) $(B)/libcopydesk.a
	$(CC) $(SANFLAGS) $(SAN_LDFLAGS) -o $@ $^ $(LUA_LIBS) $(CORE_LIBS) -Wl,-E

$(B)/tests/%: tests/c/%.c tests/c/check.h $(B)/libcopydesk.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_LDFLAGS) -Itests/c -o $@ $< $(B)/libcopydesk.a $(CORE_LIBS) -pthread

# With SANITIZE=1, preloaded with the ASan runtime into lua5.4 for the specs (tests/run.sh).
$(B)/tests/unpreload.so: tests/c/unpreload.c
	@mkdir -p $(dir $@)
	$(CC) -shared -fPIC -o $@ $<

# Each fuzz target over its seed corpus with the plain compiler, for `make test` (tests/run.sh).
$(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/driver.c tests/fuzz/fuzz.h $(B)/libcopydesk.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(SAN_LDFLAGS) -Itests/fuzz -o $@ $< tests/fuzz/driver.c \
	  $(B)/libcopydesk.a $(CORE_LIBS)

# The same target linked with libFuzzer's main, for `make fuzz` (CC=clang).
$(B)/libfuzzer/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(B)/libcopydesk.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Itests/fuzz -o $@ $< $(B)/libcopydesk.a $(CORE_LIBS)

# Benchmark baselines in C (ICU, utf8proc), built only by `make bench`.
$(B)/bench/%: tests/bench/%.c tests/bench/bench.h $(B)/libcopydesk.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libcopydesk.a $(shell pkg-config --cflags --libs icu-uc icu-i18n 2>/dev/null) $(CORE_LIBS)

-include $(CORE_OBJ:.o=.d) $(BIND_OBJ:.o=.d) $(B)/lua/main.d

# Installs the Debian packages the build needs when run as root; otherwise names them and stops.
bootstrap:
	@missing=$$(for p in $(PKGS) $(EXTRA_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	  grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "bootstrap: installing" $$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "copydesk needs these Debian packages:"; \
	    echo "  sudo apt-get install -y" $$missing; exit 1; \
	  fi; \
	fi

run: bootstrap
	$(MAKE) all
	$(B)/copydesk clean tests/fixtures/articles -o $(B)/sample.jsonl
	@echo "--- $(B)/sample.jsonl:"
	@cat $(B)/sample.jsonl

test: bootstrap
	$(MAKE) all $(TEST_BIN) $(FUZZ_BIN) $(if $(SANFLAGS),$(B)/tests/unpreload.so)
	$(if $(FUZZ_RUN),$(MAKE) fuzz-build)
	COPYDESK_BUILD=$(B) SANITIZE=$(SANITIZE) CC="$(CC)" ASAN_RUNTIME=$(ASAN_RUNTIME) \
	  SANITIZE_CC="$(if $(SANFLAGS),$(CC) $(SANFLAGS) $(SAN_LDFLAGS))" \
	  FUZZ_RUN=$(FUZZ_RUN) FUZZ_SECONDS=$(FUZZ_TEST_SECONDS) sh tests/run.sh

# Each tests/bench/NAME.lua prints its rows, every figure a ratio to a baseline of the same run.
bench:
	$(MAKE) bootstrap EXTRA_PKGS="$(BENCH_PKGS)"
	$(MAKE) all $(BENCH_BIN)
	@for b in tests/bench/*.lua; do echo "== $$b"; $(B)/copydesk $$b $(B) || exit 1; done

# make fuzz FUZZ_SECONDS=N: every tests/fuzz target under libFuzzer with ASan and UBSan (clang,
# the core rebuilt into $(B)/fuzz), N seconds each (tests/fuzz/run.sh: what it learns goes to
# $(B)/fuzz/corpus/NAME, a crash to $(B)/fuzz/crash-NAME-*, which then belongs in
# tests/fuzz/corpus/NAME). Every target runs; the exit status says whether any found something.
# `make test` runs each for FUZZ_TEST_SECONDS when clang is there (not with SANITIZE=1: the
# fuzz build is a sanitizer build already).
FUZZ_SECONDS ?= 10
FUZZ_TEST_SECONDS ?= 10
FUZZ_B    = $(B)/fuzz
# A smaller pattern step limit, so a unit with a backtracking pattern ends well within -timeout.
FUZZ_SANFLAGS = -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined -DCD_PATTERN_MAXSTEPS=1000000u
HAVE_CLANG := $(shell command -v clang >/dev/null 2>&1 && \
                test -e "$$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" && echo 1)
ifneq ($(SANITIZE),1)
ifeq ($(HAVE_CLANG),1)
FUZZ_RUN  = $(FUZZ_B)/libfuzzer
endif
endif

fuzz-build:
	$(MAKE) B=$(FUZZ_B) CC=clang SANITIZE= SANFLAGS="$(FUZZ_SANFLAGS)" OPT="-O1 -g" \
	  $(FUZZ_NAMES:%=$(FUZZ_B)/libfuzzer/%)

fuzz:
	$(MAKE) bootstrap EXTRA_PKGS="$(FUZZ_PKGS)"
	$(MAKE) fuzz-build
	@status=0; for n in $(FUZZ_NAMES); do \
	  sh tests/fuzz/run.sh $(FUZZ_B)/libfuzzer/$$n $(FUZZ_SECONDS) $(FUZZ_B) || status=1; \
	done; exit $$status

# Regenerates the committed tables from Debian's data files. Each generator core/gen/NAME.lua
# is run as `lua5.4 core/gen/NAME.lua OUTDIR` and writes its core/*_tables.c files into OUTDIR;
# it exits 3 when its inputs are not installed. check-tables regenerates into a temporary folder
# and fails if a committed table differs.
GENERATORS = $(wildcard core/gen/*.lua)

tables:
	@for g in $(GENERATORS); do echo "$(LUA) $$g core"; $(LUA) $$g core || exit 1; done

check-tables:
	@tmp=$$(mktemp -d); status=0; \
	for g in $(GENERATORS); do \
	  $(LUA) $$g $$tmp; rc=$$?; \
	  if [ $$rc = 3 ]; then echo "check-tables: $$g: inputs missing: skipped"; continue; fi; \
	  [ $$rc = 0 ] || { status=1; continue; }; \
	done; \
	for f in $$tmp/*.c; do [ -e "$$f" ] || continue; \
	  diff -u core/$$(basename $$f) $$f || status=1; done; \
	rm -rf $$tmp; [ $$status = 0 ] && echo "check-tables: up to date"; exit $$status

# make install PREFIX=... DESTDIR=...: the command, recipes, helpers, headers, libraries with
# their soname links, the Lua module and the pkg-config files; uninstall removes exactly those.
INSTALLED = $(bindir)/copydesk $(includedir)/copydesk.h $(includedir)/copydesk_lua.h \
  $(libdir)/libcopydesk.a $(libdir)/libcopydesk.so $(libdir)/libcopydesk.so.$(SOMAJOR) \
  $(libdir)/libcopydesk.so.$(VERSION) $(libdir)/libcopydesk_lua.a $(libdir)/libcopydesk_lua.so \
  $(libdir)/libcopydesk_lua.so.$(SOMAJOR) $(libdir)/libcopydesk_lua.so.$(VERSION) \
  $(luacdir)/copydesk.so $(pcdir)/copydesk.pc $(pcdir)/copydesk-lua.pc \
  $(datadir)/types/copydesk.lua \
  $(patsubst scripts/%,$(datadir)/scripts/%,$(wildcard scripts/*.lua)) \
  $(patsubst lua/%,$(luadir)/%,$(wildcard lua/copydesk/*.lua))

install: all $(B)/install/copydesk $(B)/copydesk.pc $(B)/copydesk-lua.pc
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(includedir) $(DESTDIR)$(libdir) $(DESTDIR)$(pcdir) \
	  $(DESTDIR)$(datadir)/scripts $(DESTDIR)$(datadir)/types $(DESTDIR)$(luadir)/copydesk \
	  $(DESTDIR)$(luacdir)
	install -m 755 $(B)/install/copydesk $(DESTDIR)$(bindir)/copydesk
	install -m 644 include/copydesk.h include/copydesk_lua.h $(DESTDIR)$(includedir)
	install -m 644 $(B)/libcopydesk.a $(B)/libcopydesk_lua.a $(DESTDIR)$(libdir)
	for l in libcopydesk libcopydesk_lua; do \
	  install -m 755 $(B)/$$l.so $(DESTDIR)$(libdir)/$$l.so.$(VERSION) && \
	  ln -sf $$l.so.$(VERSION) $(DESTDIR)$(libdir)/$$l.so.$(SOMAJOR) && \
	  ln -sf $$l.so.$(SOMAJOR) $(DESTDIR)$(libdir)/$$l.so || exit 1; done
	install -m 755 $(B)/copydesk.so $(DESTDIR)$(luacdir)/copydesk.so
	install -m 644 $(B)/copydesk.pc $(B)/copydesk-lua.pc $(DESTDIR)$(pcdir)
	install -m 644 scripts/*.lua $(DESTDIR)$(datadir)/scripts
	install -m 644 lua/types/copydesk.lua $(DESTDIR)$(datadir)/types
	install -m 644 lua/copydesk/*.lua $(DESTDIR)$(luadir)/copydesk

uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	-rmdir $(DESTDIR)$(datadir)/scripts $(DESTDIR)$(datadir)/types $(DESTDIR)$(datadir) \
	  $(DESTDIR)$(luadir)/copydesk 2>/dev/null

clean:
	rm -rf build

FORCE:

.PHONY: all bootstrap run test bench fuzz fuzz-build tables check-tables install uninstall clean FORCE
