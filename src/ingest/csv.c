/*
 * Streaming CSV reader: see csv.h for what a row is. The parser works on raw bytes (both
 * encodings we accept are ASCII-compatible, so quotes, delimiters and line ends are found the
 * same way) and copies each row's fields, NUL-terminated, into one reusable row buffer; only a
 * finished row with bytes >= 0x80 is validated (UTF-8) or converted (CP1251). Unquoted runs are
 * copied with one memcpy each, found by a 256-entry stop table, so a plain numeric row costs a
 * table lookup per byte and no allocation.
 */
#include "ingest/csv.h"

#include "base/buf.h"
#include "base/mem.h"
#include "ingest/encoding.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How a field ended. */
enum { END_DELIM, END_LINE, END_EOF };

typedef struct csv_reader {
    tbl_reader base;          /* first member: a tbl_reader * from us is a csv_reader * */
    int fd;                   /* file source, -1 for memory */
    char *mem;                /* memory source: owned copy of the data */
    size_t memlen, mempos;    /* its length and the next byte to hand out */
    size_t chunk;             /* most bytes one read hands to the parser */
    char *blk;                /* CSV_BLOCK bytes of input */
    size_t pos, blen;         /* next byte to parse, bytes valid in blk */
    int eof;                  /* the source has no more bytes */
    int64_t line;             /* physical line of blk[pos], 1-based */
    char delim;               /* ';', ',' or '\t' */
    unsigned char stop[256];  /* bytes that end a run in an unquoted field */
    unsigned char qstop[256]; /* ... in a quoted field */
    enc_kind enc;             /* ENC_ASCII until a high byte decides */
    enc_conv conv;            /* open once enc is ENC_CP1251 */
    int conv_open;
    char *row;             /* the current row's fields, each NUL-terminated */
    size_t rowlen, rowcap; /* rowcap > rowlen always */
    size_t fstart;         /* offset in row of the field being read */
    int64_t fline;         /* line where that field starts */
    size_t *offs;          /* offs[i]: start of field i in row */
    size_t offcap;         /* entries in offs and in base.cells */
    msk_buf utf8;          /* a CP1251 row converted to UTF-8 */
    int failed;            /* sticky: every later next() repeats fail */
    msk_err fail;
} csv_reader;

