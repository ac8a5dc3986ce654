/*
 * The schema as an ordered list of migrations. Migration i (1-based) moves a database from
 * PRAGMA user_version i-1 to i. Never edit a migration that has shipped: add a new one, so a
 * database made by an older build opens and upgrades in place (DESIGN.md "Data model").
 */
#include "store/schema.h"

#include <stddef.h>

/* 1: the core model of DESIGN.md. Pupils are codes, never names (152-ФЗ; seed 001 §2.1). */
static const char MIGRATION_1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);\n"
    "CREATE TABLE proc_kind(code TEXT PRIMARY KEY, name TEXT NOT NULL, "
    "  result_type TEXT NOT NULL CHECK(result_type IN ('mark','test_score','pass','place')),"
    "  ord INTEGER NOT NULL);\n"
    "CREATE TABLE subject(code TEXT PRIMARY KEY, name TEXT NOT NULL, ord INTEGER NOT NULL);\n"
    "CREATE TABLE school(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
    "  type TEXT NOT NULL CHECK(type IN ('gymnasium','lyceum','sosh','oosh','nosh','special')),"
    "  locality TEXT NOT NULL CHECK(locality IN ('urban','rural')),"
    "  levels TEXT NOT NULL DEFAULT '', batch_id INTEGER);\n"
    /* year 0 = the default scale for any year without its own (METHODS.md §3) */
    "CREATE TABLE scale(id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
    "  kind TEXT NOT NULL REFERENCES proc_kind(code), subject TEXT NOT NULL REFERENCES "
    "subject(code),"
    "  grade INTEGER NOT NULL, max_primary REAL NOT NULL,"
    "  mark3 REAL, mark4 REAL, mark5 REAL, min_test INTEGER, source TEXT NOT NULL DEFAULT '',"
    "  UNIQUE(year, kind, subject, grade));\n"
    /* ЕГЭ primary → test score tables are published yearly: imported, never computed */
    "CREATE TABLE scale_point(scale_id INTEGER NOT NULL REFERENCES scale(id) ON DELETE CASCADE,"
    "  primary_score INTEGER NOT NULL, test_score INTEGER NOT NULL,"
    "  PRIMARY KEY(scale_id, primary_score)) WITHOUT ROWID;\n"
    "CREATE TABLE procedure(id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
    "  kind TEXT NOT NULL REFERENCES proc_kind(code), subject TEXT NOT NULL REFERENCES "
    "subject(code),"
    "  grade INTEGER NOT NULL, held_on TEXT, UNIQUE(year, kind, subject, grade));\n"
    "CREATE TABLE procedure_task(procedure_id INTEGER NOT NULL REFERENCES procedure(id) ON DELETE "
    "CASCADE,"
    "  idx INTEGER NOT NULL, label TEXT NOT NULL, max_score INTEGER,"
    "  PRIMARY KEY(procedure_id, idx)) WITHOUT ROWID;\n"
    "CREATE TABLE import_batch(id INTEGER PRIMARY KEY, file_name TEXT NOT NULL, sha256 TEXT NOT "
    "NULL,"
    "  kind TEXT NOT NULL, scope TEXT NOT NULL DEFAULT '', rows_read INTEGER NOT NULL DEFAULT 0,"
    "  rows_loaded INTEGER NOT NULL DEFAULT 0, rows_replaced INTEGER NOT NULL DEFAULT 0,"
    "  warnings INTEGER NOT NULL DEFAULT 0, user TEXT NOT NULL DEFAULT '',"
    "  created_at TEXT NOT NULL, undone_at TEXT);\n"
    /* tasks: one byte per task in procedure_task order, 255 = not attempted ("X") */
    "CREATE TABLE result(id INTEGER PRIMARY KEY,"
    "  procedure_id INTEGER NOT NULL REFERENCES procedure(id),"
    "  school_id INTEGER NOT NULL REFERENCES school(id), class TEXT NOT NULL DEFAULT '',"
    "  pupil_code TEXT NOT NULL, variant INTEGER, primary_score REAL, mark INTEGER,"
    "  test_score INTEGER, journal_mark INTEGER, retake INTEGER NOT NULL DEFAULT 0,"
    "  past_graduate INTEGER NOT NULL DEFAULT 0, ovz INTEGER NOT NULL DEFAULT 0,"
    "  absent INTEGER NOT NULL DEFAULT 0, tasks BLOB,"
    "  batch_id INTEGER REFERENCES import_batch(id),"
    "  UNIQUE(procedure_id, school_id, pupil_code, retake));\n"
    "CREATE INDEX result_batch ON result(batch_id);\n"
    "CREATE TABLE result_aggregate(procedure_id INTEGER NOT NULL REFERENCES procedure(id),"
    "  school_id INTEGER NOT NULL REFERENCES school(id), participants INTEGER NOT NULL,"
    "  mark2 INTEGER, mark3 INTEGER, mark4 INTEGER, mark5 INTEGER, below_min INTEGER,"
    "  batch_id INTEGER REFERENCES import_batch(id), PRIMARY KEY(procedure_id, school_id));\n"
    "CREATE TABLE data_element(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  value_type TEXT NOT NULL CHECK(value_type IN ('number','count','share','bool','text')),"
    "  unit TEXT NOT NULL DEFAULT '', min_value REAL, max_value REAL, ord INTEGER NOT NULL DEFAULT "
    "0);\n"
    /* period: '2024' for a school year 2023/2024, '2024-09' for a month */
    "CREATE TABLE data_value(element TEXT NOT NULL REFERENCES data_element(code),"
    "  school_id INTEGER NOT NULL REFERENCES school(id), period TEXT NOT NULL,"
    "  value REAL, text_value TEXT, status TEXT NOT NULL DEFAULT 'approved'"
    "  CHECK(status IN ('draft','submitted','returned','approved')),"
    "  batch_id INTEGER REFERENCES import_batch(id), updated_at TEXT, updated_by TEXT,"
    "  PRIMARY KEY(element, school_id, period));\n"
    "CREATE TABLE olympiad_result(id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
    "  stage TEXT NOT NULL CHECK(stage IN ('school','municipal','regional','final')),"
    "  subject TEXT NOT NULL REFERENCES subject(code), grade INTEGER NOT NULL,"
    "  school_id INTEGER NOT NULL REFERENCES school(id), pupil_code TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK(status IN ('winner','prizewinner','participant')), score REAL,"
    "  batch_id INTEGER REFERENCES import_batch(id),"
    "  UNIQUE(year, stage, subject, school_id, pupil_code));\n"
    "CREATE TABLE olympiad_team(year INTEGER NOT NULL, stage TEXT NOT NULL,"
    "  school_id INTEGER NOT NULL REFERENCES school(id), team_place INTEGER NOT NULL,"
    "  batch_id INTEGER REFERENCES import_batch(id), PRIMARY KEY(year, stage, school_id));\n"
    "CREATE TABLE graduate_outcome(id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
    "  grade INTEGER NOT NULL CHECK(grade IN (9, 11)),"
    "  school_id INTEGER NOT NULL REFERENCES school(id), pupil_code TEXT NOT NULL,"
    "  attestat INTEGER NOT NULL, medal INTEGER NOT NULL DEFAULT 0,"
    "  destination TEXT CHECK(destination IN ('grade10','spo','vo','work','none')),"
    "  batch_id INTEGER REFERENCES import_batch(id), UNIQUE(year, grade, school_id, pupil_code));\n"
    "CREATE TABLE plan_item(id INTEGER PRIMARY KEY, roadmap TEXT NOT NULL DEFAULT '',"
    "  year INTEGER, section TEXT NOT NULL DEFAULT '', number TEXT NOT NULL DEFAULT '',"
    "  text TEXT NOT NULL, deadline TEXT NOT NULL DEFAULT '', due_on TEXT,"
    "  responsible TEXT NOT NULL DEFAULT '', result TEXT NOT NULL DEFAULT '',"
    "  status TEXT NOT NULL DEFAULT 'planned'"
    "  CHECK(status IN ('planned','in_progress','done','overdue','cancelled')),"
    "  school_id INTEGER REFERENCES school(id), finding_id INTEGER,"
    "  batch_id INTEGER REFERENCES import_batch(id));\n"
    "CREATE TABLE analysis_run(id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
    "  methods_hash TEXT NOT NULL, created_at TEXT NOT NULL, user TEXT NOT NULL DEFAULT '');\n"
    "CREATE TABLE finding(id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES analysis_run(id) ON DELETE CASCADE,"
    "  method TEXT NOT NULL, school_id INTEGER REFERENCES school(id), year INTEGER NOT NULL,"
    "  verdict TEXT NOT NULL, evidence TEXT NOT NULL DEFAULT '{}');\n"
    "CREATE INDEX finding_school ON finding(school_id, year);\n"
    "CREATE TABLE user(id INTEGER PRIMARY KEY, login TEXT NOT NULL UNIQUE,"
    "  pass_hash TEXT NOT NULL, role TEXT NOT NULL"
    "  CHECK(role IN ('admin','analyst','school')), school_id INTEGER REFERENCES school(id),"
    "  created_at TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);\n"
    "CREATE TABLE session(token_hash TEXT PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,"
    "  csrf TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);\n"
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at TEXT NOT NULL, user TEXT NOT NULL,"
    "  action TEXT NOT NULL, object TEXT NOT NULL DEFAULT '', before TEXT, after TEXT);\n";

