/*
 * libFuzzer target for the recommendation rules (src/report/recommend.c): the input is a rules
 * file, optionally followed by a line "%%" and a school view model in JSON (else a fixed one
 * with every kind of finding). Rules that load are matched against the view. Besides the
 * sanitizers: rec_match appends exactly as many objects as it says, each with its text, reason
 * and act.
 */
#include "report/recommend.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char VIEW[] =
    "{\"school\": {\"code\": \"sch1\", \"name\": \"Школа № 1\"},"
    " \"context\": [{\"code\": \"teachers_unqualified\", \"name\": \"Педагоги\", \"value\": 2},"
    "  {\"code\": \"internet\", \"value\": 0}],"
    " \"procedures\": ["
    "  {\"proc\": {\"key\": \"VPR-math-5\", \"title\": \"ВПР, математика, 5 класс\"},"
    "   \"school\": {\"participants\": 41, \"share2\": 0.341, \"quality\": 0.2, \"share5\": 0.1,"
    "   \"success\": 0.66, \"mean_primary\": 9.5}, \"diff_quality\": -0.25, \"diff_success\": "
    "-0.1},"
    "  {\"proc\": {\"key\": \"OGE-math-9\", \"title\": \"ОГЭ\"},"
    "   \"school\": {\"participants\": 3, \"share2\": 0.05}, \"diff_quality\": null}],"
    " \"findings\": ["
    "  {\"method\": \"shnor\", \"verdict\": \"AB\", \"evidence\": {}, \"text\": [\"a\", \"b\"]},"
    "  {\"method\": \"risk\", \"verdict\": \"staff\", \"evidence\": {\"factors\": [\"staff\"]},"
    "   \"text\": [\"c\"]},"
    "  {\"method\": \"objectivity\", \"verdict\": \"x\", \"evidence\": {\"signs\": [{\"sign\":"
    "   \"journal_mismatch\", \"text\": \"d\"}]}, \"text\": [\"d\"]}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    json_t *view = NULL;
    char *sep = strstr(text, "\n%%\n");
    if (sep) {
        *sep = '\0';
        json_error_t je;
        view = json_loads(sep + 4, 0, &je);
    }
    if (!view) {
        json_error_t je;
        view = json_loads(VIEW, 0, &je);
        MSK_ASSERT(view != NULL);
    }
    rec_rules *r = NULL;
    msk_err e;
    msk_err_clear(&e);
    if (rec_load_str("fuzz.ini", text, &r, &e) == 0) {
        json_t *out = json_array();
        int n = rec_match(r, view, out);
        MSK_ASSERT(n >= 0 && (size_t)n == json_array_size(out));
        size_t i;
        json_t *o;
        json_array_foreach(out, i, o)
        {
            MSK_ASSERT(json_is_string(json_object_get(o, "text")));
            MSK_ASSERT(json_is_string(json_object_get(o, "act")));
        }
        (void)rec_margin(r);
        json_decref(out);
        rec_free(r);
    } else {
        MSK_ASSERT(e.msg[0] != '\0');
    }
    json_decref(view);
    free(text);
    return 0;
}
