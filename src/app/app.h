/*
 * Use cases: one function per verb of the system — import (and its dry run), undo of an
 * import, analysis (and "analyse if the report needs it"), a roadmap item's status and
 * evidence, a monitoring form's fill/submit/return/approve and loading, user changes, a
 * re-check round. Each is one transaction: begin → the work (engine, ingest, form, store) →
 * ONE audit row naming the actor and the object's before/after images (JSON text) → commit;
 * on any error it rolls back and leaves the database as it was. The CLI (src/cli/) and the
 * web (src/web/) only parse, call one of these, and render, so the two cannot drift.
 * See docs/app.md.
 */
#ifndef MSK_APP_H
#define MSK_APP_H

#include "base/err.h"
#include "engine/engine.h"
#include "form/form.h"
#include "base/regkind.h"
#include "ingest/import.h"
#include "ingest/registry.h"
#include "store/recheck.h"
#include "store/store.h"
#include "view/view.h"

#include <stddef.h>
#include <stdint.h>

/* ---- who acts ---- */
typedef struct app_actor {
    char login[64];  /* never empty */
    char role[16];   /* "admin", "analyst", "school" */
    char school[64]; /* the operator's school code; "" for other roles */
} app_actor;

/* Fill a from login, role and school (NULL = ""). An empty login is a bug (asserted). */
void app_actor_set(app_actor *a, const char *login, const char *role, const char *school);
/* The actor of a command on this machine: login = user (--user) when given, else $USER, else
 * "cli-UID" (never empty). A --user that is an account of the database acts with its role and
 * school; otherwise the operator of the machine acts as admin. */
void app_actor_cli(store *s, const char *user, app_actor *a);
/* The actor as the form workflow wants it (school id resolved); points into a. */
void app_form_actor(store *s, const app_actor *a, form_actor *out);

/* ---- import ---- */
/* Called after each file with its report; rc as import_file's (0 ok, 1 errors in the file). */
typedef void (*app_import_fn)(void *ctx, const char *path, int rc, const import_report *rep);

typedef struct app_import_req {
    const char *const *paths; /* files to read */
    const char *const *names; /* names people know them by (the batch records these); NULL =
                                 the paths as given */
    size_t n;
    const import_opts *opts; /* opts->user is ignored: the actor's login is recorded */
    int dry;                 /* check only: roll back at the end, no audit row */
    app_import_fn on_file;
    void *ctx;
} app_import_req;

/* Import every file of req in one transaction. Returns 0 (committed, or checked when dry),
 * 1 when a file had errors (nothing written; the reports say which rows), -1 when a file
 * could not be read or the store failed (err). *batch (may be NULL) gets the last batch id.
 * The audit row: action "import", object the file names, before the rows the import replaced
 * ({"table": [rows]}, NULL when none), after {"batches": [batch images]}. */
int app_import(store *s, const app_actor *a, const app_import_req *req, int64_t *batch,
               msk_err *err);

/* Undo an import batch: its rows removed, the batch marked undone; -1 with err when there is
 * no such batch or it was undone already. *removed (may be NULL) counts the rows. */
int app_undo(store *s, const app_actor *a, int64_t batch_id, int64_t *removed, msk_err *err);

/* ---- moving a file into another store (docs/migrate.md) ---- */
struct store_move_report;
/* Move every row of src (opened STORE_READ) that dst lacks into dst, in one transaction of
 * dst: init's reference data first when dst has none, then the rows (store_move), then the
 * audit row "migrate" (none when nothing moved), object «перенос базы FILE: школы N, …»,
 * after {"summary", "source_id", "moved": {table: rows}, "rows_moved", "rows_present"}. Returns 0
 * with rep filled (release it with store_move_report_release), or -1 with err and dst unchanged. */
int app_migrate(store *src, store *dst, const app_actor *a, struct store_move_report *rep,
                msk_err *err);

/* ---- analysis ---- */
/* Compute and store the analysis of year. *doc (may be NULL) gets engine_doc's object; timing
 * may be NULL. Audit: "analyze", object the year, before/after the year's latest run. */
int app_analyze(store *s, const app_actor *a, int year, const char *const *methods, size_t nmethods,
                json_t **doc, engine_timing *timing, msk_err *err);
/* The report needs the year's findings: run the analysis only when none is stored. *ran is
 * set to 1 when it ran. */
int app_analyze_if_needed(store *s, const app_actor *a, int year, int *ran, msk_err *err);