/* 2: ground truth of a generated municipality, so tests can score the detectors against it. */
static const char MIGRATION_2[] =
    "CREATE TABLE demo_truth(school_id INTEGER NOT NULL REFERENCES school(id),"
    "  what TEXT NOT NULL CHECK(what IN ('low_results','inflated','risk','weak_medalists')),"
    "  since_year INTEGER NOT NULL, detail TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY(school_id, what));\n";

/* 3: re-check rounds (перепроверка, METHODS.md §2; seeds 003, 004): the sample of works drawn
 * for independent experts and their scores; expert_tasks as result.tasks (255 = not attempted). */
static const char MIGRATION_3[] =
    "CREATE TABLE recheck_round(id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
    "  procedure_id INTEGER NOT NULL REFERENCES procedure(id), created_at TEXT NOT NULL,"
    "  seed INTEGER NOT NULL, per_school INTEGER NOT NULL);\n"
    "CREATE TABLE recheck_work(round_id INTEGER NOT NULL REFERENCES recheck_round(id)"
    "  ON DELETE CASCADE, result_id INTEGER NOT NULL REFERENCES result(id) ON DELETE CASCADE,"
    "  school_id INTEGER NOT NULL REFERENCES school(id), control INTEGER NOT NULL DEFAULT 0,"
    "  expert_tasks BLOB, expert_primary REAL, expert_mark INTEGER,"
    "  PRIMARY KEY(round_id, result_id)) WITHOUT ROWID;\n";

