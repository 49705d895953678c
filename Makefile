# doppel - plain Makefile.
#
#   make            build ./doppel
#   make demo       install missing packages, build, run `./doppel demo`
#   make check      install missing packages, build, run every test
#   make check-asan the unit and integration tests under ASan+UBSan
#   make fuzz       build libFuzzer targets (clang) into build/fuzz/
#   make bench      every benchmark against pg_dump/pg_restore and
#                   mariadb-dump/mariadb, one table at the end (BENCH_PG_SCALE,
#                   BENCH_MY_ROWS; BENCH_FLAGS=--readme writes it into README)
#   make bench-smoke  the same ratios in under a minute (SQLite + PostgreSQL)
#
# Sources are found by directory: every .c under the library directories goes
# into build/libdoppel.a; cli/*.c makes the program; tests/unit/test_*.c each
# make one cmocka binary.

BUILD    ?= build
CC       ?= cc
PKGS     := libcjson openssl sqlite3 libpq libmariadb libssh2 libmicrohttpd
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
OPT      ?= -O2
SAN      ?=
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-format-truncation \
            $(OPT) -g -pthread -I. $(PKG_CFLAGS) $(SAN)
LDLIBS   += $(PKG_LIBS) -lm -lpthread
LDFLAGS  += $(SAN)

LIB_DIRS := base connectors tunnel settings settings/api engine/config engine/mask engine/models engine/pii engine/gen engine/plan engine/subset engine/load engine/run engine/synth engine report
LIB_SRC  := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC  := $(wildcard cli/*.c)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_RUN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/run_%)

# Debian packages the build, the demo and the tests need.
BUILD_DEBS := build-essential pkg-config libsqlite3-dev libcjson-dev libssl-dev libpq-dev libmariadb-dev libcmocka-dev libssh2-1-dev libmicrohttpd-dev sqlite3
TEST_DEBS  := $(BUILD_DEBS) postgresql-15 postgresql-client-15 mariadb-server mariadb-client time bc openssh-server openssh-client curl jq openssl wrk

.PHONY: all demo check check-asan deps deps-test tests fuzz bench bench-smoke clean names

all: doppel

doppel: $(BUILD)/doppel
	cp $< $@

$(BUILD)/doppel: $(CLI_OBJ) $(BUILD)/libdoppel.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libdoppel.a $(LDLIBS)

$(BUILD)/libdoppel.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libdoppel.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libdoppel.a $(LDLIBS) -lcmocka

# Fuzz targets also build as plain programs that replay a corpus, so every
# `make check` exercises them without clang.
$(BUILD)/tests/run_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay_main.c $(BUILD)/libdoppel.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< tests/fuzz/replay_main.c $(BUILD)/libdoppel.a $(LDLIBS)

tests: $(BUILD)/doppel $(UNIT_BIN) $(FUZZ_RUN)

deps:
	@sh tests/deps.sh $(BUILD_DEBS)

deps-test:
	@sh tests/deps.sh $(TEST_DEBS)

demo: deps
	$(MAKE) doppel
	./doppel demo

check: deps-test
	$(MAKE) tests doppel
	BUILD=$(BUILD) DOPPEL=$(BUILD)/doppel sh tests/run_all.sh

check-asan: deps-test
	$(MAKE) BUILD=build-asan OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" tests
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  BUILD=build-asan DOPPEL=./build-asan/doppel sh tests/run_all.sh

fuzz: $(BUILD)/libdoppel.a
	@mkdir -p $(BUILD)/fuzz
	for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
	  clang -std=c11 -D_GNU_SOURCE -g -O1 -I. $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined \
	    -o $(BUILD)/fuzz/$$n $$f $(LIB_SRC) $(LDLIBS) || exit 1; done

BENCH_PG_SCALE ?= 20
BENCH_MY_ROWS  ?= 1000000
bench: deps-test
	$(MAKE) doppel
	BENCH_PG_SCALE=$(BENCH_PG_SCALE) BENCH_MY_ROWS=$(BENCH_MY_ROWS) sh bench/run.sh $(BENCH_FLAGS)

bench-smoke: deps-test
	$(MAKE) doppel
	sh bench/run.sh --smoke $(BENCH_FLAGS)

# The mock name dictionaries: lists in engine/pii/data (sources and licences
# in its README) -> C arrays. The generated file is committed (offline build).
NAME_LISTS := $(wildcard engine/pii/data/*.txt)
engine/pii/names_data.c: $(NAME_LISTS) engine/pii/data/gen_names.sh
	sh engine/pii/data/gen_names.sh engine/pii/data > $@.tmp && mv $@.tmp $@
names:
	sh engine/pii/data/gen_names.sh engine/pii/data > engine/pii/names_data.c.tmp && \
	  mv engine/pii/names_data.c.tmp engine/pii/names_data.c

clean:
	rm -rf build build-asan doppel

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)
