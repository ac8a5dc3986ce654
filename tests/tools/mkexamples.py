#!/usr/bin/env python3
"""Make examples/: small sample files of every import template, as municipalities have them:
CSV in Windows-1251 with ';' and XLSX (via build/tools/csv2xlsx), Russian headers, a ФИС ОКО
raw export with a title row, «X» and «отсутствовал», and a «Ф1» school form with a merged
header. Deterministic. Run from the repository root: python3 tests/tools/mkexamples.py"""
import os, random, subprocess, tempfile

R = random.Random(20241)
OUT = "examples"
TOOL = "build/tools/csv2xlsx"
SCHOOLS = [
    ("sch100001", "МБОУ «СОШ № 1»", "СОШ", "городская", "НОО,ООО,СОО"),
    ("sch100002", "МБОУ «Гимназия № 2»", "гимназия", "городская", "НОО,ООО,СОО"),
    ("sch100003", "МКОУ «ООШ с. Ивановка»", "ООШ", "сельская", "НОО,ООО"),
    ("sch100004", "МБОУ «Лицей № 4»", "лицей", "городская", "ООО,СОО"),
    ("sch100005", "МКОУ «СОШ с. Петровское»", "СОШ", "сельская", "НОО,ООО,СОО"),
]
MATH5_MAX = [1, 1, 1, 1, 1, 1, 1, 2, 1, 2, 1, 2, 2, 3]  # sums to 20 (ВПР math 5)
RUS5_MAX = [9, 4, 3, 3, 4, 2, 2, 2, 2, 3, 2, 2, 2, 2, 3]  # sums to 45 (ВПР Russian 5)


def mark(score, cuts):
    return 5 if score >= cuts[2] else 4 if score >= cuts[1] else 3 if score >= cuts[0] else 2


def tasks_for(ability, maxima):
    return [sum(1 for _ in range(m) if R.random() < ability) for m in maxima]


def write(name, rows, xlsx=True, csv=True, merges=()):
    text = "\n".join(";".join(str(c) for c in r) for r in rows) + "\n"
    if csv:
        with open(os.path.join(OUT, name + ".csv"), "wb") as f:
            f.write(text.replace("\n", "\r\n").encode("cp1251"))
    if xlsx:
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as t:
            t.write(text)
        args = [TOOL, t.name, os.path.join(OUT, name + ".xlsx")]
        for m in merges:
            args += ["--merge", m]
        subprocess.run(args, check=True)
        os.unlink(t.name)