/* Record an error at (line, field col) and hand it to the caller. Returns -1. */
static int fail(csv_reader *r, msk_err *err, int64_t line, size_t col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int fail(csv_reader *r, msk_err *err, int64_t line, size_t col, const char *fmt, ...)
{
    char msg[MSK_ERR_MSG];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    msk_error_at(&r->fail, r->base.file, line, (int)col, "%s", msg);
    r->failed = 1;
    if (err)
        *err = r->fail;
    return -1;
}

/* One read from the source into dst: bytes read, 0 at the end, -1 with errno on error. */
static ssize_t src_read(csv_reader *r, char *dst, size_t want)
{
    if (r->fd < 0) {
        size_t n = r->memlen - r->mempos;
        if (n > want)
            n = want;
        if (n > r->chunk)
            n = r->chunk;
        if (n)
            memcpy(dst, r->mem + r->mempos, n);
        r->mempos += n;
        return (ssize_t)n;
    }
    for (;;) {
        ssize_t n = read(r->fd, dst, want);
        if (n >= 0 || errno != EINTR)
            return n;
    }
}

/* Make blk[pos] readable. Every byte before pos has been copied to the row already, so the
 * block is refilled from its start. Returns 1 when a byte is there, 0 at the end, -1 on a read
 * error. */
static int more(csv_reader *r, msk_err *err)
{
    if (r->pos < r->blen)
        return 1;
    if (r->eof)
        return 0;
    r->pos = r->blen = 0;
    ssize_t n = src_read(r, r->blk, CSV_BLOCK);
    if (n < 0)
        return fail(r, err, r->line, 0, "ошибка чтения файла: %s", strerror(errno));
    if (n == 0) {
        r->eof = 1;
        return 0;
    }
    r->blen = (size_t)n;
    return 1;
}

static void row_reserve(csv_reader *r, size_t n)
{
    if (r->rowlen + n < r->rowcap)
        return;
    size_t cap = r->rowcap;
    while (cap <= r->rowlen + n)
        cap *= 2; /* rowlen + n stays below CSV_MAX_ROW + CSV_MAX_FIELDS + 2: no overflow */
    r->row = msk_realloc(r->row, cap);
    r->rowcap = cap;
}

/* Append n bytes of the current field, enforcing the field and row limits. */
static int row_add(csv_reader *r, const char *p, size_t n, size_t col, msk_err *err)
{
    if (r->rowlen - r->fstart + n > CSV_MAX_FIELD)
        return fail(r, err, r->fline, col,
                    "поле длиннее %d байт (1 МиБ): вероятно, не закрыта кавычка или файл не "
                    "является таблицей",
                    CSV_MAX_FIELD);
    if (r->rowlen + n > CSV_MAX_ROW)
        return fail(r, err, r->fline, col, "строка длиннее %d байт (16 МиБ)", CSV_MAX_ROW);
    row_reserve(r, n);
    memcpy(r->row + r->rowlen, p, n);
    r->rowlen += n;
    return 0;
}

static int nul_error(csv_reader *r, size_t col, msk_err *err)
{
    return fail(r, err, r->line, col,
                "в данных нулевой байт (0x00): файл повреждён или не является текстовым CSV");
}

/* After a CR: swallow the LF of a CR LF pair, possibly at the start of the next block. */
static int eat_lf(csv_reader *r, msk_err *err)
{
    int k = more(r, err);
    if (k < 0)
        return -1;
    if (k > 0 && r->blk[r->pos] == '\n')
        r->pos++;
    return 0;
}

/* Read the rest of an unquoted field (or the text after a closing quote): up to a delimiter,
 * a line end or the end of input. Returns END_* or -1. */
static int read_unquoted(csv_reader *r, size_t col, msk_err *err)
{
    for (;;) {
        if (r->pos == r->blen) {
            int k = more(r, err);
            if (k <= 0)
                return k < 0 ? -1 : END_EOF;
        }
        const char *s = r->blk + r->pos, *e = r->blk + r->blen, *q = s;
        while (q < e && !r->stop[(unsigned char)*q])
            q++;
        if (q > s && row_add(r, s, (size_t)(q - s), col, err))
            return -1;
        r->pos = (size_t)(q - r->blk);
        if (q == e)
            continue;
        r->pos++;
        switch (*q) {
        case '\n':
            r->line++;
            return END_LINE;
        case '\r':
            r->line++;
            return eat_lf(r, err) ? -1 : END_LINE;
        case '\0':
            return nul_error(r, col, err);
        default:
            return END_DELIM;
        }
    }
}

/* Read a quoted field; blk[pos] is its opening quote. Line ends inside are kept verbatim and
 * counted (CR LF once); "" is one quote. Returns END_* or -1. */
static int read_quoted(csv_reader *r, size_t col, msk_err *err)
{
    int64_t qline = r->line;
    r->pos++;
    for (;;) {
        if (r->pos == r->blen) {
            int k = more(r, err);
            if (k < 0)
                return -1;
            if (k == 0)
                return fail(r, err, qline, col, "незакрытая кавычка в поле, начатом в строке %lld",
                            (long long)qline);
        }
        const char *s = r->blk + r->pos, *e = r->blk + r->blen, *q = s;
        while (q < e && !r->qstop[(unsigned char)*q])
            q++;
        if (q > s && row_add(r, s, (size_t)(q - s), col, err))
            return -1;
        r->pos = (size_t)(q - r->blk);
        if (q == e)
            continue;
        r->pos++;
        char c = *q;
        if (c == '\0')
            return nul_error(r, col, err);
        if (c == '\r' || c == '\n') {
            /* an LF right after a CR of this field closes the same line */
            if (c == '\r' || r->rowlen == r->fstart || r->row[r->rowlen - 1] != '\r')
                r->line++;
            if (row_add(r, &c, 1, col, err))
                return -1;
            continue;
        }
        /* a quote: doubled, or the closing one */
        int k = more(r, err);
        if (k < 0)
            return -1;
        if (k == 0)
            return END_EOF;
        c = r->blk[r->pos];
        if (c == '"') {
            r->pos++;
            if (row_add(r, &c, 1, col, err))
                return -1;
            continue;
        }
        if (c == r->delim) {
            r->pos++;
            return END_DELIM;
        }
        if (c == '\n' || c == '\r') {
            r->pos++;
            r->line++;
            if (c == '\r' && eat_lf(r, err))
                return -1;
            return END_LINE;
        }
        /* `"ab"c`: not RFC 4180, but Excel keeps the text; so do we */
        return read_unquoted(r, col, err);
    }
}

/* Any byte >= 0x80 in s[0..n)? */
static int has_high(const char *s, size_t n)
{
    size_t i = 0;
    for (; n - i >= 8; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & UINT64_C(0x8080808080808080))
            return 1;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return 1;
    return 0;
}

/* Field number (1-based) and physical line of byte off of the current row of nf fields. */
static void place_of(const csv_reader *r, size_t nf, size_t off, size_t *col, int64_t *line)
{
    size_t i = 0;
    while (i + 1 < nf && r->offs[i + 1] <= off)
        i++;
    *col = i + 1;
    int64_t l = r->base.row;
    for (size_t j = 0; j < off; j++)
        if (r->row[j] == '\r' || (r->row[j] == '\n' && (j == 0 || r->row[j - 1] != '\r')))
            l++;
    *line = l;
}

/* Point base.cells at the nf fields of the row, validating or converting text with high bytes
 * according to the file's encoding (deciding it now if the first block was all ASCII). */
static int finish_row(csv_reader *r, size_t nf, msk_err *err)
{
    char **cells = r->base.cells;
    size_t bad = 0, col;
    int64_t line;
    if (!has_high(r->row, r->rowlen)) {
        for (size_t i = 0; i < nf; i++)
            cells[i] = r->row + r->offs[i];
        return 0;
    }
    if (r->enc == ENC_ASCII) {
        enc_kind k = enc_guess(r->row, r->rowlen, 1);
        if (k == ENC_UNKNOWN) {
            enc_utf8_valid(r->row, r->rowlen, &bad);
            place_of(r, nf, bad, &col, &line);
            return fail(r, err, line, col, "%s", ENC_ERR_UNKNOWN);
        }
        r->enc = k;
    }
    if (r->enc == ENC_CP1251) {
        msk_err e;
        msk_err_clear(&e);
        if (!r->conv_open) {
            if (enc_conv_init(&r->conv, &e))
                return fail(r, err, r->base.row, 0, "%s", e.msg);
            r->conv_open = 1;
        }
        msk_buf_reset(&r->utf8);
        if (enc_cp1251_to_utf8(&r->conv, r->row, r->rowlen, &r->utf8, &bad, &e)) {
            place_of(r, nf, bad, &col, &line);
            return fail(r, err, line, col, "%s", e.msg);
        }
        /* NUL maps to NUL, so the fields follow each other as in row */
        char *p = r->utf8.data;
        for (size_t i = 0; i < nf; i++) {
            cells[i] = p;
            p += strlen(p) + 1;
        }
        return 0;
    }
    if (!enc_utf8_valid(r->row, r->rowlen, &bad)) {
        place_of(r, nf, bad, &col, &line);
        return fail(
            r, err, line, col,
            "недопустимая последовательность байтов UTF-8: файл сохранён в смешанной кодировке?");
    }
    for (size_t i = 0; i < nf; i++)
        cells[i] = r->row + r->offs[i];
    return 0;
}

static int csv_next(tbl_reader *t, msk_err *err)
{
    csv_reader *r = (csv_reader *)t;
    if (r->failed) {
        if (err)
            *err = r->fail;
        return -1;
    }
    t->ncells = 0;
    int k = more(r, err);
    if (k <= 0)
        return k;
    t->row = r->line;
    r->rowlen = 0;
    char c = r->blk[r->pos];
    if (c == '\n' || c == '\r') { /* an empty line: a row without cells */
        r->pos++;
        r->line++;
        return c == '\r' && eat_lf(r, err) ? -1 : 1;
    }
    size_t nf = 0;
    for (;;) {
        if (nf == CSV_MAX_FIELDS)
            return fail(r, err, r->line, nf + 1, "в строке больше %d полей", CSV_MAX_FIELDS);
        if (nf == r->offcap) {
            r->offcap = r->offcap ? r->offcap * 2 : 64;
            r->offs = msk_reallocarray(r->offs, r->offcap, sizeof *r->offs);
            t->cells = msk_reallocarray(t->cells, r->offcap, sizeof *t->cells);
        }
        r->offs[nf] = r->fstart = r->rowlen;
        r->fline = r->line;
        k = more(r, err);
        if (k < 0)
            return -1;
        int end = k > 0 && r->blk[r->pos] == '"' ? read_quoted(r, nf + 1, err)
                                                 : read_unquoted(r, nf + 1, err);
        if (end < 0)
            return -1;
        row_reserve(r, 1);
        r->row[r->rowlen++] = '\0';
        nf++;
        if (end != END_DELIM)
            break;
    }
    if (finish_row(r, nf, err))
        return -1;
    t->ncells = nf;
    return 1;
}

static void csv_free(tbl_reader *t)
{
    csv_reader *r = (csv_reader *)t;
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    if (r->conv_open)
        enc_conv_release(&r->conv);
    msk_buf_release(&r->utf8);
    free(r->mem);
    free(r->blk);
    free(r->row);
    free(r->offs);
    free(t->cells);
    free(r);
}

char csv_delimiter(const tbl_reader *t)
{
    return ((const csv_reader *)t)->delim;
}

/* Count delimiter d outside quotes in each of the first CSV_SNIFF_LINES non-empty records of
 * s, parsing quotes exactly as the reader would with d. A record cut by the end of a sample
 * that is not the whole file is left out. Returns the number of counts stored. */
static size_t sniff_counts(const char *s, size_t n, int at_eof, char d, size_t *counts,
                           int64_t *lines)
{
    size_t nl = 0, cnt = 0, i = 0;
    int inq = 0, fstart = 1, used = 0;
    int64_t line = 1, start = 1;
    while (i < n && nl < CSV_SNIFF_LINES) {
        char c = s[i++];
        if (c == '\n' || (c == '\r' && !(i < n && s[i] == '\n')))
            line++;
        if (inq) {
            if (c == '"') {
                if (i < n && s[i] == '"')
                    i++;
                else
                    inq = 0;
            }
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (used)
                lines[nl] = start, counts[nl++] = cnt;
            if (c == '\r' && i < n && s[i] == '\n')
                i++, line++;
            cnt = 0, fstart = 1, used = 0;
            continue;
        }
        if (!used)
            start = line;
        used = 1;
        if (c == d) {
            cnt++, fstart = 1;
        } else {
            if (c == '"' && fstart)
                inq = 1;
            fstart = 0;
        }
    }
    if (i == n && at_eof && used && !inq && nl < CSV_SNIFF_LINES)
        lines[nl] = start, counts[nl++] = cnt;
    return nl;
}

/* The delimiter seen the same non-zero number of times on the most records wins; ties go to
 * ';' (Russian Excel), then tab (rare inside text), then ','. No delimiter at all: ';'. */
static char sniff_delim(const char *s, size_t n, int at_eof)
{
    static const char cand[] = {';', '\t', ','};
    char best = ';';
    size_t best_freq = 0;
    for (size_t c = 0; c < sizeof cand; c++) {
        size_t counts[CSV_SNIFF_LINES];
        int64_t lines[CSV_SNIFF_LINES];
        size_t nl = sniff_counts(s, n, at_eof, cand[c], counts, lines);
        size_t freq = 0; /* how many records share the most common non-zero count */
        for (size_t i = 0; i < nl; i++) {
            size_t f = 0;
            for (size_t j = 0; j < nl && counts[i]; j++)
                f += counts[j] == counts[i];
            if (f > freq)
                freq = f;
        }
        if (freq > best_freq) {
            best_freq = freq;
            best = cand[c];
        }
    }
    return best;
}

/* The most common non-zero count of counts[0..n), 0 when all are zero. */
static size_t common_count(const size_t *counts, size_t n)
{
    size_t best = 0, best_f = 0;
    for (size_t i = 0; i < n; i++) {
        size_t f = 0;
        for (size_t j = 0; j < n && counts[i]; j++)
            f += counts[j] == counts[i];
        if (f > best_f)
            best_f = f, best = counts[i];
    }
    return best;
}

/* A header saved with ';' over rows with ',' (or any such mix within the sniffed records)
 * splits into one cell per line and ends as "no header found" far from the cause. Mixed when
 * some record has none of the chosen delimiter d but about as many of another one as the
 * records split by d have of d: the same columns, another separator. A title line with a few
 * commas above a ';' table is not a mix. Returns -1 with err at that record's line. */
static int sniff_mixed(const char *file, const char *s, size_t n, int at_eof, char d, msk_err *err)
{
    static const char cand[] = {';', '\t', ','};
    size_t cd[CSV_SNIFF_LINES], co[CSV_SNIFF_LINES];
    int64_t ld[CSV_SNIFF_LINES], lo[CSV_SNIFF_LINES];
    size_t nd = sniff_counts(s, n, at_eof, d, cd, ld);
    size_t want = common_count(cd, nd);
    if (want < 2)
        return 0;
    int64_t d_line = 0;
    for (size_t i = 0; i < nd && !d_line; i++)
        if (cd[i] == want)
            d_line = ld[i];
    for (size_t c = 0; c < sizeof cand; c++) {
        if (cand[c] == d)
            continue;
        size_t no = sniff_counts(s, n, at_eof, cand[c], co, lo);
        for (size_t i = 0; i < no && i < nd; i++) {
            size_t diff = co[i] > want ? co[i] - want : want - co[i];
            if (cd[i] || co[i] < 2 || 4 * diff > want)
                continue;
            const char *dn = d == '\t' ? "табуляция" : d == ';' ? "«;»" : "«,»";
            const char *on = cand[c] == '\t' ? "табуляция" : cand[c] == ';' ? "«;»" : "«,»";
            return msk_error_at(err, file, lo[i], 0,
                                "в файле смешаны разделители: в этой строке столбцы разделяет "
                                "%s, а в строке %lld — %s; сохраните таблицу заново с одним "
                                "разделителем (в Excel — «CSV (разделители — точка с запятой)»)",
                                on, (long long)d_line, dn);
        }
    }
    return 0;
}

/* Copy name into the reader for messages, cutting at a UTF-8 character boundary. */
static void set_name(csv_reader *r, const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n >= sizeof r->base.file) {
        n = sizeof r->base.file - 1;
        while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80)
            n--;
    }
    if (n)
        memcpy(r->base.file, name, n);
    r->base.file[n] = '\0';
}