/* ---- the roadmap ---- */
/* Status (and note, when not NULL) of a plan item; the due dates are refreshed. 1 when there
 * is no such item. */
int app_plan_status(store *s, const app_actor *a, int64_t item, const char *status,
                    const char *note, msk_err *err);
/* Attach an evidence file to a plan item; *file_id (may be NULL) gets its id. 1 when there is
 * no such item. */
int app_plan_attach(store *s, const app_actor *a, int64_t item, const char *name,
                    const unsigned char *data, size_t size, int64_t *file_id, msk_err *err);

/* Compute the due dates still unknown (generated items, items waiting for a procedure's date
 * that has come). Audited ("plan.refresh") only when an item changed; *updated (may be NULL)
 * counts them. `msoko plan list` runs it; a web page view never does. */
int app_plan_refresh(store *s, const app_actor *a, int64_t *updated, msk_err *err);

/* ---- monitoring forms (form/form.h has the rules; these add the transaction and audit) ---- */
int app_form_fill(store *s, const app_actor *a, const char *form, const char *school,
                  const char *period, const char *const *pairs, size_t npairs, form_msgs *msgs,
                  msk_err *err);
int app_form_submit(store *s, const app_actor *a, const char *form, const char *school,
                    const char *period, form_msgs *msgs, msk_err *err);
int app_form_return(store *s, const app_actor *a, const char *form, const char *school,
                    const char *period, const char *comment, msk_err *err);
int app_form_approve(store *s, const app_actor *a, const char *form, const char *school,
                     const char *period, form_msgs *msgs, msk_err *err);
/* Load form definitions (INI files) in one transaction. on_form (may be NULL) is called with
 * each loaded form. */
int app_form_load(store *s, const app_actor *a, const char *const *paths, size_t n,
                  void (*on_form)(void *ctx, const char *path, const store_form *f), void *ctx,
                  msk_err *err);
/* The same for one form description already in memory (the web's upload): name is the file's
 * name as people know it (messages say «name:LINE: …»; the audit row records it as the CLI
 * records a path given from the file's folder). */
int app_form_load_text(store *s, const app_actor *a, const char *name, const char *text,
                       void (*on_form)(void *ctx, const char *path, const store_form *f), void *ctx,
                       msk_err *err);
/* Who fills form code (schools "" every school, or "shnor", "risk", "objectivity": the schools
 * of that list in the latest analysis of the period's year) and its deadline (due_days after
 * the period ends, 0–366). Audit "form.assign", object the code, before/after {"schools",
 * "due_days"}. 1 when there is no such form, -1 for bad input. */
int app_form_assign(store *s, const app_actor *a, const char *code, const char *schools,
                    int due_days, msk_err *err);

enum { APP_NOT_FOUND = 1, APP_FORBIDDEN = 2 };

/* ---- users (pass_hash: crypto_pwhash_str output) ---- */
/* temporary: the password is one an admin was shown (web/admin.c): the user must set their own
 * at the next sign-in (user.must_change). The audit images are the same either way. */
int app_user_add(store *s, const app_actor *a, const char *login, const char *pass_hash,
                 const char *role, const char *school, int temporary, msk_err *err);
/* The password (temporary as above; 0 when the user sets their own, which ends the
 * obligation), ending every session of the user. 1 when there is no such user. */
int app_user_passwd(store *s, const app_actor *a, const char *login, const char *pass_hash,
                    int temporary, msk_err *err);
/* Role and school, ending every session of the user. 1 when there is no such user; -1 when the
 * last admin who can sign in would stop being one. */
int app_user_role(store *s, const app_actor *a, const char *login, const char *role,
                  const char *school, msk_err *err);
/* app_user_add and app_user_role with the scope (issue 17 item 2): role may be "regional"
 * (every municipality, compared), and an "analyst" gets municipality (a code or a name; NULL
 * or "": every municipality) — a municipality with another role, or an unknown one, is an
 * error and nothing changes. The role change sets the municipality anew (none when NULL). */
int app_user_add_in(store *s, const app_actor *a, const char *login, const char *pass_hash,
                    const char *role, const char *school, const char *municipality, int temporary,
                    msk_err *err);
int app_user_role_in(store *s, const app_actor *a, const char *login, const char *role,
                     const char *school, const char *municipality, msk_err *err);