/* 4: the roadmap's due dates, statuses and evidence, and monitoring forms as data (DHIS2 data
 * sets): a form is a set of data elements with validation rules and a period type; a school's
 * submission per (form, period) moves draft → submitted → returned → approved; only approved
 * values are copied into data_value, which the methods read (docs/forms.md, docs/roadmap.md). */
static const char MIGRATION_4[] =
    /* due_kind: 'date' (due_on set), 'none' («без срока», due_why says why), 'event' (due_days
     * after an assessment procedure whose date is not yet known); '' = not computed yet */
    "ALTER TABLE plan_item ADD COLUMN due_kind TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE plan_item ADD COLUMN due_why TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE plan_item ADD COLUMN due_days INTEGER;\n"
    "ALTER TABLE plan_item ADD COLUMN note TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE plan_item ADD COLUMN updated_at TEXT;\n"
    "ALTER TABLE plan_item ADD COLUMN updated_by TEXT;\n"
    "CREATE INDEX plan_item_year ON plan_item(year, due_on);\n"
    "CREATE TABLE plan_file(id INTEGER PRIMARY KEY,"
    "  plan_item_id INTEGER NOT NULL REFERENCES plan_item(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, data BLOB NOT NULL,"
    "  added_at TEXT NOT NULL, added_by TEXT NOT NULL DEFAULT '');\n"
    "CREATE INDEX plan_file_item ON plan_file(plan_item_id);\n"
    "CREATE TABLE form(code TEXT PRIMARY KEY, name TEXT NOT NULL,"
    "  period_type TEXT NOT NULL CHECK(period_type IN ('month','half_year','year')),"
    "  source TEXT NOT NULL DEFAULT '', due_days INTEGER NOT NULL DEFAULT 10,"
    "  sha256 TEXT NOT NULL DEFAULT '', loaded_at TEXT NOT NULL);\n"
    "CREATE TABLE form_element(form TEXT NOT NULL REFERENCES form(code) ON DELETE CASCADE,"
    "  element TEXT NOT NULL REFERENCES data_element(code), ord INTEGER NOT NULL,"
    "  required INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(form, element)) WITHOUT ROWID;\n"
    "CREATE TABLE form_rule(form TEXT NOT NULL REFERENCES form(code) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL, expr TEXT NOT NULL, message TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY(form, ord)) WITHOUT ROWID;\n"
    /* an indicator of the form's tables: sum of num, or sum(num) / sum(den) when den is set */
    "CREATE TABLE form_indicator(form TEXT NOT NULL REFERENCES form(code) ON DELETE CASCADE,"
    "  ord INTEGER NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL, num TEXT NOT NULL,"
    "  den TEXT NOT NULL DEFAULT '', PRIMARY KEY(form, ord)) WITHOUT ROWID;\n"
    "CREATE TABLE submission(id INTEGER PRIMARY KEY, form TEXT NOT NULL REFERENCES form(code),"
    "  school_id INTEGER NOT NULL REFERENCES school(id), period TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'draft'"
    "  CHECK(status IN ('draft','submitted','returned','approved')),"
    "  comment TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    "  updated_by TEXT NOT NULL DEFAULT '', submitted_at TEXT, approved_at TEXT, approved_by TEXT,"
    "  UNIQUE(form, school_id, period));\n"
    "CREATE TABLE submission_value(submission_id INTEGER NOT NULL"
    "  REFERENCES submission(id) ON DELETE CASCADE,"
    "  element TEXT NOT NULL REFERENCES data_element(code), value REAL, text_value TEXT,"
    "  PRIMARY KEY(submission_id, element)) WITHOUT ROWID;\n"
    /* every change of a value: who, when, before and after (NULL = no value) */
    "CREATE TABLE value_history(id INTEGER PRIMARY KEY, element TEXT NOT NULL,"
    "  school_id INTEGER NOT NULL, period TEXT NOT NULL, submission_id INTEGER,"
    "  stage TEXT NOT NULL CHECK(stage IN ('draft','approved')), at TEXT NOT NULL,"
    "  user TEXT NOT NULL DEFAULT '', before TEXT, after TEXT);\n"
    "CREATE INDEX value_history_key ON value_history(school_id, period, element);\n"
    "ALTER TABLE data_value ADD COLUMN submission_id INTEGER REFERENCES submission(id);\n";

