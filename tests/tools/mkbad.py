#!/usr/bin/env python3
"""Make tests/data/import-bad/: one broken file per case, with NAME.case beside it:
   args=<import options>     expect=<text the error output must contain>
Files are written in Windows-1251 unless the case is about encodings. Deterministic.
Run from the repository root after `make build/tools/csv2xlsx`."""
import os, subprocess, tempfile

D = "tests/data/import-bad"
HEAD = "Год;Вид процедуры;Предмет;Параллель;Код ОО;Класс;Код участника;Вариант;Первичный балл;Отметка;Отметка по журналу"
OK = "2024;ВПР;Математика;5;sch100001;5А;p001;1;12;4;4"


def case(name, ext, content, args, expect, enc="cp1251"):
    path = os.path.join(D, name + "." + ext)
    if isinstance(content, bytes):
        data = content
    else:
        data = content.replace("\n", "\r\n").encode(enc)
    if ext == "xlsx" and not isinstance(content, bytes):
        with tempfile.NamedTemporaryFile("w", delete=False, encoding="utf-8") as t:
            t.write(content)
        subprocess.run(["build/tools/csv2xlsx", t.name, path], check=True)
        os.unlink(t.name)
    else:
        with open(path, "wb") as f:
            f.write(data)
    with open(os.path.join(D, name + ".case"), "w", encoding="utf-8") as f:
        f.write(f"args={args}\nexpect={expect}\n")


def main():
    os.makedirs(D, exist_ok=True)
    r = "--kind results"
    case("01-unknown-school", "csv", f"{HEAD}\n{OK}\n2024;ВПР;Математика;5;sch999999;5А;p002;1;12;4;4\n",
         r, ":3:5: школа «sch999999» не найдена")
    case("02-score-above-max", "csv", f"{HEAD}\n{OK}\n2024;ВПР;Математика;5;sch100001;5А;p002;1;25;5;4\n",
         r, ":3:9: первичный балл 25 больше максимального 20")
    case("03-mark-out-of-range", "csv", f"{HEAD}\n2024;ВПР;Математика;5;sch100001;5А;p001;1;12;6;4\n",
         r, ":2:10: отметка должна быть от 2 до 5")
    case("04-journal-mark-text", "csv", f"{HEAD}\n2024;ВПР;Математика;5;sch100001;5А;p001;1;12;4;отл\n",
         r, ":2:11: отметка по журналу: ожидается целое число")
    case("05-duplicate-pupil", "csv", f"{HEAD}\n{OK}\n2024;ВПР;Математика;5;sch100001;5А;p001;2;10;3;3\n",
         r, ":3:7: участник «p001» уже встречался")
    case("06-missing-pupil-column", "csv",
         "Год;Вид процедуры;Предмет;Параллель;Код ОО;Первичный балл\n2024;ВПР;Математика;5;sch100001;12\n",
         r, ":1: нет обязательного столбца «pupil_code»")
    case("07-empty", "csv", b"", r, "файл пуст")
    case("08-header-only", "csv", f"{HEAD}\n", r, ":1: после строки заголовков нет ни одной строки")
    case("09-utf16", "csv", (HEAD + "\n" + OK + "\n").encode("utf-16"), r, "кодировк")
    case("10-text-in-score", "csv", f"{HEAD}\n2024;ВПР;Математика;5;sch100001;5А;p001;1;двенадцать;4;4\n",
         r, ":2:9: первичный балл: ожидается неотрицательное число")
    case("11-unterminated-quote", "csv", f"{HEAD}\n{OK}\n2024;ВПР;\"Математика;5;sch100001;5А;p002;1;12;4;4\n",
         r, "незакрыт")
    case("12-broken-zip", "xlsx", b"PK\x03\x04" + b"\x00garbage" * 20, r, "xlsx")
    case("13-old-xls", "xls", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\x00" * 100, r,
         "формат .xls (Excel 97–2003) не поддерживается")
    case("14-no-procedure", "csv",
         "Код ОО;Класс;Код участника;Первичный балл\nsch100001;5А;p001;12\n",
         r, ":2: не определена процедура")
    case("15-school-bad-type", "csv",
         "Код ОО;Наименование ОО;Тип ОО;Местность\nsch200001;МБОУ «СОШ № 9»;университет;городская\n",
         "--kind schools", ":2:3: неизвестный тип школы «университет»")
    case("16-aggregates-sum", "csv",
         "Год;Вид процедуры;Предмет;Параллель;Код ОО;Кол-во участников;2;3;4;5\n"
         "2024;РКР;Математика;7;sch100001;10;3;4;4;2\n",
         "--kind aggregates", ":2:6: сумма отметок (13) больше числа участников (10)")
    case("17-context-unknown-element", "csv",
         "Год;Код ОО;Код показателя;Значение\n2024;sch100001;internet;да\n2024;sch100001;swimming_pool;1\n",
         "--kind context", ":3:4: неизвестный показатель «swimming_pool»")
    case("18-context-bad-bool", "csv",
         "Год;Код ОО;Код показателя;Значение\n2024;sch100001;internet;может быть\n",
         "--kind context", ":2:4: показатель «internet»: ожидается да/нет")
    case("19-olympiad-bad-status", "csv",
         "Год;Этап;Предмет;Класс;Код ОО;Код участника;Статус;Балл\n"
         "2024;муниципальный;Математика;8;sch100001;o1;чемпион;30\n",
         "--kind olympiads", ":2:7: статус: неизвестное значение «чемпион»")
    case("20-graduates-bad-grade", "csv",
         "Год;Класс;Код ОО;Код выпускника;Аттестат;Медаль\n2024;10;sch100001;g1;да;нет\n",
         "--kind graduates", ":2:2: класс выпуска должен быть 9 или 11")
    case("21-plan-no-text", "csv",
         "Раздел;№ п/п;Мероприятие;Срок\n1;1.1;Анализ результатов;сентябрь\n1;1.2;;октябрь\n",
         "--kind plan", ":3:3: не указано содержание мероприятия")
    case("22-unknown-subject", "csv", f"{HEAD}\n2024;ВПР;Астрология;5;sch100001;5А;p001;1;12;4;4\n",
         r, ":2:3: неизвестный предмет «Астрология»")
    case("23-nul-bytes", "csv", b"\x00\x01\x02\x03" * 64, r, "")
    case("24-task-above-max", "xlsx",
         "ВПР 2023 Математика 5 класс\nКод ОО;Код участника;Класс;1 (1б);2 (2б)\nsch100001;f1;5А;1;2\nsch100001;f2;5А;2;0\n",
         r, ":4:4: балл за задание 1 равен 2, а максимум — 1")
    case("25-unknown-kind-word", "csv", f"{HEAD}\n2024;ВсЕГЭ;Математика;5;sch100001;5А;p001;1;12;4;4\n",
         r, ":2:2: неизвестный вид процедуры «ВсЕГЭ»")
    case("26-negative-count", "csv",
         "Год;Код ОО;Код показателя;Значение\n2024;sch100001;teachers_total;-4\n",
         "--kind context", ":2:4: показатель «teachers_total»: ожидается целое неотрицательное число")
    case("27-no-result-columns", "csv", "Год;Вид процедуры;Предмет;Параллель;Код ОО;Код участника\n"
         "2024;ВПР;Математика;5;sch100001;p1\n", r, "нет столбцов с результатом")
    case("28-no-header", "csv", "a;b;c\n1;2;3\n", r, "не найдена строка заголовков")


if __name__ == "__main__":
    main()