/* The first run (issue 14 п. 10): the first account of an empty database, an admin, made by
 * whoever opened the web first. Counted and added in one transaction, so it succeeds only while
 * the database has no user at all: APP_FORBIDDEN (err says so) once any exists. Audit
 * "user.setup", object the login, actor the new admin, after its image with "address" (addr,
 * the browser's address). -1 for a bad login or a store error. */
int app_user_setup(store *s, const char *login, const char *pass_hash, const char *addr,
                   msk_err *err);
/* Disable (1) or enable (0) an account; disabling ends its sessions. Audit "user.disable" /
 * "user.enable", before/after images. 1 when there is no such user; -1 when the actor would
 * disable themselves or the last admin who can sign in. */
int app_user_disable(store *s, const app_actor *a, const char *login, int disabled, msk_err *err);
/* Remove an account and its sessions. Audit "user.delete", before the image, after NULL. 1
 * when there is no such user; -1 for the actor's own account or the last admin. */
int app_user_delete(store *s, const app_actor *a, const char *login, msk_err *err);

/* End every session of the actor's own account (the web's «log out on all devices"): one
 * row "session.end_all", object the login, before the user's image (no hash), after
 * {"sessions": "ended"}. 1 when the actor is no account of the database. */
int app_sessions_end_all(store *s, const app_actor *a, msk_err *err);
/* A lockout a failed sign-in caused (src/web/limit.c decides; the web calls this at most once
 * each 10 s): one row "login.lockout", object the login tried, after {"address": addr,
 * "closed": what people read, "others": 1 when lockouts went unaudited before it}. Nobody is
 * signed in: the actor is the address (login «адрес ADDR», no role, no school). */
int app_login_lockout(store *s, const char *login, const char *addr, const char *what, int others,
                      msk_err *err);

/* ---- backups ---- */
/* The admin downloaded a backup already taken (its schema version and size): one row
 * "backup.download", object "database", after {"schema": n, "bytes": n}. Audited after the
 * snapshot, so the copy does not hold its own row. */
int app_backup_download(store *s, const app_actor *a, int schema, int64_t bytes, msk_err *err);

/* ---- the school's answer to a flag (src/app/answer.c, store/answer.h) ---- */
typedef struct app_answer_file {
    const char *name; /* as the person knows it (no folder) */
    const unsigned char *data;
    size_t size;
} app_answer_file;
/* A school operator's answer to the flag «school × list × year» (text and up to
 * STORE_ANSWER_FILES files): only the operator of that school (admin too, for the CLI), only
 * for a flag of the year's latest analysis, only when there is no answer yet or the latest was
 * rejected. Audit "answer.add", object "flag:SCHOOL:LIST:YEAR", before the latest answer (NULL
 * when none), after the new one. APP_FORBIDDEN (err says why) for another school or role,
 * APP_NOT_FOUND when the school is not on that list, -1 for bad input. */
int app_answer_add(store *s, const app_actor *a, const char *school, const char *list, int year,
                   const char *text, const app_answer_file *files, size_t nfiles, int64_t *id,
                   msk_err *err);
/* The analyst's (or admin's) decision on a submitted answer: accepted («пояснение принято»,
 * the flag stays) or rejected with a comment (required). Audit "answer.accept" /
 * "answer.reject", object as above, before/after the answer. */
int app_answer_accept(store *s, const app_actor *a, int64_t id, const char *comment, msk_err *err);
int app_answer_reject(store *s, const app_actor *a, int64_t id, const char *comment, msk_err *err);

/* ---- the school's page (src/app/school.c; reads only) ---- */
/* view_school of code, plus for the school's operator and the analyst "forms" (view_school_forms
 * for the view's year, as of today) and "recommendations" (methods/recommendations.ini matched
 * as in the school's справка: [{"rule", "school", "finding", "text", "reason", "act"}]); for
 * anyone else "forms" is null and "recommendations" []. Returns view_school's codes (0,
 * VIEW_NOT_FOUND, VIEW_FORBIDDEN) or -1 (the rules file unreadable, the store). */
int app_school_page(store *s, const view_year *v, const view_ctx *c, const char *code,
                    const char *today, json_t **out, msk_err *err);

/* A direction's page as both doors show it (the web's /directions/КОД, `msoko show directions
 * КОД`): view_direction (view/direction.h) and, for those who see schools (the analyst; an
 * operator its own), the addressed recommendations of methods/recommendations.ini for every
 * school outside a target (rec_direction_page). Reads only. Returns view_direction's codes or
 * -1 (the rules file unreadable, the store). */