/* 5: the audit names the whole actor (login, role, school), so an audit page can filter by
 * school and a school operator's change is told from an analyst's (docs/app.md). */
static const char MIGRATION_5[] = "ALTER TABLE audit ADD COLUMN role TEXT NOT NULL DEFAULT '';\n"
                                  "ALTER TABLE audit ADD COLUMN school TEXT NOT NULL DEFAULT '';\n";

/* 6: the columnar snapshot of the model (src/store/snapshot.h, docs/performance.md). A row
 * per (year, column); year 0 holds what all years share. model_stamp.n counts the changes of
 * the data the model is made of: a trigger bumps it on every insert, update and delete of those
 * tables, so no write path can forget; a snapshot is read only when its stamp equals n. Result
 * rows are written by the million, so their insert trigger fires only for a row outside the
 * newest batch (a batch's own insert and its undo bump the count once for all its rows). */
#define BUMP(t, op)                                                                                \
    "CREATE TRIGGER model_stamp_" t "_" op " AFTER " op " ON " t                                   \
    " BEGIN UPDATE model_stamp SET n = n + 1; END;\n"
#define BUMP3(t) BUMP(t, "INSERT") BUMP(t, "UPDATE") BUMP(t, "DELETE")
/* clang-format off */
static const char MIGRATION_6[] =
    "CREATE TABLE model_stamp(k INTEGER PRIMARY KEY CHECK(k = 1), n INTEGER NOT NULL);\n"
    "INSERT INTO model_stamp VALUES(1, 1);\n"
    /* a rowid table: columns are read with incremental BLOB I/O, which needs the rowid */
    "CREATE TABLE model_snapshot(id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
    "  col TEXT NOT NULL, stamp INTEGER NOT NULL, format INTEGER NOT NULL, data BLOB NOT NULL,"
    "  UNIQUE(year, col));\n"
    BUMP3("school")
    BUMP3("scale")
    BUMP3("procedure")
    BUMP3("procedure_task")
    BUMP3("import_batch")
    BUMP3("result_aggregate")
    BUMP3("data_value")
    BUMP3("olympiad_result")
    BUMP3("olympiad_team")
    BUMP3("graduate_outcome")
    BUMP("result", "UPDATE")
    BUMP("result", "DELETE")
    "CREATE TRIGGER model_stamp_result_INSERT AFTER INSERT ON result"
    "  WHEN NEW.batch_id IS NULL OR NEW.batch_id < (SELECT max(id) FROM import_batch)"
    "  BEGIN UPDATE model_stamp SET n = n + 1; END;\n";
/* clang-format on */
#undef BUMP3
#undef BUMP

/* 7: what the acts compare with and what others list (issue 19): a year's scales come from an
 * import (batch_id, so undo removes them; year 0, the defaults, have none); benchmarks — the
 * RF, region and municipality rows of a ФИС ОКО statistics file, per procedure (seed 001:
 * «отклонение … от средних значений по Российской Федерации и по Краснодарскому краю»); the
 * external lists of schools (seed 002 §2.1: ШНОР formed by ФИОКО; seed 001: federal and
 * regional lists of schools with signs of non-objectivity). */
