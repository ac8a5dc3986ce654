#!/usr/bin/env python3
"""Make tests/data/import-bad/: one broken file per case, with NAME.case beside it:
   args=<import options>     expect=<text the error output must contain>
Files are written in Windows-1251 unless the case is about encodings. Deterministic.
Run from the repository root after `make build/tools/csv2xlsx`.

   mkbad.py --gen NAME OUT   writes the big file of a generated case (NAME.gencase: 10**6
                             empty lines, a 10 MB cell, a zip bomb ...) to OUT at test time,
                             so that megabytes of junk are never committed.
XLSX files of the hostile cases are built here with zipfile (fixed timestamps: the same bytes
on every run), so that their XML can be exactly as hostile as needed."""
import os, subprocess, sys, tempfile, zipfile, zlib
from xml.sax.saxutils import escape

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


# ---- hand-made XLSX ------------------------------------------------------------------------

def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_xml(ref, v):
    """v: str (inline string), int/float (number), ("date", serial), ("f", formula, cached),
    ("raw", xml)."""
    if isinstance(v, tuple):
        if v[0] == "date":
            return f'<c r="{ref}" s="1"><v>{v[1]}</v></c>'
        if v[0] == "f":
            cached = "" if v[2] is None else f"<v>{escape(str(v[2]))}</v>"
            t = ' t="str"' if isinstance(v[2], str) else ""
            return f'<c r="{ref}"{t}><f>{escape(v[1])}</f>{cached}</c>'
        return v[1]
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    if v == "":
        return ""
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'


def sheet_xml(rows, doctype=""):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', doctype,
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, 1):
        out.append(f'<row r="{r}">')
        out.extend(cell_xml(f"{col_name(c)}{r}", v) for c, v in enumerate(row))
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out).encode("utf-8")


CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<sheets><sheet name="Лист1" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
           '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
           '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
           '</Relationships>')
STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/></numFmts>'
          '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs>'
          '</styleSheet>')
SST_EMPTY = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>')


def xlsx_bytes(sheet, sst=SST_EMPTY, raw_sheet=None):
    """A workbook of one sheet. sheet: bytes of sheet1.xml, or raw_sheet: (deflate stream,
    uncompressed size, crc32) written as is (for bombs)."""
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        def put(name, data):
            zi = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
        put("[Content_Types].xml", CT)
        put("_rels/.rels", RELS)
        put("xl/workbook.xml", WB)
        put("xl/_rels/workbook.xml.rels", WB_RELS)
        put("xl/styles.xml", STYLES)
        put("xl/sharedStrings.xml", sst)
        if sheet is not None:
            put("xl/worksheets/sheet1.xml", sheet)
    data = buf.getvalue()
    if raw_sheet is not None:
        data = append_raw_entry(data, "xl/worksheets/sheet1.xml", *raw_sheet)
    return data


def append_raw_entry(zipdata, name, deflated, usize, crc=0):
    """Add an entry whose deflate stream is given (zipfile cannot write a stream it did not
    compress itself): a zip bomb's sheet. Rewrites the central directory."""
    import struct
    eocd = zipdata.rfind(b"PK\x05\x06")
    n, cd_size, cd_off = struct.unpack("<HII", zipdata[eocd + 10:eocd + 20])
    central = zipdata[cd_off:cd_off + cd_size]
    body = zipdata[:cd_off]
    nb = name.encode()
    off = len(body)
    local = struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0, 8, 0, 0x2821, crc, len(deflated),
                        min(usize, 0xFFFFFFFF), len(nb), 0) + nb
    body += local + deflated
    central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20, 0, 8, 0, 0x2821, crc,
                           len(deflated), min(usize, 0xFFFFFFFF), len(nb), 0, 0, 0, 0, 0, off) + nb
    end = struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, n + 1, n + 1, len(central), len(body), 0)
    return body + central + end


def deflate_repeat(chunk, times, head=b"", tail=b""):
    """A deflate stream of head + chunk * times + tail without compressing it all: full-flushed
    blocks restart the window, so one compressed chunk can be repeated. Returns (stream, size,
    crc32) — the CRC is right, so that a reader fails on the size and not on a checksum."""
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    out = [c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)]
    c2 = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c2.compress(chunk) + c2.flush(zlib.Z_FULL_FLUSH)
    out.append(block * times)
    c3 = zlib.compressobj(9, zlib.DEFLATED, -15)
    out.append(c3.compress(tail) + c3.flush(zlib.Z_FINISH))
    return b"".join(out), len(head) + len(chunk) * times + len(tail), crc