int app_direction_page(store *s, const view_year *v, const view_ctx *c, const char *code,
                       json_t **out, msk_err *err);

/* ---- re-check rounds ---- */
int app_recheck_sample(store *s, const app_actor *a, const store_recheck_opts *o,
                       store_recheck_sample *out, msk_err *err);
int app_recheck_import(store *s, const app_actor *a, int64_t round_id, const char *path,
                       size_t *loaded, size_t *works, msk_err *err);

/* A file's name as it is stored and later sent in Content-Disposition: the part after the last
 * folder separator, control characters and quotes as «_», at most 100 bytes cut on a whole
 * UTF-8 character; «файл» when nothing is left. The one rule of the answer's and the roadmap's
 * files. */
void app_file_name(const char *in, char *out, size_t outsz);

/* ---- management decisions (src/app/decision.c, issue 15 item 4) ---- */

typedef struct app_decision {
    int year;         /* the analysis year whose findings it answers */
    const char *kind; /* order, letter, protocol, other (or «приказ», «письмо» …) */
    const char *number;         /* «45-о»; may be empty */
    const char *taken_on;       /* «12.09.2023» or 2023-09-12 */
    const char *text;           /* what was decided */
    const char *list;           /* shnor, risk, objectivity, rating or "" */
    const char *responsible;    /* may be empty */
    const char *due_on;         /* «31.05.2024», 2024-05-31 or "" */
    const char *const *schools; /* the schools it names (codes) */
    size_t nschools;
    const char *direction; /* the direction it answers: a code (shnor) or its Russian name;
                              NULL or "" = the list's own (shnor, objectivity) or none */
} app_decision;

/* Record a management decision. Every field is checked (kind, dates, text, list, direction,
 * schools) and named in Russian when wrong (-1; nothing written). Audit "decision.add", object
 * "decision:ID", after the decision. */
int app_decision_add(store *s, const app_actor *a, const app_decision *d, int64_t *id,
                     msk_err *err);
/* Attach a file (the order's scan) to a decision; 1 when there is no such decision. Audit
 * "decision.attach". */
int app_decision_attach(store *s, const app_actor *a, int64_t id, const char *name,
                        const unsigned char *data, size_t size, int64_t *file_id, msk_err *err);

/* ---- registries (src/app/registry.c, issue 15 items 2–3) ---- */

/* The i-th registry kind's code (teacher, teacher_course, expert, gifted, reserve, practice),
 * NULL past the end. */
const char *app_registry_kind_code(size_t i);
/* Parse methods/registries/CODE.ini (found as the presets are, MSOKO_METHODS). */
int app_registry_kind(const char *code, rk_kind **out, msk_err *err);
/* Load a registry file (ingest/registry.h): 0 loaded, 1 file errors (rep; nothing written), -1
 * err. A school operator loads only their school's rows. dry: check, roll back. Audit
 * "registry.import", object "registry:KIND". */
int app_registry_import(store *s, const app_actor *a, const rk_kind *k, const char *path,
                        const char *name, int year, int dry, reg_import_report *rep, msk_err *err);
/* seed 001 п. 4.8: the winners and prizers of the municipal and higher stages of year become
 * unconfirmed rows of gifted (rows already there are kept: idempotent). Analysts and admins.
 * Audit "registry.fill_gifted". */
int app_registry_fill_gifted(store *s, const app_actor *a, int year, int64_t *added, int64_t *seen,
                             msk_err *err);
/* Set confirmed = value on the rows of kind with code (year 0 = every year). Analysts and admins.
 * Audit "registry.confirm" with the rows before and after. */
int app_registry_confirm(store *s, const app_actor *a, const char *kind, const char *code, int year,
                         int value, int64_t *changed, msk_err *err);
/* Add (id 0) or edit one row from the page's form (vals as reg_row_parse). 1 when the values are
 * wrong (rep), -1 err. Audit "registry.add" / "registry.edit". */
int app_registry_save(store *s, const app_actor *a, const rk_kind *k, int64_t id,
                      const char *const *vals, int year, int64_t *out_id, reg_import_report *rep,
                      msk_err *err);
/* Delete one row. Audit "registry.delete". */
int app_registry_delete(store *s, const app_actor *a, const char *kind, int64_t id, msk_err *err);

#endif