static const char MIGRATION_7[] =
    "ALTER TABLE scale ADD COLUMN batch_id INTEGER REFERENCES import_batch(id);\n"
    "ALTER TABLE scale_point ADD COLUMN batch_id INTEGER REFERENCES import_batch(id);\n"
    "CREATE TABLE benchmark(procedure_id INTEGER NOT NULL REFERENCES procedure(id),"
    "  level TEXT NOT NULL CHECK(level IN ('municipality','region','rf')),"
    "  name TEXT NOT NULL DEFAULT '', participants INTEGER NOT NULL,"
    "  mark2 INTEGER, mark3 INTEGER, mark4 INTEGER, mark5 INTEGER, below_min INTEGER,"
    "  batch_id INTEGER REFERENCES import_batch(id), PRIMARY KEY(procedure_id, level));\n"
    "CREATE TABLE external_list(year INTEGER NOT NULL,"
    "  school_id INTEGER NOT NULL REFERENCES school(id),"
    "  list TEXT NOT NULL CHECK(list IN ('shnor_fioko','nonobj_federal','nonobj_regional')),"
    "  reason TEXT NOT NULL DEFAULT '', batch_id INTEGER REFERENCES import_batch(id),"
    "  PRIMARY KEY(year, list, school_id));\n";

/* 8: the school's answer to a flag (issue 16 item 6): an answer belongs to the flag, not to
 * the finding row (a rerun replaces findings, the flag «school × list × year» stays); a
 * rejected answer is kept with the analyst's comment and a new one follows it; files are
 * stored in the database like the roadmap's evidence (docs/app.md). */
static const char MIGRATION_8[] =
    "CREATE TABLE flag_answer(id INTEGER PRIMARY KEY,"
    "  school_id INTEGER NOT NULL REFERENCES school(id),"
    "  list TEXT NOT NULL CHECK(list IN ('shnor','risk','objectivity','rating')),"
    "  year INTEGER NOT NULL, text TEXT NOT NULL,"
    "  status TEXT NOT NULL DEFAULT 'submitted'"
    "  CHECK(status IN ('submitted','accepted','rejected')),"
    "  created_at TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '',"
    "  reviewed_at TEXT, reviewed_by TEXT, review_comment TEXT NOT NULL DEFAULT '');\n"
    "CREATE INDEX flag_answer_key ON flag_answer(school_id, list, year);\n"
    "CREATE TABLE flag_answer_file(id INTEGER PRIMARY KEY,"
    "  answer_id INTEGER NOT NULL REFERENCES flag_answer(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, data BLOB NOT NULL);\n"
    "CREATE INDEX flag_answer_file_answer ON flag_answer_file(answer_id);\n";

/* 9: a form is assigned to all schools or to the schools of one list of the period's year (issue 14
 * п. 7: the ШНОР-support form concerns the ШНОР schools only, seed 002 п. 2.3.2–2.3.3). */
static const char MIGRATION_9[] = "ALTER TABLE form ADD COLUMN schools TEXT NOT NULL DEFAULT ''"
                                  "  CHECK(schools IN ('','shnor','risk','objectivity'));\n";

/* 10: every date of a plan item (issue 19 item 7): «ежегодно: октябрь, апрель …» has several
 * checkpoints; due_on stays the latest (overdue after it), due_dates lists them all as
 * "YYYY-MM-DD,…" (store_plan_refresh_due fills it: it rewrites a row whose dates differ). */
static const char MIGRATION_10[] =
    "ALTER TABLE plan_item ADD COLUMN due_dates TEXT NOT NULL DEFAULT '';\n";

/* 11: the admin's list of users (issue 14 п. 10): when each account last signed in (written with
 * the new session, never audited: a sign-in changes no data), and whether its password is a
 * temporary one an admin was shown (the person must set their own at the next sign-in). */
static const char MIGRATION_11[] =
    "ALTER TABLE user ADD COLUMN last_login_at TEXT;\n"
    "ALTER TABLE user ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;\n";

/* 12: management decisions (issue 15 item 4; seed 001 п. 1.3, 1.17–1.18, seed 000 §V: «анализ →
 * адресные рекомендации → управленческие решения → анализ эффективности принятых мер»): a
 * приказ, письмо or протокол taken in the school year of an analysis, the list it answers, the
 * schools it names, its files; the next year's analysis shows what moved. */