def main():
    os.makedirs(OUT, exist_ok=True)
    write("schools", [("Код ОО", "Наименование ОО", "Тип ОО", "Местность", "Уровни образования")]
          + [list(s) for s in SCHOOLS])

    # canonical results with Russian headers and procedure columns
    head = ["Год", "Вид процедуры", "Предмет", "Параллель", "Код ОО", "Класс", "Код участника",
            "Вариант"] + [f"балл за {i + 1}" for i in range(len(MATH5_MAX))] + [
            "Первичный балл", "Отметка", "Отметка по журналу"]
    rows = [head]
    for code, _, typ, _, _ in SCHOOLS[:3]:
        for k in range(12):
            ab = R.uniform(0.25, 0.9)
            t = tasks_for(ab, MATH5_MAX)
            s = sum(t)
            rows.append([2024, "ВПР", "Математика", 5, code, "5А" if k < 6 else "5Б",
                         f"p{code[-3:]}{k + 1:03d}", 1 + k % 2] + t +
                        [s, mark(s, (7, 11, 15)), min(5, mark(s, (7, 11, 15)) + (R.random() < .3))])
    write("results-vpr-math5-2024", rows)

    # ФИС ОКО raw export of ВПР Russian 5: title row, «логин школы», X, «отсутствовал»
    head = ["логин школы", "регион", "номер обучающегося", "код обучающегося",
            "отметка за предыдущую четверть/триместр", "пол", "класс", "вариант"] + \
           [f"балл за {i + 1}" for i in range(len(RUS5_MAX))] + ["всего баллов"]
    rows = [["ВПР 2024 Русский язык 5 класс"], head]
    for code, *_ in SCHOOLS[:4]:
        for k in range(10):
            if k == 9:
                rows.append([code, 15, k + 1, f"r{code[-3:]}{k + 1:03d}", 4, "Ж", "5А",
                             "отсутствовал"] + ["~"] * len(RUS5_MAX) + ["~"])
                continue
            t = tasks_for(R.uniform(0.3, 0.9), RUS5_MAX)
            t = ["X" if R.random() < 0.05 else v for v in t]
            s = sum(v for v in t if v != "X")
            rows.append([code, 15, k + 1, f"r{code[-3:]}{k + 1:03d}",
                         mark(s, (18, 29, 39)), "М" if k % 2 else "Ж", "5А", 1 + k % 2] + t + [s])
    write("fisoko-vpr-rus5-2024", rows, csv=False,
          merges=["A1:%s1" % chr(ord("A") + len(head) - 1)] if len(head) <= 26 else [])

    # «Ф1 Индивидуальные результаты» of one school: title, max score, date, Б/П row,
    # a merged group header over the task columns, task headers «1 (1б)»
    labels = [f"{i + 1} ({m}б)" for i, m in enumerate(MATH5_MAX)]
    first_task_col = 3
    last_task_col = first_task_col + len(labels) - 1
    col = lambda c: chr(ord("A") + c)
    rows = [["ВПР 2023 Математика 5 класс"],
            ["Логин ОО:", "sch100001"],
            ["Максимальный первичный балл", 20],
            ["Дата", "2023-04-20"],
            ["~", "~", "~"] + ["Б" if i < 10 else "П" for i in range(len(labels))],
            ["~", "~", "~", "Выполнение заданий"] + ["~"] * (len(labels) - 1) + ["~", "~", "~"],
            ["Код участника", "Класс", "Вариант"] + labels +
            ["Первичный балл", "Отметка", "Отметка по журналу"]]
    for k in range(15):
        t = tasks_for(R.uniform(0.3, 0.95), MATH5_MAX)
        s = sum(t)
        rows.append([f"f{k + 1:04d}", "5Б", 1 + k % 2] + t + [s, mark(s, (7, 11, 15)),
                     mark(s, (7, 11, 15))])
    rows[5] = ["~"] * first_task_col + ["Выполнение заданий"]
    write("f1-vpr-math5-2023", rows, csv=False,
          merges=["A1:F1", "%s6:%s6" % (col(first_task_col), col(last_task_col))])

    # ЕГЭ by the regional centre: names present (dropped on import), test scores
    rows = [["ЕГЭ 2024 Русский язык"],
            ["Код МСУ", "Код ОО", "Класс", "Код ППЭ", "Аудитория", "Фамилия", "Имя", "Отчество",
             "Код участника", "Первичный балл", "Тестовый балл"]]
    surnames = ["Иванов", "Петрова", "Сидоров", "Кузнецова", "Смирнов", "Попова"]
    for code in ("sch100001", "sch100002", "sch100004"):
        for k in range(6):
            ts = max(10, min(100, int(R.gauss(68, 14))))
            rows.append([15, code, "11А", 1501, 7, surnames[k], "Имя", "Отчество",
                         f"e{code[-3:]}{k + 1:03d}", ts // 2, ts])
    write("gia-ege-rus-2024", rows)

    rows = [["Год", "Вид процедуры", "Предмет", "Параллель", "Код ОО", "Кол-во участников",
             "2", "3", "4", "5"]]
    for code, *_ in SCHOOLS:
        n = R.randint(8, 40)
        k2 = R.randint(0, n // 5)
        k5 = R.randint(0, n // 5)
        k3 = R.randint(0, n - k2 - k5)
        rows.append([2024, "РКР", "Математика", 7, code, n, k2, k3, n - k2 - k3 - k5, k5])
    write("aggregates-rkr-math7-2024", rows)

    rows = [["Год", "Код ОО", "Код показателя", "Значение"]]
    for code, *_ in SCHOOLS:
        total = R.randint(80, 900)
        rows += [[2024, code, "internet", "да"], [2024, code, "computers", 1],
                 [2024, code, "lab_chem", "нет" if "Ивановка" in code else "да"],
                 [2024, code, "teachers_total", total // 12],
                 [2024, code, "teachers_36h", R.randint(0, 3)],
                 [2024, code, "pupils_total", total], [2024, code, "pupils_ovz", R.randint(0, 9)]]
    write("context-long-2024", rows)

    rows = [["Код ОО", "Год", "Скоростной интернет", "Педагогов всего",
             "Педагогов с нагрузкой 36 часов и более", "teachers_unqualified", "Обучающихся всего",
             "pupils_registered", "pupils_inofon", "pupils_absentee", "pupils_failing"]]
    for code, *_ in SCHOOLS:
        total = R.randint(80, 900)
        rows.append([code, 2024, "да", total // 12, R.randint(0, 3), R.randint(0, 1), total,
                     R.randint(0, 5), R.randint(0, 5), R.randint(0, 5), R.randint(0, 5)])
    write("context-wide-2024", rows)

    rows = [["Год", "Этап", "Предмет", "Класс", "Код ОО", "Код участника", "Статус", "Балл"]]
    for i in range(12):
        code = SCHOOLS[i % 5][0]
        rows.append([2024, "муниципальный", ["Математика", "Русский язык", "Физика"][i % 3],
                     7 + i % 5, code, f"o{code[-3:]}{i:03d}",
                     ["победитель", "призёр", "участник", "участник"][i % 4], 10 + i * 3])
    write("olympiads-2024", rows)
    rows = [["Год", "Этап", "Код ОО", "Место команды"]]
    for i, (code, *_) in enumerate(SCHOOLS):
        rows.append([2024, "муниципальный", code, i + 1])
    write("olympiad-teams-2024", rows)

    rows = [["Год", "Класс", "Код ОО", "Код выпускника", "Аттестат", "Медаль",
             "Продолжение обучения"]]
    for code in ("sch100001", "sch100002", "sch100004"):
        for k in range(5):
            rows.append([2024, 11, code, f"g{code[-3:]}{k:03d}", "да", "да" if k == 0 else "нет",
                         ["вуз", "СПО", "вуз", "работа", "вуз"][k]])
        rows.append([2024, 9, code, f"n{code[-3:]}000", 1, 0, "10 класс"])
    write("graduates-2024", rows)

    rows = [["Раздел", "№ п/п", "Мероприятие", "Срок", "Ответственный", "Ожидаемый результат"],
            ["1. Организационно-методическое обеспечение", "1.1",
             "Анализ результатов оценочных процедур и выявление ШНОР", "ежегодно, сентябрь",
             "МКУ «ЦРО»", "Перечень ШНОР"],
            ["1. Организационно-методическое обеспечение", "1.2",
             "Разработка адресных рекомендаций для ОО с низкими результатами",
             "в течение 10 дней после проведения оценочных процедур", "МКУ «ЦРО»",
             "Рекомендации направлены в ОО"],
            ["2. Объективность", "2.1",
             "Перепроверка работ ВПР в ОО с признаками необъективности", "по графику",
             "Управление образования", "Доля объективно оценённых работ не менее 90 %"],
            ["2. Объективность", "2.2", "Общественное наблюдение при проведении ВПР", "постоянно",
             "Руководители ОО", "Наблюдатели во всех аудиториях"]]
    write("plan-quality-2024", rows)


if __name__ == "__main__":
    main()
