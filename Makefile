# copydesk: `make` builds into build/; `make run` and `make test` also install what is missing.
# SANITIZE=1 builds everything with AddressSanitizer and UBSan into build/san/.

CC      ?= cc
LUA     ?= lua5.4
PKGS     = make gcc pkgconf lua5.4 liblua5.4-dev libutf8proc-dev libyaml-dev libjansson-dev \
           libxxhash-dev zlib1g-dev libzstd-dev lua-busted unicode-data
BENCH_PKGS = libicu-dev

ifeq ($(SANITIZE),1)
B        = build/san
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT      = -O1 -g
else
B        = build
SANFLAGS =
OPT      = -O2 -g
endif

DEPCFLAGS := $(shell pkg-config --cflags lua5.4 libutf8proc yaml-0.1 jansson libxxhash zlib libzstd \
                2>/dev/null)
ifeq ($(strip $(DEPCFLAGS)),)
ifeq ($(filter bootstrap run test bench clean,$(MAKECMDGOALS)),)
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

all: $(B)/copydesk $(B)/libcopydesk.a $(B)/libcopydesk.so $(B)/copydesk.so

$(B)/core/%.o: core/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fvisibility=hidden -Icore -c $< -o $@

# The command finds scripts/ and lua/ in the tree it was built from (COPYDESK_HOME overrides).
$(B)/lua/main.o: lua/main.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DCOPYDESK_DATADIR='"$(CURDIR)"' -c $< -o $@

$(B)/lua/%.o: lua/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fvisibility=hidden -c $< -o $@

$(B)/libcopydesk.a: $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/libcopydesk.so: $(CORE_OBJ)
	$(CC) $(SANFLAGS) -shared -Wl,-soname,libcopydesk.so.0 -o $@ $^ $(CORE_LIBS)

# The Lua module links the core statically and leaves Lua's symbols to the host interpreter.
$(B)/copydesk.so: $(BIND_OBJ) $(B)/libcopydesk.a
	$(CC) $(SANFLAGS) -shared -o $@ $(BIND_OBJ) $(B)/libcopydesk.a $(CORE_LIBS)

$(B)/copydesk: $(B)/lua/main.o $(BIND_OBJ) $(B)/libcopydesk.a
	$(CC) $(SANFLAGS) -o $@ $^ $(LUA_LIBS) $(CORE_LIBS) -Wl,-E

$(B)/tests/%: tests/c/%.c tests/c/check.h $(B)/libcopydesk.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/c -o $@ $< $(B)/libcopydesk.a $(CORE_LIBS)

# Benchmark baselines in C (ICU, utf8proc), built only by `make bench`.
$(B)/bench/%: tests/bench/%.c $(B)/libcopydesk.a
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
	$(MAKE) all $(TEST_BIN)
	COPYDESK_BUILD=$(B) SANITIZE=$(SANITIZE) sh tests/run.sh

# Each tests/bench/NAME.lua prints its rows, every figure a ratio to a baseline of the same run.
bench:
	$(MAKE) bootstrap EXTRA_PKGS="$(BENCH_PKGS)"
	$(MAKE) all $(BENCH_BIN)
	@for b in tests/bench/*.lua; do echo "== $$b"; $(B)/copydesk $$b $(B) || exit 1; done

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

clean:
	rm -rf build

.PHONY: all bootstrap run test bench tables check-tables clean