static const char MIGRATION_12[] =
    "CREATE TABLE decision(id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
    "  kind TEXT NOT NULL CHECK(kind IN ('order','letter','protocol','other')),"
    "  number TEXT NOT NULL DEFAULT '', taken_on TEXT NOT NULL, text TEXT NOT NULL,"
    "  list TEXT NOT NULL DEFAULT '' CHECK(list IN ('','shnor','risk','objectivity','rating')),"
    "  responsible TEXT NOT NULL DEFAULT '', due_on TEXT NOT NULL DEFAULT '',"
    "  created_at TEXT NOT NULL, created_by TEXT NOT NULL DEFAULT '');\n"
    "CREATE INDEX decision_year ON decision(year);\n"
    "CREATE TABLE decision_school(decision_id INTEGER NOT NULL"
    "  REFERENCES decision(id) ON DELETE CASCADE,"
    "  school_id INTEGER NOT NULL REFERENCES school(id),"
    "  PRIMARY KEY(decision_id, school_id)) WITHOUT ROWID;\n"
    "CREATE TABLE decision_file(id INTEGER PRIMARY KEY,"
    "  decision_id INTEGER NOT NULL REFERENCES decision(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, data BLOB NOT NULL,"
    "  added_at TEXT NOT NULL, added_by TEXT NOT NULL DEFAULT '');\n"
    "CREATE INDEX decision_file_decision ON decision_file(decision_id);\n";

/* 13: the mean test score of a benchmark row (seed 001: «динамика результатов ЕГЭ, отнесенных
 * к среднекраевому баллу» — the ШНОР preset of seed 001 compares a school's ЕГЭ mean with the
 * region's, methods/presets/shnor-001-goryachy-klyuch.ini). */
static const char MIGRATION_13[] = "ALTER TABLE benchmark ADD COLUMN mean_score REAL;\n";

/* 14: the default scales name the documents they come from, not the developers' notes (issue 14
 * п. 5: the procedure page read «шкала по умолчанию (ВПР 2021, описание (METHODS.md §3))»);
 * the same words as SRC_* in reference.c. */
static const char MIGRATION_14[] =
    "UPDATE scale SET source = CASE source"
    " WHEN 'ВПР 2021, описание (METHODS.md §3)' THEN 'описание проверочной работы ВПР 2021 (ФИОКО)'"
    " WHEN 'ОГЭ (METHODS.md §3)' THEN"
    "  'рекомендуемая шкала перевода первичных баллов ОГЭ в отметки (ФИПИ)'"
    " WHEN 'ЕГЭ, минимальный балл (METHODS.md §3)' THEN"
    "  'минимальные баллы ЕГЭ, установленные Рособрнадзором'"
    " WHEN 'ЕГЭ базовая математика (METHODS.md §3)' THEN"
    "  'шкала перевода первичных баллов ЕГЭ по базовой математике в отметки (ФИПИ)'"
    " ELSE source END WHERE source LIKE '%METHODS.md%';\n";

/* 15: the procedures of issue 19 п. 5 a database made before has no row for: trial ОГЭ and ЕГЭ
 * (seed 000 §2.2; seed 003 п. 1.7, 5.2), the метапредметная diagnostic and the readiness for
 * school (seed 003 п. 5.5; seed 001 п. 2.7, 2.11), their subjects, and the context elements of
 * repeaters and the 10th/11th grade counts (seed 003 п. 1.1; seed 001 п. 2.11). The same names
 * as base/vocab.c and store/reference.c write on init. */
static const char MIGRATION_15[] =
    "INSERT OR IGNORE INTO proc_kind(code,name,result_type,ord) VALUES"
    " ('OGE_T','Пробный ОГЭ','mark',12), ('EGE_T','Пробный ЕГЭ','test_score',13),"
    " ('META','Метапредметная диагностика','mark',14),"
    " ('READY','Диагностика готовности к обучению в школе','mark',15);\n"
    "INSERT OR IGNORE INTO subject(code,name,ord) VALUES"
    " ('meta','Метапредметная диагностика',19),"
    " ('ready','Диагностика готовности к обучению в школе',20);\n"
    /* only into a database init has seeded: init's own rows follow in their order */
    "INSERT OR IGNORE INTO data_element(code,name,value_type,unit,min_value,max_value,ord)"
    " SELECT 'pupils_repeaters','Обучающихся, оставленных на повторное обучение','count','чел.',"
    "0,NULL,16 WHERE EXISTS(SELECT 1 FROM data_element)"
    " UNION ALL SELECT 'pupils_grade10','Обучающихся 10 классов','count','чел.',0,NULL,17"
    " WHERE EXISTS(SELECT 1 FROM data_element)"
    " UNION ALL SELECT 'pupils_grade11','Обучающихся 11 классов','count','чел.',0,NULL,18"
    " WHERE EXISTS(SELECT 1 FROM data_element);\n";

/* 16: registries of the acts (issue 15 items 2–3): the bank of experts (seed 001 п. 1.13), gifted
 * pupils (п. 4.8), the management reserve (п. 7.4), best practices (п. 4.8, 8.x) and teachers'
 * data with their courses (п. 8.x, 9.x) — one generic table; the kinds and their columns are data
 * (methods/registries/KIND.ini), a row's values a JSON object keyed by the kind's column codes
 * (yes/no stored as 1/0, numbers as numbers). rkey is the row's key within (kind, year, school):
 * the person's code, or the code with the columns the kind's INI names (a course, a subject). */