static csv_reader *reader_new(const char *name)
{
    csv_reader *r = msk_calloc(1, sizeof *r);
    r->base.next = csv_next;
    r->base.free = csv_free;
    r->fd = -1;
    r->chunk = CSV_BLOCK;
    r->blk = msk_malloc(CSV_BLOCK);
    r->line = 1;
    r->rowcap = 4096;
    r->row = msk_malloc(r->rowcap);
    r->conv.cd = (iconv_t)-1;
    msk_buf_init(&r->utf8, 0);
    set_name(r, name);
    return r;
}

/* Detect encoding and delimiter from the first CSV_BLOCK bytes and skip a BOM. */
static int reader_start(csv_reader *r, msk_err *err)
{
    const char *sample;
    size_t len, bom = 0;
    int at_eof;
    if (r->fd >= 0) {
        /* fill the whole first block: short reads (pipes) must not shrink the sample */
        while (r->blen < CSV_BLOCK) {
            ssize_t n = src_read(r, r->blk + r->blen, CSV_BLOCK - r->blen);
            if (n < 0)
                return msk_error_at(err, r->base.file, 0, 0, "ошибка чтения файла: %s",
                                    strerror(errno));
            if (n == 0) {
                r->eof = 1;
                break;
            }
            r->blen += (size_t)n;
        }
        sample = r->blk, len = r->blen, at_eof = r->eof;
    } else {
        /* memory: look at the data in place, so that the parser still gets it chunk by chunk */
        sample = r->mem, len = r->memlen < CSV_BLOCK ? r->memlen : CSV_BLOCK;
        at_eof = r->memlen <= CSV_BLOCK;
    }
    if (enc_detect(r->base.file, sample, len, at_eof, &r->enc, &bom, err))
        return -1;
    r->delim = sniff_delim(sample + bom, len - bom, at_eof);
    if (sniff_mixed(r->base.file, sample + bom, len - bom, at_eof, r->delim, err))
        return -1;
    if (r->fd >= 0)
        r->pos = bom;
    else
        r->mempos = bom;
    static const char ends[] = {'\r', '\n', '\0'};
    for (size_t i = 0; i < sizeof ends; i++)
        r->stop[(unsigned char)ends[i]] = r->qstop[(unsigned char)ends[i]] = 1;
    r->stop[(unsigned char)r->delim] = 1;
    r->qstop['"'] = 1;
    return 0;
}

