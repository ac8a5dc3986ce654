/*
 * The department and its acts, named once (methods/municipality.ini): the title page of the
 * справка names the department and the place, and every citation on a page, in a form or in a
 * document quotes the act as the department approved it — «Положение о МСОКО (приказ
 * управления образования от 01.09.2023 № 123), п. 2.1» (issue 14 п. 5).
 *
 * Texts that cite an act (the `act` keys of the methodology files, a form's `source`, the справка's
 * own sentences) write {NAME} where the act's citation goes: «{program}, п. 2.1». muni_cite
 * replaces it. Without the file the defaults below are the acts the presets were written from,
 * worded as the pages showed them before the file existed.
 *
 * The settings are process-wide: main loads them once, before any thread starts (msoko serve
 * answers from many threads; they only read them afterwards).
 */
#ifndef MSK_MUNI_H
#define MSK_MUNI_H

#include "base/buf.h"
#include "base/err.h"

#include <stddef.h>

/* Parse the text of municipality.ini (name is the file's name for messages) and make it the
 * process's settings; acts it does not name keep their defaults. Returns 0, or -1 with err
 * naming the file, the section and the key (an unknown section or key, a date that is not
 * дд.мм.гггг, an empty title); the settings are then unchanged. */
int muni_load_text(const char *name, const char *text, msk_err *err);
/* Back to the defaults (tests). */
void muni_reset(void);

/* The department («Управление образования администрации …») and the place («г. Горячий Ключ»)
 * for title pages. */
const char *muni_department(void);
const char *muni_place(void);

/* Append text to out with each {NAME} of a known act replaced by its citation: the title, then
 * «(приказ от дд.мм.гггг № N)» when a date or a number is given. An unknown {NAME} is copied
 * as it is. text NULL appends nothing. */
void muni_cite(msk_buf *out, const char *text);
/* The same as a string that lives as long as the process (cached: a method's reasons cite
 * the act hundreds of times); text itself when it has no «{». NULL gives NULL. */
const char *muni_cite_str(const char *text);

#endif
