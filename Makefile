# msoko build. `make` builds build/msoko (development flags, -Werror);
# `make test` builds everything again with AddressSanitizer + UBSan under build/asan/ and runs
# every test, ending with "N passed, N failed"; `make demo` builds, makes demo.db and serves it.

PKGS     := sqlite3 libpq zlib jansson libsodium libmicrohttpd xlsxwriter libzip expat cairo pangocairo inih fontconfig
CC       ?= cc
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN     := -Wall -Wextra -Wshadow -Wconversion -Wmissing-prototypes -Wno-unused-parameter -Wno-format-truncation -Werror
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Isrc $(PKG_CFLAGS) -MMD -MP
LIBS     := $(PKG_LIBS) -lm -lpthread

LIB_SRC  := $(sort $(filter-out src/cli/main.c,$(wildcard src/*/*.c)))
CLI_MAIN := src/cli/main.c
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

B        := build
ASAN     := build/asan
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

.PHONY: all test demo format clean deps check-src bench fuzz tsan
all: $(B)/msoko

# --- development build -----------------------------------------------------------------------
$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/libmsoko.a: $(LIB_SRC:%.c=$(B)/obj/%.o)
	@rm -f $@
	ar rcs $@ $^

$(B)/msoko: $(B)/obj/$(CLI_MAIN:.c=.o) $(B)/libmsoko.a
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

# --- sanitizer build for tests ----------------------------------------------------------------
$(ASAN)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC asan $<"
	@$(CC) $(ALL_CFLAGS) -O1 $(SAN) -c $< -o $@

$(ASAN)/libmsoko.a: $(LIB_SRC:%.c=$(ASAN)/obj/%.o)
	@rm -f $@
	ar rcs $@ $^

$(ASAN)/msoko: $(ASAN)/obj/$(CLI_MAIN:.c=.o) $(ASAN)/libmsoko.a
	$(CC) $(SAN) -o $@ $^ $(LIBS)

$(ASAN)/tests/%: $(ASAN)/obj/tests/unit/%.o $(ASAN)/libmsoko.a
	@mkdir -p $(dir $@)
	$(CC) $(SAN) -o $@ $^ $(LIBS) -lcmocka

UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(ASAN)/tests/%)

# --- ThreadSanitizer build, for one-off runs of the threaded server's tests (not in `make test`):
#     `make tsan` runs tests/tsan/server.sh with it
TSAN     := build/tsan
$(TSAN)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC tsan $<"
	@$(CC) $(ALL_CFLAGS) -O1 -fsanitize=thread -c $< -o $@
$(TSAN)/libmsoko.a: $(LIB_SRC:%.c=$(TSAN)/obj/%.o) $(TSAN)/obj/build/gen/web_assets.o
	@rm -f $@
	ar rcs $@ $^
$(TSAN)/msoko: $(TSAN)/obj/$(CLI_MAIN:.c=.o) $(TSAN)/libmsoko.a
	$(CC) -fsanitize=thread -o $@ $^ $(LIBS)
# `make tsan`: the server under concurrent pages, analyses and imports (tests/tsan/server.sh)
tsan: $(TSAN)/msoko
	@sh tests/tsan/server.sh

deps:
	@sh scripts/deps.sh

check-src:
	@sh scripts/checksrc.sh

# the house rules (scripts/checksrc.sh) run inside tests/run.sh, counted as one test
test: deps
	@$(MAKE) --no-print-directory $(B)/msoko $(ASAN)/msoko $(UNIT_BIN) $(B)/tools/xlsx2tsv
	@$(MAKE) --no-print-directory -s fuzz-build
	@sh tests/run.sh $(ASAN) $(UNIT_BIN)

# --- fuzzing (clang + libFuzzer): `make test` replays the committed corpus only (deterministic);
# `make fuzz` fuzzes each target for MSOKO_FUZZ_SECONDS (default 60) -------------------------------
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=build/fuzz/%)
FUZZ_LIB_SRC := $(filter src/base/% src/ingest/% src/store/% src/web/tmpl.c src/web/form.c src/web/arena.c src/web/router.c src/method/methodology.c src/report/recommend.c,$(LIB_SRC))
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -g -O1 -Isrc $(PKG_CFLAGS)
# the library is compiled once for every target; each target links what it uses from it
build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
build/fuzz/libfuzz.a: $(FUZZ_LIB_SRC:%.c=build/fuzz/obj/%.o)
	@rm -f $@
	@ar rcs $@ $^
build/fuzz/%: tests/fuzz/%.c build/fuzz/libfuzz.a
	@mkdir -p build/fuzz
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< build/fuzz/libfuzz.a $(LIBS)
fuzz-build: $(FUZZ_BIN)
fuzz: fuzz-build
	@sh tests/fuzz/run.sh

# --- demo --------------------------------------------------------------------------------------
demo: deps $(B)/msoko
	@sh scripts/demo.sh

bench: $(B)/msoko
	@for b in bench/*/run.sh; do [ -f "$$b" ] && sh "$$b"; done; true

format:
	clang-format -i $$(find src tests bench -name '*.[ch]')

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)

# --- test tools -------------------------------------------------------------------------------
build/tools/csv2xlsx: tests/tools/csv2xlsx.c
	@mkdir -p build/tools
	@$(CC) -std=c17 -O1 -Wall -o $@ $< $$(pkg-config --cflags --libs xlsxwriter)

# --- web assets: templates, CSS and JS under web/ embedded into the binary --------------------
WEB_FILES := $(sort $(wildcard web/tmpl/*.html web/static/*))
build/tools/embed: web/embed.c
	@mkdir -p build/tools
	@$(CC) -std=c17 -O1 -Wall -o $@ $<
build/gen/web_assets.c: build/tools/embed $(WEB_FILES)
	@mkdir -p build/gen
	@build/tools/embed $@ $(WEB_FILES)
$(B)/libmsoko.a: $(B)/obj/build/gen/web_assets.o
$(ASAN)/libmsoko.a: $(ASAN)/obj/build/gen/web_assets.o
# reads an .xlsx with our own reader (tests/cli/report.sh compares report XLSX with analyze --json)
$(B)/tools/xlsx2tsv: tests/tools/xlsx2tsv.c $(B)/libmsoko.a
	@mkdir -p $(B)/tools
	@$(CC) $(ALL_CFLAGS) -o $@ $^ $(LIBS)