static const char MIGRATION_16[] =
    "CREATE TABLE registry_row(id INTEGER PRIMARY KEY, kind TEXT NOT NULL,"
    "  year INTEGER NOT NULL, school_id INTEGER NOT NULL REFERENCES school(id),"
    "  code TEXT NOT NULL, rkey TEXT NOT NULL, data TEXT NOT NULL CHECK(json_valid(data)),"
    "  batch_id INTEGER REFERENCES import_batch(id), created_at TEXT NOT NULL,"
    "  created_by TEXT NOT NULL DEFAULT '', UNIQUE(kind, year, school_id, rkey));\n"
    "CREATE INDEX registry_row_kind_year ON registry_row(kind, year, school_id);\n"
    "CREATE INDEX registry_row_code ON registry_row(kind, code);\n";

/* 17: the demo's ground truth names a low school that leaves the ШНОР list in the last year
 * (issue 15: a decision recorded for a ШНОР school shows its before/after next year); SQLite
 * cannot alter a CHECK, so the table is rebuilt with its rows. */
static const char MIGRATION_17[] =
    "CREATE TABLE demo_truth_new(school_id INTEGER NOT NULL REFERENCES school(id),"
    "  what TEXT NOT NULL CHECK(what IN ('low_results','inflated','risk','weak_medalists',"
    "  'shnor_recovered')),"
    "  since_year INTEGER NOT NULL, detail TEXT NOT NULL DEFAULT '',"
    "  PRIMARY KEY(school_id, what));\n"
    "INSERT INTO demo_truth_new SELECT school_id, what, since_year, detail FROM demo_truth;\n"
    "DROP TABLE demo_truth;\n"
    "ALTER TABLE demo_truth_new RENAME TO demo_truth;\n";

/* 18: contests (issue 19 item 6; seed 000 §VII table 1, row 7: «Результативность участия
 * обучающихся в мероприятиях различных уровней — федеральный; региональный; муниципальный»):
 * one row per participant of a contest, a pupil or a teacher by code (never a name). The rating
 * reads the pupils' winners and prize-winners through the model, so the snapshot's stamp
 * counts this table's changes too (migration 6). */
static const char MIGRATION_18[] =
    "CREATE TABLE contest(id INTEGER PRIMARY KEY, year INTEGER NOT NULL,"
    "  school_id INTEGER NOT NULL REFERENCES school(id),"
    "  level TEXT NOT NULL CHECK(level IN ('federal','regional','municipal')),"
    "  title TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK(status IN ('winner','prizewinner','participant')),"
    "  pupil_code TEXT, teacher_code TEXT,"
    "  batch_id INTEGER REFERENCES import_batch(id),"
    "  CHECK((pupil_code IS NULL) <> (teacher_code IS NULL)));\n"
    "CREATE INDEX contest_year ON contest(year, school_id);\n"
    "CREATE TRIGGER model_stamp_contest_INSERT AFTER INSERT ON contest"
    "  BEGIN UPDATE model_stamp SET n = n + 1; END;\n"
    "CREATE TRIGGER model_stamp_contest_UPDATE AFTER UPDATE ON contest"
    "  BEGIN UPDATE model_stamp SET n = n + 1; END;\n"
    "CREATE TRIGGER model_stamp_contest_DELETE AFTER DELETE ON contest"
    "  BEGIN UPDATE model_stamp SET n = n + 1; END;\n";

/* 19: the direction a management decision answers (issue 15 items 4–5; seed 001 приложение 3:
 * the nine directions of the МСОКО, each closing its own management cycle). The decisions
 * recorded before it answer the direction of the list they named: the ШНОР list is direction
 * «shnor», the list of signs of non-objective results direction «objectivity». */
static const char MIGRATION_19[] =
    "ALTER TABLE decision ADD COLUMN direction TEXT NOT NULL DEFAULT '' CHECK(direction IN"
    "  ('','training','shnor','talents','career','objectivity','heads','methodical','dpo',"
    "  'upbringing'));\n"
    "UPDATE decision SET direction = list WHERE list IN ('shnor','objectivity');\n"
    "CREATE INDEX decision_direction ON decision(direction, year);\n";

/* 20: the directions' form(FORM.ELEMENT) reads every value of an element (store_value_rows): the
 * index answers it without a lookup of each row in the table (about three times faster on a
 * region of 2,000 schools, docs/performance.md), in the primary key's order. */
static const char MIGRATION_20[] =
    "CREATE INDEX data_value_element ON data_value(element, school_id, period, status, value);\n";