def xcase(name, data, args, expect):
    case(name, "xlsx", data, args, expect)


def gencase(name, ext, args, expect):
    with open(os.path.join(D, name + ".gencase"), "w", encoding="utf-8") as f:
        f.write(f"ext={ext}\nargs={args}\nexpect={expect}\n")


# The big files of the generated cases, made at test time (gen NAME OUT).
XHEAD = ["Год", "Вид процедуры", "Предмет", "Параллель", "Код ОО", "Класс", "Код участника",
         "Первичный балл"]


def gen(name, out):
    base = name.split("-", 1)[1]
    head = (HEAD + "\n").encode("utf-8")
    if base == "million-empty-lines":
        data = head + b"\r\n" * 1000000
    elif base == "ten-mb-cell":
        data = head + ("2024;ВПР;Математика;5;sch100001;5А;p1;1;" + "9" * (10 << 20) + ";4;4\n").encode()
    elif base == "wide-row":
        data = head + (";" * 10001 + "\n").encode()
    elif base == "many-bad-rows":
        data = head + "".join(f"2024;ВПР;Математика;5;sch100001;5А;p{i};1;12;9;4\n"
                              for i in range(100000)).encode()
    elif base == "huge-cells-quoted":
        # 55 rows quoting a 500 KB cell each in their message: once 27 MB of messages
        data = head + "".join(f"2024;ВПР;Математика;5;sch100001;5А;p{i};1;{'7' * 500000};4;4\n"
                              for i in range(55)).encode()
    elif base == "million-rows-one-cell":
        data = head + b"2024\n" * 1000000
    elif base == "zip-bomb-cell":
        # one inline string of 1 GiB of "A": about 1 MB on disk
        h = sheet_xml([XHEAD]).replace(b"</sheetData></worksheet>", b"")
        h += b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        data = xlsx_bytes(None, raw_sheet=deflate_repeat(
            b"A" * (1 << 20), 1024, h, b"</t></is></c></row></sheetData></worksheet>"))
    elif base == "zip-bomb-rows":
        # 2 GiB of blanks between rows, 1000:1: refused by the ratio after 8 MiB (bench only)
        h = sheet_xml([XHEAD]).replace(b"</sheetData></worksheet>", b"")
        data = xlsx_bytes(None, raw_sheet=deflate_repeat(b" " * (1 << 20), 2100, h,
                                                         b"</sheetData></worksheet>"))
    elif base == "ratio-bomb-rows":
        # 24 MiB of blanks between rows, 1000:1: under the absolute cap, refused by the ratio
        h = sheet_xml([XHEAD]).replace(b"</sheetData></worksheet>", b"")
        data = xlsx_bytes(None, raw_sheet=deflate_repeat(b" " * (1 << 20), 24, h,
                                                         b"</sheetData></worksheet>"))
    elif base == "sst-over-cap":
        # 40 shared strings of 900 KB, stored (ratio 1): no bomb, but over the 32 MiB table cap
        import io
        import random
        rnd = random.Random(20)
        h = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        sst = h + b"".join(b"<si><t>" + bytes(rnd.choices(b"abcdefghijklmnopqrstuvwxyz", k=900000))
                           + b"</t></si>" for _ in range(40)) + b"</sst>"
        sheet = sheet_xml([XHEAD, [2024, "ВПР", "Математика", 5, "sch100001", "5А", "p1", 3]])
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for n_, d_ in (("[Content_Types].xml", CT), ("_rels/.rels", RELS),
                           ("xl/workbook.xml", WB), ("xl/_rels/workbook.xml.rels", WB_RELS),
                           ("xl/styles.xml", STYLES), ("xl/worksheets/sheet1.xml", sheet),
                           ("xl/sharedStrings.xml", sst)):
                zi = zipfile.ZipInfo(n_, date_time=(2024, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_STORED if n_.endswith("sharedStrings.xml") \
                    else zipfile.ZIP_DEFLATED
                z.writestr(zi, d_)
        data = buf.getvalue()
    elif base == "sst-bomb":
        # 300 shared strings of 1 MiB - 1, 1000:1: refused by the ratio after 8 MiB
        # (bench only: memory)
        h = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        si = b"<si><t>" + b"B" * ((1 << 20) - 1) + b"</t></si>"
        stream, size, crc = deflate_repeat(si, 300, h, b"</sst>")
        sheet = sheet_xml([XHEAD, [2024, "ВПР", "Математика", 5, "sch100001", "5А", "p1", 3]])
        import io
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for n_, d_ in (("[Content_Types].xml", CT), ("_rels/.rels", RELS),
                           ("xl/workbook.xml", WB), ("xl/_rels/workbook.xml.rels", WB_RELS),
                           ("xl/styles.xml", STYLES), ("xl/worksheets/sheet1.xml", sheet)):
                zi = zipfile.ZipInfo(n_, date_time=(2024, 1, 1, 0, 0, 0))
                zi.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(zi, d_)
        data = append_raw_entry(buf.getvalue(), "xl/sharedStrings.xml", stream, size, crc)
    elif base == "ten-mb-cell-xlsx":
        sst = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               '<si><t>' + "7" * (10 << 20) + '</t></si></sst>').encode()
        sheet = sheet_xml([XHEAD, [2024, "ВПР", "Математика", 5, "sch100001", "5А", "p1",
                                   ("raw", '<c r="H2" t="s"><v>0</v></c>')]])
        data = xlsx_bytes(sheet, sst=sst)
    else:
        sys.exit(f"mkbad: no generated case {name}")
    with open(out, "wb") as f:
        f.write(data)



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
    hostile(r)


def row(**kw):
    """OK with some cells replaced: row(pupil="...", klass="...", year="...")."""
    c = OK.split(";")
    for k, i in (("year", 0), ("school", 4), ("klass", 5), ("pupil", 6), ("score", 8)):
        if k in kw:
            c[i] = kw[k]
    return ";".join(c)


def hostile(r):
    """Issue 20: names where codes belong, over-long values, duplicate headers, bad school codes,
    mixed separators and encodings, XML attacks, formulas, dates in the year column."""
    u8 = "utf-8"
    name = "в столбце кода участника — фамилия, имя или инициалы"
    case("29-pupil-full-name", "csv", f"{HEAD}\n{OK}\n{row(pupil='Иванов Иван Иванович')}\n", r,
         f":3:7: {name}")
    case("30-pupil-initials-graduates", "csv",
         "Год;Класс;Код ОО;Код выпускника;Аттестат;Медаль\n2024;11;sch100001;Сидоров П.А.;да;нет\n",
         "--kind graduates", f":2:4: {name}")
    case("31-pupil-surname-olympiad", "csv",
         "Год;Этап;Предмет;Класс;Код ОО;Код участника;Статус;Балл\n"
         "2024;муниципальный;Математика;8;sch100001;Иванова;победитель;30\n",
         "--kind olympiads", f":2:6: {name}")
    xcase("32-pupil-name-by-formula", xlsx_bytes(sheet_xml([
        XHEAD, [2024, "ВПР", "Математика", 5, "sch100001", "5А",
                ("f", 'CONCATENATE("Петров"," ","Пётр")', "Петров Пётр"), 12]])), r,
          f":2:7: {name}")
    case("33-pupil-code-64-bytes", "csv", f"{HEAD}\n{row(pupil='p' + '1' * 63)}\n", r,
         ":2:7: код участника длиннее допустимого: 64 байт, можно не больше 63")
    case("34-pupil-code-80-bytes-cyrillic", "csv", f"{HEAD}\n{row(pupil='КОД' + 'Ж' * 37)}\n", r,
         ":2:7: код участника длиннее допустимого: 80 байт", enc=u8)
    case("35-long-codes-collide", "csv",
         f"{HEAD}\n{row(pupil='a' * 63 + '1')}\n{row(pupil='a' * 63 + '2')}\n", r,
         ":3:7: код участника длиннее допустимого: 64 байт")
    case("36-class-too-long", "csv", f"{HEAD}\n{row(klass='5А (углублённая математика)')}\n", r,
         ":2:6: класс длиннее допустимого")
    case("37-duplicate-header", "csv", f"{HEAD};Логин\n{OK};sch100002\n", r,
         ":1:12: столбец повторяет столбец 5 («Код ОО»): оба означают «school_code»")
    case("38-duplicate-task", "csv",
         "Год;Вид процедуры;Предмет;Параллель;Код ОО;Класс;Код участника;1;2;1\n"
         "2024;ВПР;Математика;5;sch100001;5А;p1;1;1;0\n", r,
         ":1:10: столбец повторяет столбец 8 («1»): оба означают «балл за задание 1»")
    sh = "Код ОО;Наименование ОО;Тип ОО;Местность\n"
    case("39-school-code-slash", "csv", sh + "sch/200001;МБОУ СОШ № 9;СОШ;городская\n",
         "--kind schools", ":2:1: в коде школы недопустимый символ «/»")
    case("40-school-code-dots", "csv", sh + "..;МБОУ СОШ № 9;СОШ;городская\n", "--kind schools",
         ":2:1: код школы начинается с «.»")
    case("41-school-code-space", "csv", sh + "sch 200001;МБОУ СОШ № 9;СОШ;городская\n",
         "--kind schools", ":2:1: в коде школы недопустимый символ « »")
    case("42-mixed-separators", "csv",
         HEAD + "\n" + "\n".join(row(pupil=f"p{i}").replace(";", ",") for i in range(3)) + "\n", r,
         ":1: в файле смешаны разделители: в этой строке столбцы разделяет «;», а в строке 2 — «,»")
    good = "".join(row(pupil=f"p{i}") + "\n" for i in range(5))
    case("43-stray-cp1251-byte", "csv",
         (HEAD + "\n" + good + row(pupil="p9", klass="5@")).encode(u8).replace(b"5@", "5Ж".encode("cp1251"))
         + b"\n",
         r, ":7:6: недопустимая последовательность байтов UTF-8")
    case("44-utf16le-no-bom", "csv", (HEAD + "\n" + OK + "\n").encode("utf-16-le"), r, "кодировк")
    case("45-utf16be-bom", "csv", b"\xfe\xff" + (HEAD + "\n" + OK + "\n").encode("utf-16-be"), r,
         "кодировк")
    case("46-nul-in-row", "csv",
         (HEAD + "\n" + OK + "\n").encode("cp1251") + b"2024;\x00;x\n", r,
         ":3:2: в данных нулевой байт")
    xxe = ('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    xcase("47-xxe", xlsx_bytes(sheet_xml([XHEAD, [2024, "ВПР", "Математика", 5, "sch100001", "5А",
                                                  ("raw", '<c r="G2" t="inlineStr"><is><t>&xxe;</t></is></c>'), 1]],
                                         doctype=xxe)), r, "объявление DOCTYPE")
    lol = ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
           + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9))
           + ']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&j;</t></si></sst>')
    xcase("48-billion-laughs", xlsx_bytes(sheet_xml([XHEAD, [2024, "ВПР", "Математика", 5, "sch100001",
                                                             "5А", ("raw", '<c r="G2" t="s"><v>0</v></c>'), 1]]),
                                          sst=lol.encode()), r, "объявление DOCTYPE")
    formula = '"=HYPERLINK(""http://evil.example"";""p1"")"'
    case("49-formula-pupil-code", "csv", HEAD + "\n" + row(pupil=formula) + "\n", r,
         ":2:7: код участника начинается с «=»: похоже на формулу")
    xcase("50-formula-without-value", xlsx_bytes(sheet_xml([
        XHEAD, [2024, "ВПР", "Математика", 5, "sch100001", "5А", "p1", ("f", "SUM(I2:K2)", None)]])),
          r, ":2: нет результата")
    year = ":2:1: год: ожидается целое число от 2000 до 2100, получено"
    xcase("51-year-as-date-cell", xlsx_bytes(sheet_xml([
        XHEAD, [("date", 45536), "ВПР", "Математика", 5, "sch100001", "5А", "p1", 12]])), r,
          f"{year} «2024-09-01»")
    case("52-year-dd-mm-yyyy", "csv", f"{HEAD}\n{row(year='01.09.2024')}\n", r, f"{year} «01.09.2024»")
    case("53-year-school-year", "csv", f"{HEAD}\n{row(year='2023/2024')}\n", r, f"{year} «2023/2024»")
    case("54-year-in-words", "csv", f"{HEAD}\n{row(year='1 сентября 2024 г.')}\n", r,
         f"{year} «1 сентября 2024 г.»")
    case("55-year-excel-serial", "csv", f"{HEAD}\n{row(year='45536')}\n", r, f"{year} «45536»")
    case("66-year-dash-school-year", "csv", f"{HEAD}\n{row(year='2022-2023')}\n", r,
         f"{year} «2022-2023»")
    case("67-year-iso-date", "csv", f"{HEAD}\n{row(year='2024-09-01')}\n", r, f"{year} «2024-09-01»")
    case("68-year-short-date", "csv", f"{HEAD}\n{row(year='01.09.24')}\n", r, f"{year} «01.09.24»")
    case("56-class-formula", "csv", f"{HEAD}\n{row(klass='@SUM(1)')}\n", r,
         ":2:6: класс начинается с «@»")
    xcase("71-control-char-in-code", xlsx_bytes(sheet_xml([
        XHEAD, [2024, "ВПР", "Математика", 5, "sch100001", "5А", "p2_x001F_", 12]])), r,
          ":2:7: код участника содержит управляющий символ (0x1F)")
    # an escaped NUL (_x0000_) once vanished silently: «p1_x0000_Иванов» read as «p1Иванов»
    xcase("76-escaped-nul-in-code", xlsx_bytes(sheet_xml([
        XHEAD, [2024, "ВПР", "Математика", 5, "sch100001", "5А", "p1_x0000_Иванов", 12]])), r,
          ":2:7: ячейка содержит управляющий символ (0x00, в файле «_x0000_»)")
    case("72-context-count-huge", "csv",
         "Год;Код ОО;Код показателя;Значение\n2024;sch100001;teachers_total;1e308\n",
         "--kind context", ":2:4: показатель «teachers_total»: ожидается целое неотрицательное "
         "число (не больше 10 000 000), получено «1e308»")
    case("73-aggregate-count-huge", "csv",
         "Год;Вид процедуры;Предмет;Параллель;Код ОО;Кол-во участников;2;3;4;5\n"
         "2024;РКР;Математика;7;sch100001;1" + "0" * 70 + ";3;4;4;2\n",
         "--kind aggregates", ":2:6: число участников: ожидается целое число от 0 до 1000000")
    # a CSV opened in Excel and saved again: long codes in exponent form, classes made dates
    case("74-excel-exponent-codes", "csv",
         f"{HEAD}\n{row(pupil='1,23457E+14')}\n{row(pupil='1,23457E+14')}\n", r,
         ":2:7: код участника: длинное число, записанное Excel в экспоненциальной форме")
    case("75-excel-date-class", "csv", f"{HEAD}\n{row(klass='05.янв')}\n", r,
         ":2:6: класс: похоже на дату, в которую Excel превратил значение")
    # big files: made by the test at run time (gen), never committed
    gencase("57-million-empty-lines", "csv", r, ":1: после строки заголовков нет ни одной строки")
    gencase("58-ten-mb-cell", "csv", r, ":2:9: поле длиннее 1048576 байт")
    gencase("59-ten-mb-cell-xlsx", "xlsx", r, "длиннее 1 МиБ")
    gencase("60-zip-bomb-cell", "xlsx", r, "файл повреждён или слишком велик после распаковки: "
            "часть xl/worksheets/sheet1.xml книги сжата больше чем в 100 раз")
    gencase("77-sst-over-cap", "xlsx", r, "таблица общих строк больше 32 МиБ")
    gencase("78-ratio-bomb-rows", "xlsx", r, "файл повреждён или слишком велик после распаковки: "
            "часть xl/worksheets/sheet1.xml книги сжата больше чем в 100 раз")
    gencase("61-wide-row", "csv", r, ":2:10001: в строке больше 10000 полей")
    gencase("62-many-bad-rows", "csv", r, "… и ещё 99950 ошибок")
    gencase("69-huge-cells-quoted", "csv", r, "7… (сообщение сокращено) (столбец «Первичный балл»)")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--gen":
        gen(sys.argv[2], sys.argv[3])
    else:
        main()
