#!/bin/sh
# The checker of the house rules (scripts/checksrc.sh), checked itself: on a copy of the tree it
# passes; one planted violation of each rule makes it fail naming that rule and only that rule;
# the planted file restored, it passes again.
. "$(dirname "$0")/tap.inc"
R="$MSOKO_ROOT"
W="$T/tree"
mkdir -p "$W/web" "$W/scripts"
cp -R "$R/src" "$W/src"
cp -R "$R/web/tmpl" "$W/web/tmpl"
cp "$R/Makefile" "$R/.clang-format" "$W/"
cp "$R/scripts/checksrc.sh" "$W/scripts/"
(cd "$R" && find tests bench -name '*.[ch]' | while read -r f; do
    mkdir -p "$W/$(dirname "$f")" && cp "$f" "$W/$f"; done)

run() { sh "$W/scripts/checksrc.sh" "$W" >"$T/out" 2>"$T/err"; }
# the plants of other rules skip the format rule (clang-format over the tree takes seconds);
# the runs on the whole tree and the format plant run every rule
fast() { CHECKSRC_SKIP=format run; }
# rules RULE: the rules named by the failing run, sorted, one line
rules() { sed -n 's/^checksrc: \([a-z]*\):.*/\1/p' "$T/err" | sort -u | tr '\n' ' ' | sed 's/ $//'; }
# planted RULE FILE : run on the tree with FILE changed; expect exactly RULE; restore FILE
planted() {
    rule=$1 f=$2
    if { [ "$rule" = format ] && run; } || { [ "$rule" != format ] && fast; }; then
        not_ok "$rule: a planted violation in $f fails the check"
    else
        expect_eq "$rule: a planted violation in $f fails the check, naming only $rule" "$(rules)" "$rule"
    fi
    cp "$T/saved" "$W/$f"
    rm -rf "$W/src/zzz"
}
save() { cp "$W/$1" "$T/saved"; }

if run; then ok "the tree as committed passes"; else
    not_ok "the tree as committed passes"; sed 's/^/#   /' "$T/out" "$T/err" | head -20; fi

save src/base/buf.c
printf '\nstatic void planted(char *d)\n{\n    strcpy(d, "x");\n}\n' >>"$W/src/base/buf.c"
planted banned src/base/buf.c
save src/method/risk.c
printf '\nstatic double planted(double x)\n{\n    return lgamma(x);\n}\n' >>"$W/src/method/risk.c"
planted banned src/method/risk.c

save src/web/assets.c
printf '\nstatic const char *planted = "SELECT id FROM school";\n' >>"$W/src/web/assets.c"
planted sql src/web/assets.c

save src/method/shnor.c
sed -i '0,/^#include "/s||#include "store/store.h"\n#include "|' "$W/src/method/shnor.c"
planted layers src/method/shnor.c
expect_grep "layers: the message names the file and the edge" 'src/method/shnor.c' "$T/out"

save src/report/chart.c
sed -i '0,/^#include "/s||#include "web/tmpl.h"\n#include "|' "$W/src/report/chart.c"
planted layers src/report/chart.c

save Makefile
mkdir -p "$W/src/zzz"
printf '/* a folder nobody placed */\nint zzz_one(void);\n' >"$W/src/zzz/zzz.h"
planted layers Makefile
expect_grep "layers: an unknown folder is named" 'src/zzz/ is not in the layer table' "$T/err"

save src/cli/cmd_user.c
sed -i 's|#include "web/pass.h"|#include "web/internal.h"|' "$W/src/cli/cmd_user.c"
planted internal src/cli/cmd_user.c

save web/tmpl/school.html
printf '<p>{{{planted}}}</p>\n' >>"$W/web/tmpl/school.html"
planted rawtag web/tmpl/school.html
expect_grep "rawtag: the message names the tag" '{{{planted}}}' "$T/err"

save web/tmpl/school.html
printf '<p>{{& planted}}</p>\n' >>"$W/web/tmpl/school.html"
planted rawtag web/tmpl/school.html

save web/tmpl/raw.allow
sed -i '/^school.html chart_svg/d' "$W/web/tmpl/raw.allow"
planted rawtag web/tmpl/raw.allow

for fn in malloc calloc realloc strdup strndup; do
    save src/base/buf.c
    printf '\nstatic void *planted(void)\n{\n    return %s(8);\n}\n' "$fn" >>"$W/src/base/buf.c"
    planted alloc src/base/buf.c
done

save src/base/buf.c
printf '\n/* see malloc(3) */\nstatic int planted(void)\n{\n    return 0;\n}\n' >>"$W/src/base/buf.c"
if fast; then ok "alloc: a mention in a comment is not a call"; else
    not_ok "alloc: a mention in a comment is not a call"; sed 's/^/#   /' "$T/err" | head; fi
cp "$T/saved" "$W/src/base/buf.c"

for call in 'getenv("HOME")' 'time(NULL)' 'fopen("x", "r")'; do
    save src/method/shnor.c
    printf '\nstatic void planted(void)\n{\n    (void)%s;\n}\n' "$call" >>"$W/src/method/shnor.c"
    planted pure src/method/shnor.c
done

if command -v clang-format >/dev/null 2>&1; then
    save src/base/buf.c
    printf '\nint  planted_format;\n' >>"$W/src/base/buf.c"
    planted format src/base/buf.c
else
    ok "# SKIP format: clang-format not installed"
fi

save Makefile
sed -i 's/ -Wconversion//' "$W/Makefile"
planted warn Makefile
save Makefile
sed -i 's/ -Wmissing-prototypes//' "$W/Makefile"
planted warn Makefile

# a body of 121 lines, then the same with a reason above it
long_fn() { # $1 = the comment above, or ""
    printf '\n%s' "$1"
    printf 'static int planted(int x)\n{\n'
    i=0; while [ $i -lt 120 ]; do printf '    x++;\n'; i=$((i + 1)); done
    printf '    return x;\n}\n'
}
save src/base/buf.c
long_fn "" >>"$W/src/base/buf.c"
planted long src/base/buf.c
save src/base/buf.c
long_fn '/* Long: planted by the test, to see that a reason is accepted. */
' >>"$W/src/base/buf.c"
if fast; then ok "long: a function over 120 lines with a reason above it passes"; else
    not_ok "long: a function over 120 lines with a reason above it passes"; sed 's/^/#   /' "$T/err" | head; fi
cp "$T/saved" "$W/src/base/buf.c"

if run; then ok "the tree passes again once every plant is removed"; else
    not_ok "the tree passes again once every plant is removed"; sed 's/^/#   /' "$T/err" | head; fi
done_testing