int csv_open(const char *path, tbl_reader **out, msk_err *err)
{
    int rc = -1;
    csv_reader *r = reader_new(path);
    *out = NULL;
    r->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r->fd < 0) {
        msk_error_at(err, r->base.file, 0, 0, "не удалось открыть файл: %s", strerror(errno));
        goto out;
    }
    if (reader_start(r, err))
        goto out;
    *out = &r->base;
    r = NULL;
    rc = 0;
out:
    if (r)
        csv_free(&r->base);
    return rc;
}

int csv_open_mem_chunked(const char *name, const char *data, size_t len, size_t chunk,
                         tbl_reader **out, msk_err *err)
{
    int rc = -1;
    csv_reader *r = reader_new(name);
    *out = NULL;
    r->mem = msk_malloc(len);
    if (len)
        memcpy(r->mem, data, len);
    r->memlen = len;
    if (chunk)
        r->chunk = chunk;
    if (reader_start(r, err))
        goto out;
    *out = &r->base;
    r = NULL;
    rc = 0;
out:
    if (r)
        csv_free(&r->base);
    return rc;
}

int csv_open_mem(const char *name, const char *data, size_t len, tbl_reader **out, msk_err *err)
{
    return csv_open_mem_chunked(name, data, len, 0, out, err);
}