/* 21: the directions read the ШНОР, risk and objectivity lists of earlier years from the latest
 * run of each (store_run_listed): by the run, not by a scan of every finding of every run with
 * its evidence; and which forms have values waiting for approval (store_forms_submitted), from
 * a small partial index instead of every submission (docs/performance.md). */
static const char MIGRATION_21[] =
    "CREATE INDEX finding_run ON finding(run_id, method);\n"
    "CREATE INDEX submission_waiting ON submission(form) WHERE status = 'submitted';\n";

/* 22: municipalities as a level (issue 17 item 2): a school belongs to a municipality, a user
 * gets a scope. An existing database is one municipality: it gets one, and every school goes to
 * it, so a one-municipality installation sees no change (the import renames it after
 * methods/municipality.ini's place while it is the only one and still has this default name).
 * The regional analyst is a flag beside role 'analyst', not a new value of role: neither
 * engine alters a CHECK in place, and rebuilding "user" would cascade-delete every session. */
static const char MIGRATION_22[] =
    "CREATE TABLE municipality(id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,"
    "  name TEXT NOT NULL);\n"
    "ALTER TABLE school ADD COLUMN municipality_id INTEGER REFERENCES municipality(id);\n"
    "ALTER TABLE \"user\" ADD COLUMN municipality_id INTEGER REFERENCES municipality(id);\n"
    "ALTER TABLE \"user\" ADD COLUMN regional INTEGER NOT NULL DEFAULT 0;\n"
    "INSERT INTO municipality(code, name) SELECT '1', 'Муниципалитет'"
    "  WHERE EXISTS (SELECT 1 FROM school);\n"
    "UPDATE school SET municipality_id = (SELECT id FROM municipality WHERE code = '1');\n"
    "CREATE INDEX school_municipality ON school(municipality_id);\n";

/* 23: the columns the directions' registry terms filter on, beside the row's JSON (issue 15: the
 * nine directions add at most 20 % to analyze; docs/performance.md): «confirmed» (the gifted
 * pupils confirmed by an analyst, seed 001 п. 4.8), «role» (the experts' role, п. 1.13),
 * «excluded» (the year a bank's row leaves it, п. 1.13, 8.4). Each holds the value of the JSON
 * key of the same name (NULL where the row has none), written by the registry's writers in the
 * same statement as data; filled here for the rows already stored. The index answers
 * registry(), registry_bank() and their filters from itself, without reading the row and
 * parsing its JSON. */
static const char MIGRATION_23[] =
    "ALTER TABLE registry_row ADD COLUMN confirmed INTEGER;\n"
    "ALTER TABLE registry_row ADD COLUMN role TEXT;\n"
    "ALTER TABLE registry_row ADD COLUMN excluded INTEGER;\n"
    "UPDATE registry_row SET confirmed = CAST(json_extract(data, '$.confirmed') AS INTEGER),"
    "  role = json_extract(data, '$.role'), excluded = CAST(json_extract(data, '$.excluded') AS "
    "INTEGER)"
    "  WHERE json_extract(data, '$.confirmed') IS NOT NULL"
    "  OR json_extract(data, '$.role') IS NOT NULL"
    "  OR json_extract(data, '$.excluded') IS NOT NULL;\n"
    "CREATE INDEX registry_row_filter ON registry_row(kind, year, school_id, code, confirmed, role,"
    "  excluded);\n";

/* 24: what msoko migrate moved into this store, so a second run of the same file writes nothing
 * again (docs/migrate.md). A row is keyed by the file it came from (that store's meta
 * store_id), its table and its id there; new_id is its id here. Only rows without a natural
 * key (audit, import batches, analysis runs, decisions …) are recorded: the others are found by
 * their key. */
static const char MIGRATION_24[] =
    "CREATE TABLE moved_row(source TEXT NOT NULL, tbl TEXT NOT NULL, old_id INTEGER NOT NULL,"
    "  new_id INTEGER NOT NULL, PRIMARY KEY(source, tbl, old_id));\n";

static const char *const MIGRATIONS[] = {
    MIGRATION_1,  MIGRATION_2,  MIGRATION_3,  MIGRATION_4,  MIGRATION_5,  MIGRATION_6,
    MIGRATION_7,  MIGRATION_8,  MIGRATION_9,  MIGRATION_10, MIGRATION_11, MIGRATION_12,
    MIGRATION_13, MIGRATION_14, MIGRATION_15, MIGRATION_16, MIGRATION_17, MIGRATION_18,
    MIGRATION_19, MIGRATION_20, MIGRATION_21, MIGRATION_22, MIGRATION_23, MIGRATION_24};

int schema_version(void)
{
    return (int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]);
}

const char *schema_migration(int i)
{
    if (i < 1 || i > schema_version())
        return NULL;
    return MIGRATIONS[i - 1];
}
