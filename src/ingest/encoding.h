/*
 * Text encodings of imported files. Schools send CSV saved by Excel either as UTF-8 (with or
 * without a BOM) or as Windows-1251 (CP1251, "CSV (разделители — точка с запятой)" on a Russian
 * Windows); everything past ingest/ sees UTF-8 only. This module tells the two apart from a
 * byte sample (valid UTF-8 wins), converts CP1251 to UTF-8 with glibc iconv a chunk at a time,
 * validates UTF-8 strictly and refuses anything else (UTF-16, binary) with a Russian message.
 */
#ifndef MSK_ENCODING_H
#define MSK_ENCODING_H

#include "base/buf.h"
#include "base/err.h"

#include <iconv.h>
#include <stddef.h>

typedef enum enc_kind {
    ENC_UNKNOWN = 0, /* neither UTF-8 nor plausible CP1251: an error for the caller */
    ENC_ASCII,       /* only bytes < 0x80 so far: UTF-8 and CP1251 read the same */
    ENC_UTF8,        /* valid UTF-8 with at least one multi-byte character (or a few stray bytes
                        among many valid ones: reported by the reader with their place) */
    ENC_CP1251       /* not UTF-8, and high bytes look like Cyrillic CP1251 text */
} enc_kind;

/* The message for data that is neither UTF-8 nor CP1251 (tests compare against it). */
#define ENC_ERR_UNKNOWN                                                                            \
    "не удалось определить кодировку файла: ожидается UTF-8 или Windows-1251 (CP1251)"

/* Length of the UTF-8 byte order mark EF BB BF. */
enum { ENC_BOM_LEN = 3 };

/*
 * Detect the encoding of the first bytes of a file. at_eof is non-zero when the sample is the
 * whole file; otherwise an incomplete UTF-8 sequence cut at the end of the sample is allowed.
 * On success returns 0 and sets *kind (never ENC_UNKNOWN) and *bom_len (ENC_BOM_LEN when the
 * sample starts with a UTF-8 BOM, which the caller should skip; 0 otherwise). A UTF-16/UTF-32
 * BOM, a sample where a quarter or more of the bytes are NUL (UTF-16 without BOM, binary) or
 * a sixteenth are, nine in ten of them at one parity (Russian UTF-16 without BOM), or
 * bytes that are neither valid UTF-8 nor plausible CP1251 give -1 with ENC_ERR_UNKNOWN in err,
 * its place set to file (may be NULL). An empty sample is ENC_ASCII.
 */
int enc_detect(const char *file, const char *sample, size_t len, int at_eof, enc_kind *kind,
               size_t *bom_len, msk_err *err);

/*
 * Classify bytes without the BOM and NUL checks of enc_detect (NUL bytes count as ASCII):
 * ENC_ASCII, ENC_UTF8, ENC_CP1251 or ENC_UNKNOWN. at_eof as for enc_detect. Used to decide late
 * when the first block of a file was all ASCII. No errors, no allocation.
 */
enc_kind enc_guess(const char *s, size_t len, int at_eof);

/*
 * Non-zero when s[0..len) is valid UTF-8: no overlong forms, no surrogates, nothing above
 * U+10FFFF, no truncated sequence. NUL bytes are valid (callers that forbid them check
 * separately). When invalid and bad is not NULL, *bad is the offset of the first byte of the
 * first invalid sequence.
 */
int enc_utf8_valid(const char *s, size_t len, size_t *bad);

/* A CP1251 → UTF-8 converter; one per reader (iconv descriptors are not thread-safe). */
typedef struct enc_conv {
    iconv_t cd; /* (iconv_t)-1 when not open */
} enc_conv;

/* Open the converter. Returns 0, or -1 with a Russian message if iconv lacks CP1251. Release
 * with enc_conv_release even after failure. */
int enc_conv_init(enc_conv *c, msk_err *err);
/* Close the converter; safe on a converter whose init failed and to call twice. */
void enc_conv_release(enc_conv *c);

/*
 * Append the UTF-8 form of len CP1251 bytes to out. CP1251 is single-byte, so a stream can be
 * cut into chunks anywhere. Returns 0, or -1 when a byte has no character in CP1251 (only
 * 0x98) — *bad (if not NULL) is its offset in `in`, err holds a Russian message without a
 * place, and out holds the conversion of the bytes before it — or when out refuses to grow past
 * its cap. out stays NUL-terminated.
 */
int enc_cp1251_to_utf8(enc_conv *c, const char *in, size_t len, msk_buf *out, size_t *bad,
                       msk_err *err);

#endif
