#!/bin/sh
# House rules, checked rather than remembered (curl checksrc). Each rule prints the offending
# lines and one "checksrc: RULE: ..." line; the exit status is 1 when any rule fails.
#   banned      strcpy/strcat/sprintf/strtok/atoi... (use msk_buf, snprintf, strtol), and what
#               keeps hidden global state the server's threads would share (lgamma, localtime,
#               gmtime, ctime, asctime, rand, tmpnam: use the _r forms)
#   sql         SQL text only under src/store/
#   layers      #include edges between folders of src/ only as in the table below
#               (docs/architecture.md explains it)
#   internal    a folder's *internal.h is included from that folder only
#   rawtag      raw template tags ({{{x}}}, {{&x}}) only where web/tmpl/raw.allow lists them
#   alloc       no raw malloc/calloc/realloc/strdup/strndup outside src/base/mem.c
#   pure        no file, clock or environment access in src/method/
#   format      clang-format clean (when clang-format is installed)
#   warn        the Makefile's WARN has -Wconversion and -Wmissing-prototypes
#   long        no function body over 120 lines without "Long:" and a reason in the comment
#               above it
# Usage: scripts/checksrc.sh [ROOT]   (ROOT defaults to the checkout holding this script; the
# tests of the checker, tests/cli/checksrc.sh, run it on a copy with planted violations).
# CHECKSRC_SKIP="format ..." skips rules by name (those tests skip the slow format rule where
# they plant something else).
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 1
bad=0
fail() { echo "checksrc: $1" >&2; bad=1; }
SRC=$(ls src/*/*.c src/*/*.h)
# The sources as code only, "FILE:LINE: code": comments and the insides of string and character
# literals blanked, so prose ("never rand()") and text ("malloc(") do not count as calls.
CODE=$(mktemp)
trap 'rm -f "$CODE"' EXIT
awk '
    FNR == 1 { c = 0 }
    {
        s = $0; out = ""
        while (s != "") {
            if (c) { i = index(s, "*/"); if (!i) { s = ""; break } s = substr(s, i + 2); c = 0; continue }
            if (!match(s, /\/\*|\/\/|"|\047/)) { out = out s; break }
            out = out substr(s, 1, RSTART - 1); tok = substr(s, RSTART, RLENGTH); s = substr(s, RSTART)
            if (tok == "//") break
            if (tok == "/*") { s = substr(s, 3); c = 1; continue }
            q = tok == "\"" ? "\"" : "\047"
            if (q == "\"" ? match(s, /^"([^"\\]|\\.)*"/) : match(s, /^\047([^\047\\]|\\.)*\047/)) {
                out = out q q; s = substr(s, RLENGTH + 1)
            } else { out = out s; break }
        }
        print FILENAME ":" FNR ": " out
    }' $SRC >"$CODE"

# ---- banned functions, SQL outside the store ---------------------------------------------------
if grep -E '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)\s*\(' "$CODE"; then
    fail "banned: function above (use msk_buf, snprintf, strtol)"
fi
if grep -E '\b(lgamma|localtime|gmtime|ctime|asctime|rand|srand|tmpnam)\s*\(' "$CODE"; then
    fail "banned: not thread-safe above (use lgamma_r, localtime_r, gmtime_r, ...)"
fi
if grep -nE '"[^"]*\b(SELECT|INSERT INTO|UPDATE [a-z_]+ SET|DELETE FROM|CREATE TABLE)\b' \
     $(ls src/*/*.c | grep -v '^src/store/'); then
    fail "sql: SQL outside src/store/ above"
fi

# ---- layers: the folders a folder may include (besides itself) ---------------------------------
# Data flows one way: files → ingest → store → model → method → engine/app → report/view → web/cli.
allowed() {
    case $1 in
    base) echo "" ;;
    store) echo "base" ;;
    ingest) echo "base store" ;;
    model) echo "base store" ;;
    form) echo "base store" ;;
    method) echo "base model" ;;
    demo) echo "base store form" ;;
    engine) echo "base store model method" ;;
    view) echo "base store model method form" ;;
    report) echo "base store model method form view" ;;
    app) echo "base store model method engine ingest form view report" ;;
    web) echo "base store model method engine ingest form view report app" ;;
    cli) echo "base store model method engine ingest form view report app web demo" ;;
    *) echo "?" ;;
    esac
}
table=""
for d in $(ls -d src/*/ | sed 's|src/||; s|/||'); do
    ok=$(allowed "$d")
    if [ "$ok" = "?" ]; then
        fail "layers: src/$d/ is not in the layer table of scripts/checksrc.sh (add it there and to docs/architecture.md)"
    fi
    table="$table$d:$ok;"
done
# one pass over every file for each: an include of another folder must be in that folder's list;
# a header named *internal.h is included from its own folder only
edges() { # $1 = layers | internal
    awk -v mode="$1" -v table="$table" '
    BEGIN { n = split(table, rows, ";"); for (i = 1; i <= n; i++) if (rows[i] != "") {
                split(rows[i], kv, ":"); ok[kv[1]] = " " kv[2] " " } }
    /^[ \t]*#[ \t]*include[ \t]*"[a-z_0-9]+\// {
        split(FILENAME, p, "/"); d = p[2]
        t = $0; sub(/^[^"]*"/, "", t); hdr = t; sub(/".*/, "", hdr); sub(/\/.*/, "", t)
        if (t == d) next
        if (mode == "internal" && hdr ~ /internal\.h$/) {
            print FILENAME ":" FNR ": " $0; found = 1
        } else if (mode == "layers" && (d in ok) && index(ok[d], " " t " ") == 0) {
            print FILENAME ":" FNR ": " $0 "   (src/" d "/ may include:" ok[d] ")"; found = 1
        }
    }
    END { exit !found }' $SRC
}
edges layers && fail "layers: include edge above not allowed (the table in scripts/checksrc.sh, docs/architecture.md)"
edges internal && fail "internal: another folder's internal header included above (use its public header)"

# ---- raw template tags ------------------------------------------------------------------------
# web/tmpl/raw.allow: "FILE NAME" per line (# comments): the raw tags that carry markup the server
# made itself (SVG charts, the rendered page inside the layout). Everything else is escaped.
allow=web/tmpl/raw.allow
for f in web/tmpl/*.html; do
    [ -f "$f" ] || continue
    b=$(basename "$f")
    for hit in $(grep -noE '\{\{\{[^}]*\}\}\}|\{\{[ \t]*&[^}]*\}\}' "$f" | tr -d ' \t'); do
        n=$(echo "$hit" | sed 's/^[0-9]*://; s/[{}&]//g')
        [ -f "$allow" ] && grep -qE "^[ \t]*$b[ \t]+$n[ \t]*(#.*)?$" "$allow" && continue
        echo "$f:$hit"
        fail "rawtag: raw tag {{{$n}}} in $f is not listed in $allow (escape it, or list \"$b $n\" there with why)"
    done
done

# ---- one out-of-memory policy -----------------------------------------------------------------
if grep -v '^src/base/mem\.c:' "$CODE" |
     grep -E ':[0-9]+: (.*[^_a-zA-Z0-9.>])?(malloc|calloc|realloc|reallocarray|strdup|strndup)[ \t]*\('; then
    fail "alloc: raw allocation above (use msk_malloc, msk_calloc, msk_realloc, msk_strdup of base/mem.h: they cannot return NULL)"
fi

# ---- method/ is pure --------------------------------------------------------------------------
if grep -E '\b(fopen|fdopen|freopen|fread|fwrite|fgets|fputs|fprintf|printf|puts|putchar|getchar|open|openat|opendir|readdir|stat|lstat|fstat|access|unlink|remove|rename|mkdir|getcwd|chdir|getenv|secure_getenv|setenv|putenv|time|clock|clock_gettime|gettimeofday|localtime|localtime_r|gmtime|gmtime_r|mktime|rand|srand|random)[ \t]*\(|\b(stdin|stdout|stderr|environ)\b|#[ \t]*include[ \t]*<(time|unistd|dirent|fcntl|sys/stat|sys/time)\.h>' \
     "$CODE" | grep '^src/method/'; then
    fail "pure: file, clock or environment access in src/method/ above (read in src/engine/, pass the text or the date in)"
fi

# ---- clang-format -----------------------------------------------------------------------------
skip() { case " $CHECKSRC_SKIP " in *" $1 "*) return 0 ;; esac; return 1; }
if ! skip format && command -v clang-format >/dev/null 2>&1; then
    tmp=$(mktemp)
    if ! clang-format --dry-run -Werror $(find src tests bench -name '*.[ch]' | sort) 2>"$tmp" >/dev/null; then
        grep -E ': (error|warning):' "$tmp" | head -20
        fail "format: not clang-format clean above (run: make format)"
    fi
    rm -f "$tmp"
fi

# ---- warnings the build keeps on --------------------------------------------------------------
if [ -f Makefile ]; then
    w=$(grep -E '^WARN[ \t]*:?=' Makefile)
    for flag in -Wconversion -Wmissing-prototypes; do
        case " $w " in
        *" $flag "*) ;;
        *) fail "warn: the Makefile's WARN lacks $flag" ;;
        esac
    done
fi

# ---- long functions ---------------------------------------------------------------------------
# A definition starts at column 0 with a "(" before any "=" and no ";"; its body runs from a "{"
# alone on a line to the next "}" at column 0 (clang-format's Linux braces). The comment block
# right above the definition must say "Long:" and why when the body is over 120 lines.
if awk -v max=120 '
    FNR == 1 { incom = 0; com = ""; comend = -1; sig = 0; infn = 0 }
    infn { if ($0 ~ /^}/) { n = FNR - start - 1; if (n > max && fcom !~ /[Ll]ong:/) {
               print FILENAME ":" sigline ": " name "() has " n " lines: split it, or say why above it (\"Long: ...\")"; found = 1 }
             infn = 0 }
           next }
    incom { com = com "\n" $0; if ($0 ~ /\*\//) { incom = 0; comend = FNR }; next }
    /^\/\*/ { com = $0; if ($0 ~ /\*\//) comend = FNR; else incom = 1; next }
    /^\/\// { com = (comend == FNR - 1 ? com "\n" : "") $0; comend = FNR; next }
    !sig && /^[A-Za-z_]/ && !/^(typedef|enum|struct [a-z_0-9]+ \{|union)/ && !/;[ \t]*$/ {
        p = index($0, "("); e = index($0, "=")
        if (p && (!e || e > p)) {
            sig = 1; sigline = FNR; fcom = (comend == FNR - 1) ? com : ""
            name = substr($0, 1, p - 1); sub(/.*[ *]/, "", name)
        }
    }
    sig { if ($0 ~ /^{/) { sig = 0; infn = 1; start = FNR } else if ($0 ~ /;[ \t]*$/) sig = 0 }
    END { exit !found }' $(ls src/*/*.c); then
    fail "long: function over 120 lines above without a reason"
fi

exit $bad
