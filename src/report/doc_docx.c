/*
 * DOCX renderer of the document model (WordprocessingML written by hand, zipped with libzip):
 * the department edits the доклад in Word (issue 15 item 5), so the file has real Word styles
 * (Title, Heading1–3, Normal, Caption, List Bullet, the «Table Grid» table style), real tables
 * (w:tbl, header rows repeated on every page with w:tblHeader, no row split across pages,
 * numbers right-aligned as the PDF formats them), A4 with the ГОСТ Р 7.0.97-2016 margins
 * (20/10/20/20 mm) and page numbers from the second page, centred at the top as in the PDF.
 * Charts are PNG pictures drawn by the same cairo backend as the PDF; text is never a picture.
 *
 * Deterministic: the zip entries carry the report's date (дд.мм.гггг) as their time and
 * docProps/core.xml its date as «created», so the same report gives the same bytes.
 */
#include "report/doc_internal.h"

#include "base/buf.h"
#include "base/mem.h"

#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

/* A4 in twentieths of a point; margins 20 mm left, 10 mm right, 20 mm top and bottom. */
enum { PAGE_W = 11906, PAGE_H = 16838, MAR_L = 1134, MAR_R = 567, MAR_TB = 1134 };
#define TEXT_W (PAGE_W - MAR_L - MAR_R) /* 10205 twips = 180 mm */
/* Charts are laid out this many units wide (the PDF's text width in points) and drawn at
 * PNG_SCALE pixels a unit (144 dpi at the printed size). */
#define CHART_W 510.0
#define PNG_SCALE 2.0
#define EMU_PER_PT 12700.0

static const char NS_W[] = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
static const char NS_R[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/* Text of s as runs: tabs and line breaks become w:tab and w:br, the soft hyphens of the
 * narrow headers w:softHyphen; everything else escaped (chart_xml_escape drops control
 * characters and repairs invalid UTF-8, so any text gives well-formed XML). rpr (may be
 * NULL) is the run's properties, e.g. «<w:rStyle w:val="Strong"/>». */
void doc_docx_runs(msk_buf *o, const char *s, const char *rpr)
{
    if (!s)
        return;
    msk_buf_printf(o, "<w:r>%s%s%s", rpr ? "<w:rPr>" : "", rpr ? rpr : "", rpr ? "</w:rPr>" : "");
    msk_buf seg;
    msk_buf_init(&seg, 0);
    for (;;) {
        size_t n = strcspn(s, "\n\t\xC2");
        if (s[n] == '\xC2' && (unsigned char)s[n + 1] != 0xAD) { /* another two-byte letter */
            msk_buf_add(&seg, s, n + 1);
            s += n + 1;
            continue;
        }
        msk_buf_add(&seg, s, n);
        if (seg.len) {
            msk_buf_puts(o, "<w:t xml:space=\"preserve\">");
            chart_xml_escape(o, seg.data);
            msk_buf_puts(o, "</w:t>");
            msk_buf_reset(&seg);
        }
        if (!s[n])
            break;
        msk_buf_puts(o, s[n] == '\n' ? "<w:br/>" : s[n] == '\t' ? "<w:tab/>" : "<w:softHyphen/>");
        s += n + (s[n] == '\xC2' ? 2 : 1);
    }
    msk_buf_release(&seg);
    msk_buf_puts(o, "</w:r>");
}

static void esc(msk_buf *o, const char *s)
{
    chart_xml_escape(o, s ? s : "");
}

/* A paragraph of style (NULL: Normal) with one run of text. */
static void para(msk_buf *o, const char *style, const char *ppr, const char *text)
{
    msk_buf_puts(o, "<w:p>");
    if (style || ppr) {
        msk_buf_puts(o, "<w:pPr>");
        if (style)
            msk_buf_printf(o, "<w:pStyle w:val=\"%s\"/>", style);
        if (ppr)
            msk_buf_puts(o, ppr);
        msk_buf_puts(o, "</w:pPr>");
    }
    doc_docx_runs(o, text, NULL);
    msk_buf_puts(o, "</w:p>\n");
}

/* ---- styles ------------------------------------------------------------------------------ */

/* Times New Roman: what a Russian department's Word has; Liberation Serif (the PDF's font) is
 * metric-compatible with it, so LibreOffice lays the file out the same. */
static const char *const styles_xml =
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" "
    "w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>"
    "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/><w:lang w:val=\"ru-RU\" w:eastAsia=\"ru-RU\" "
    "w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" "
    "w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\n"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
    "<w:qFormat/><w:pPr><w:spacing w:after=\"60\"/><w:ind w:firstLine=\"709\"/><w:jc "
    "w:val=\"both\"/></w:pPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing "
    "w:before=\"4800\" w:after=\"240\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/>"
    "</w:pPr><w:rPr><w:b/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:styleId=\"Subtitle\"><w:name w:val=\"Subtitle\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:ind "
    "w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr><w:rPr><w:sz w:val=\"28\"/></w:rPr>"
    "</w:style>\n"
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TitleDepartment\"><w:name "
    "w:val=\"Title Department\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:ind w:firstLine=\"0\"/>"
    "<w:jc w:val=\"center\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TitlePlace\"><w:name "
    "w:val=\"Title Place\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:spacing w:before=\"5600\"/>"
    "<w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr></w:style>\n"
    "%HEADINGS%"
    "<w:style w:type=\"paragraph\" w:styleId=\"TOCHeading\"><w:name w:val=\"TOC Heading\"/>"
    "<w:basedOn w:val=\"Heading1\"/><w:next w:val=\"Normal\"/><w:pPr><w:outlineLvl "
    "w:val=\"9\"/></w:pPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:styleId=\"TOC1\"><w:name w:val=\"toc 1\"/><w:basedOn "
    "w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:pPr><w:tabs><w:tab w:val=\"right\" "
    "w:leader=\"dot\" w:pos=\"10195\"/></w:tabs><w:spacing w:after=\"60\"/><w:ind "
    "w:firstLine=\"0\"/><w:jc w:val=\"left\"/></w:pPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:styleId=\"TOC2\"><w:name w:val=\"toc 2\"/><w:basedOn "
    "w:val=\"TOC1\"/><w:next w:val=\"Normal\"/><w:pPr><w:ind w:left=\"284\" "
    "w:firstLine=\"0\"/></w:pPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/>"
    "<w:spacing w:before=\"200\" w:after=\"60\"/><w:ind w:firstLine=\"0\"/><w:jc "
    "w:val=\"left\"/></w:pPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"FigureCaption\"><w:name "
    "w:val=\"Figure Caption\"/><w:basedOn w:val=\"Caption\"/><w:pPr><w:keepNext w:val=\"0\"/>"
    "<w:spacing w:before=\"60\" w:after=\"200\"/><w:jc w:val=\"center\"/></w:pPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"Figure\"><w:name "
    "w:val=\"Figure\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing "
    "w:before=\"120\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr>"
    "<w:ind w:left=\"357\" w:hanging=\"357\"/></w:pPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableText\"><w:name "
    "w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing "
    "w:after=\"0\"/><w:ind w:firstLine=\"0\"/><w:jc w:val=\"left\"/></w:pPr><w:rPr><w:sz "
    "w:val=\"20\"/><w:szCs w:val=\"20\"/></w:rPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableNumber\"><w:name "
    "w:val=\"Table Number\"/><w:basedOn w:val=\"TableText\"/><w:qFormat/><w:pPr><w:jc "
    "w:val=\"right\"/></w:pPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableHeading\"><w:name "
    "w:val=\"Table Heading\"/><w:basedOn w:val=\"TableText\"/><w:qFormat/><w:pPr><w:jc "
    "w:val=\"center\"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableNote\"><w:name "
    "w:val=\"Table Note\"/><w:basedOn w:val=\"TableText\"/><w:pPr><w:spacing w:before=\"40\" "
    "w:after=\"160\"/></w:pPr></w:style>\n"
    "<w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/><w:basedOn "
    "w:val=\"Normal\"/><w:pPr><w:ind w:firstLine=\"0\"/><w:jc w:val=\"center\"/></w:pPr>"
    "</w:style>\n"
    "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name "
    "w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/></w:style>\n"
    "<w:style w:type=\"character\" w:styleId=\"Strong\"><w:name w:val=\"Strong\"/><w:qFormat/>"
    "<w:rPr><w:b/><w:bCs/></w:rPr></w:style>\n"
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal "
    "Table\"/><w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top "
    "w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" "
    "w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\n"
    "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/>"
    "<w:basedOn w:val=\"TableNormal\"/><w:pPr><w:spacing w:after=\"0\"/><w:ind "
    "w:firstLine=\"0\"/></w:pPr><w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" "
    "w:space=\"0\" w:color=\"808080\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
    "w:color=\"808080\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
    "w:color=\"808080\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
    "w:color=\"808080\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
    "w:color=\"808080\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" "
    "w:color=\"808080\"/></w:tblBorders><w:tblCellMar><w:left w:w=\"57\" w:type=\"dxa\"/>"
    "<w:right w:w=\"57\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
    "<w:tblStylePr w:type=\"firstRow\"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val=\"clear\" "
    "w:color=\"auto\" w:fill=\"EEEEEE\"/><w:vAlign w:val=\"center\"/></w:tcPr></w:tblStylePr>"
    "</w:style>\n";

static void styles(msk_buf *o)
{
    msk_buf_printf(o,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<w:styles xmlns:w=\"%s\">\n",
                   NS_W);
    const char *mark = strstr(styles_xml, "%HEADINGS%");
    msk_buf_add(o, styles_xml, (size_t)(mark - styles_xml));
    static const int size[3] = {28, 26, 24};
    for (int l = 1; l <= 3; l++)
        msk_buf_printf(o,
                       "<w:style w:type=\"paragraph\" w:styleId=\"Heading%d\"><w:name "
                       "w:val=\"heading %d\"/><w:basedOn w:val=\"Normal\"/><w:next "
                       "w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/>"
                       "<w:spacing w:before=\"%d\" w:after=\"120\"/><w:ind w:firstLine=\"0\"/>"
                       "<w:jc w:val=\"left\"/><w:outlineLvl w:val=\"%d\"/></w:pPr><w:rPr><w:b/>"
                       "<w:bCs/><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr></w:style>\n",
                       l, l, l == 1 ? 360 : 240, l - 1, size[l - 1], size[l - 1]);
    msk_buf_puts(o, mark + strlen("%HEADINGS%"));
    msk_buf_puts(o, "</w:styles>\n");
}

static void numbering(msk_buf *o)
{
    msk_buf_printf(o,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<w:numbering xmlns:w=\"%s\"><w:abstractNum w:abstractNumId=\"0\">"
                   "<w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\"><w:start "
                   "w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"–\"/><w:lvlJc "
                   "w:val=\"left\"/><w:pPr><w:ind w:left=\"357\" w:hanging=\"357\"/></w:pPr>"
                   "</w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId "
                   "w:val=\"0\"/></w:num></w:numbering>\n",
                   NS_W);
}

/* ---- body -------------------------------------------------------------------------------- */

typedef struct png {
    msk_buf data;
    double w, h; /* points */
} png;

typedef struct dx {
    msk_buf o;
    png *img;
    size_t nimg;
    int toc; /* the document has a contents field */
} dx;

static cairo_status_t png_write(void *closure, const unsigned char *data, unsigned int len)
{
    msk_buf_add(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* The chart as a PNG (the PDF's cairo backend at PNG_SCALE pixels a unit). */
static int chart_png(const chart *c, png *out, char **desc, msk_err *err)
{
    chart_layout l;
    if (chart_layout_make(c, CHART_W, &l, err))
        return -1;
    int pw = (int)ceil(l.width * PNG_SCALE), ph = (int)ceil(l.height * PNG_SCALE);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    int rc = chart_layout_cairo(&l, cr, 0, 0, PNG_SCALE, "Liberation Serif", err);
    cairo_destroy(cr);
    msk_buf_init(&out->data, 0);
    if (rc == 0 && cairo_surface_write_to_png_stream(s, png_write, &out->data)) {
        rc = msk_error(err, "ошибка cairo при записи рисунка PNG");
    }
    cairo_surface_destroy(s);
    out->w = l.width;
    out->h = l.height;
    *desc = msk_strdup(l.desc ? l.desc : l.title ? l.title : "");
    chart_layout_release(&l);
    return rc;
}

static int figure(dx *x, const doc_block *b, msk_err *err)
{
    x->img = msk_reallocarray(x->img, x->nimg + 1, sizeof *x->img);
    png *p = &x->img[x->nimg];
    char *desc = NULL;
    if (chart_png(b->chart, p, &desc, err)) {
        msk_buf_release(&p->data);
        free(desc);
        return -1;
    }
    size_t n = ++x->nimg;
    /* a chart taller than the page's text with its caption is shown smaller, as the PDF draws
     * it (Word would cut an inline picture at the bottom margin) */
    double room = (PAGE_H - 2 * MAR_TB) / 20.0 - 60, scale = p->h > room ? room / p->h : 1;
    long long cx = llround(p->w * scale * EMU_PER_PT), cy = llround(p->h * scale * EMU_PER_PT);
    msk_buf *o = &x->o;
    msk_buf_printf(o,
                   "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing>"
                   "<wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent "
                   "cx=\"%lld\" cy=\"%lld\"/><wp:docPr id=\"%zu\" name=\"Рисунок %d\" descr=\"",
                   cx, cy, n, b->number);
    esc(o, desc);
    msk_buf_printf(o,
                   "\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/>"
                   "</wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://"
                   "schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr>"
                   "<pic:cNvPr id=\"%zu\" name=\"chart%zu.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
                   "<pic:blipFill><a:blip r:embed=\"rIdImg%zu\"/><a:stretch><a:fillRect/>"
                   "</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/>"
                   "<a:ext cx=\"%lld\" cy=\"%lld\"/></a:xfrm><a:prstGeom prst=\"rect\">"
                   "<a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>"
                   "</wp:inline></w:drawing></w:r></w:p>\n",
                   n, n, n, cx, cy);
    free(desc);
    msk_buf m;
    msk_buf_init(&m, 0);
    msk_buf_printf(&m, "Рисунок %d — %s", b->number, b->text);
    para(o, "FigureCaption", NULL, m.data);
    msk_buf_release(&m);
    return 0;
}

/* Column widths in twips summing to the text width: the model's weights, or (none given) the
 * content's length — numbers their widest value, text its length up to 40 characters. */
static void col_widths(const doc_table *t, int *w)
{
    double want[256], sum = 0, wsum = 0;
    for (size_t c = 0; c < t->ncols; c++)
        wsum += t->cols[c].weight;
    for (size_t c = 0; c < t->ncols; c++) {
        double chars = 4;
        for (size_t r = 0; r < t->nhdr; r++) { /* the longest header word (or syllable) */
            size_t k = 0;
            for (const char *s = t->hdr[r * t->ncols + c]; *s; s++) {
                if (*s == ' ' || (s[0] == '\xC2' && (unsigned char)s[1] == 0xAD))
                    k = 0;
                else
                    k += ((unsigned char)*s & 0xC0) != 0x80;
                chars = fmax(chars, (double)k * 1.1);
            }
        }
        for (size_t r = 0; r < t->nrows && r < 200; r++) {
            const char *s = t->cells[r * t->ncols + c].text;
            size_t k = 0;
            for (; s && *s; s++)
                k += ((unsigned char)*s & 0xC0) != 0x80;
            chars = fmax(chars, fmin((double)k, t->cols[c].kind == DOC_TEXT ? 40 : 16));
        }
        if (wsum > 0)
            want[c] = t->cols[c].weight > 0 ? t->cols[c].weight : wsum / (double)t->ncols;
        else
            want[c] = chars;
        sum += want[c];
    }
    int used = 0;
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = c + 1 == t->ncols ? TEXT_W - used : (int)(TEXT_W * want[c] / sum);
        used += w[c];
    }
}

static void cell(msk_buf *o, int width, const char *style, int total, const char *text)
{
    msk_buf_printf(o, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", width);
    if (total) /* the totals row set apart by a rule, not by colour */
        msk_buf_puts(o, "<w:tcBorders><w:top w:val=\"single\" w:sz=\"12\" w:space=\"0\" "
                        "w:color=\"1A1A1A\"/></w:tcBorders>");
    msk_buf_printf(o, "</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
    doc_docx_runs(o, text, total ? "<w:rStyle w:val=\"Strong\"/>" : NULL);
    msk_buf_puts(o, "</w:p></w:tc>");
}

static void table(msk_buf *o, const doc_table *t)
{
    msk_buf cap;
    msk_buf_init(&cap, 0);
    msk_buf_printf(&cap, "Таблица %d — %s", t->number, t->caption);
    para(o, "Caption", NULL, cap.data);
    msk_buf_release(&cap);
    int w[256];
    col_widths(t, w);
    msk_buf_printf(o,
                   "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"%d\" "
                   "w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" "
                   "w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" "
                   "w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
                   TEXT_W);
    for (size_t c = 0; c < t->ncols; c++)
        msk_buf_printf(o, "<w:gridCol w:w=\"%d\"/>", w[c]);
    msk_buf_puts(o, "</w:tblGrid>\n");
    for (size_t r = 0; r < t->nhdr; r++) {
        /* repeated at the top of every page the table reaches */
        msk_buf_puts(o, "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (size_t c = 0; c < t->ncols; c++)
            cell(o, w[c], "TableHeading", 0, t->hdr[r * t->ncols + c]);
        msk_buf_puts(o, "</w:tr>\n");
    }
    for (size_t r = 0; r < t->nrows; r++) {
        msk_buf_puts(o, "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (size_t c = 0; c < t->ncols; c++) {
            const doc_cell *cl = &t->cells[r * t->ncols + c];
            cell(o, w[c], t->cols[c].kind == DOC_TEXT ? "TableText" : "TableNumber", t->total[r],
                 cl->text ? cl->text : "");
        }
        msk_buf_puts(o, "</w:tr>\n");
    }
    msk_buf_puts(o, "</w:tbl>\n");
    if (t->note)
        para(o, "TableNote", NULL, t->note);
    else
        para(o, "TableNote", NULL, "");
}

static void title_page(msk_buf *o, const doc *d)
{
    para(o, "TitleDepartment", NULL, d->dept ? d->dept : "");
    para(o, "Title", NULL, d->name ? d->name : "");
    if (d->sub)
        para(o, "Subtitle", NULL, d->sub);
    msk_buf_puts(o, "<w:p><w:pPr><w:pStyle w:val=\"TitlePlace\"/></w:pPr>");
    doc_docx_runs(o, d->place ? d->place : "", NULL);
    msk_buf_puts(o, "<w:r><w:br/></w:r>");
    doc_docx_runs(o, d->date ? d->date : "", NULL);
    msk_buf_puts(o, "<w:r><w:br w:type=\"page\"/></w:r></w:p>\n");
}

/* The contents: Word's TOC field (Word fills in the pages when it updates fields — settings.xml
 * asks it to on opening), with the headings written in as the field's current result. */
static void contents(dx *x, const doc *d)
{
    msk_buf *o = &x->o;
    x->toc = 1;
    para(o, "TOCHeading", NULL, "Содержание");
    int first = 1;
    for (size_t i = 0; i < d->n; i++) {
        const doc_block *b = &d->b[i];
        if (b->kind != DB_SECTION || b->level > 2)
            continue;
        msk_buf_printf(o, "<w:p><w:pPr><w:pStyle w:val=\"TOC%d\"/></w:pPr>", b->level);
        if (first)
            msk_buf_puts(o, "<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>"
                            "<w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-2\" \\h \\z "
                            "\\u </w:instrText></w:r><w:r><w:fldChar "
                            "w:fldCharType=\"separate\"/></w:r>");
        first = 0;
        msk_buf m;
        msk_buf_init(&m, 0);
        msk_buf_printf(&m, "%s %s", b->num, b->text);
        doc_docx_runs(o, m.data, NULL);
        msk_buf_release(&m);
        msk_buf_puts(o, "</w:p>\n");
    }
    if (first) /* no headings: an empty field */
        msk_buf_puts(o, "<w:p><w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>"
                        "<w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-2\" \\h \\z \\u "
                        "</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                        "</w:p>\n");
    msk_buf_puts(o, "<w:p><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
                    "<w:r><w:br w:type=\"page\"/></w:r></w:p>\n");
}

static int body(dx *x, const doc *d, msk_err *err)
{
    msk_buf *o = &x->o;
    msk_buf_printf(o,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<w:document xmlns:w=\"%s\" xmlns:r=\"%s\" xmlns:wp=\"http://"
                   "schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
                   "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
                   "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
                   "<w:body>\n",
                   NS_W, NS_R);
    title_page(o, d);
    for (size_t i = 0; i < d->n; i++) {
        const doc_block *b = &d->b[i];
        switch (b->kind) {
        case DB_SECTION: {
            char style[16];
            snprintf(style, sizeof style, "Heading%d", b->level);
            msk_buf m;
            msk_buf_init(&m, 0);
            msk_buf_printf(&m, "%s %s", b->num, b->text);
            para(o, style, NULL, m.data);
            msk_buf_release(&m);
            break;
        }
        case DB_PARA:
        case DB_ITEM:
            msk_buf_puts(o, b->kind == DB_ITEM ? "<w:p><w:pPr><w:pStyle w:val=\"ListBullet\"/>"
                                                 "</w:pPr>"
                                               : "<w:p>");
            if (b->lead) {
                doc_docx_runs(o, b->lead, "<w:rStyle w:val=\"Strong\"/>");
                doc_docx_runs(o, " ", NULL);
            }
            doc_docx_runs(o, b->text, NULL);
            msk_buf_puts(o, "</w:p>\n");
            break;
        case DB_FIGURE:
            if (figure(x, b, err))
                return -1;
            break;
        case DB_CONTENTS:
            contents(x, d);
            break;
        default:
            table(o, b->table);
            break;
        }
    }
    msk_buf_printf(o,
                   "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
                   "<w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" "
                   "w:bottom=\"%d\" w:left=\"%d\" w:header=\"567\" w:footer=\"567\" "
                   "w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/><w:titlePg/></w:sectPr>"
                   "</w:body></w:document>\n",
                   PAGE_W, PAGE_H, MAR_TB, MAR_R, MAR_TB, MAR_L);
    return 0;
}

/* ---- the package ------------------------------------------------------------------------- */

/* The report's date дд.мм.гггг as y, m, d; 0 when it is one, else -1. */
static int report_date(const doc *d, int *y, int *m, int *dd)
{
    if (!d->date || sscanf(d->date, "%2d.%2d.%4d", dd, m, y) != 3 || *y < 1980 || *y > 2107 ||
        *m < 1 || *m > 12 || *dd < 1 || *dd > 31)
        return -1;
    return 0;
}

static void core(msk_buf *o, const doc *d, int y, int m, int dd)
{
    msk_buf_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/"
                    "2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
                    "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/"
                    "2001/XMLSchema-instance\"><dc:title>");
    esc(o, d->name);
    if (d->sub) {
        msk_buf_puts(o, " — ");
        esc(o, d->sub);
    }
    msk_buf_puts(o, "</dc:title><dc:creator>");
    esc(o, d->dept);
    msk_buf_puts(o, "</dc:creator><dc:language>ru-RU</dc:language>");
    msk_buf_printf(o,
                   "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%04d-%02d-%02dT00:00:00Z"
                   "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">"
                   "%04d-%02d-%02dT00:00:00Z</dcterms:modified></cp:coreProperties>\n",
                   y, m, dd, y, m, dd);
}

static void rels(msk_buf *o, const dx *x)
{
    msk_buf_puts(o, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                    "relationships\">");
    static const char *const own[][2] = {{"rIdStyles", "styles"},
                                         {"rIdSettings", "settings"},
                                         {"rIdNumbering", "numbering"},
                                         {"rIdHeader", "header"}};
    for (size_t i = 0; i < 4; i++)
        msk_buf_printf(o,
                       "<Relationship Id=\"%s\" Type=\"http://schemas.openxmlformats.org/"
                       "officeDocument/2006/relationships/%s\" Target=\"%s%s.xml\"/>",
                       own[i][0], own[i][1], own[i][1], i == 3 ? "1" : "");
    for (size_t i = 1; i <= x->nimg; i++)
        msk_buf_printf(o,
                       "<Relationship Id=\"rIdImg%zu\" Type=\"http://schemas.openxmlformats.org/"
                       "officeDocument/2006/relationships/image\" Target=\"media/chart%zu.png\"/>",
                       i, i);
    msk_buf_puts(o, "</Relationships>\n");
}

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
    "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Default Extension=\"png\" ContentType=\"image/png\"/>"
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.wordprocessingml.settings+xml\"/>"
    "<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.wordprocessingml.numbering+xml\"/>"
    "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-"
    "package.core-properties+xml\"/>"
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.extended-properties+xml\"/></Types>\n";

static const char root_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
    "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>\n";

static const char app_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-"
    "properties\"><Application>msoko</Application></Properties>\n";

/* The page number, centred at the top; the title page (w:titlePg) has none (ГОСТ Р
 * 7.0.97-2016, as the PDF). */
static void header(msk_buf *o)
{
    msk_buf_printf(o,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                   "<w:hdr xmlns:w=\"%s\"><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>"
                   "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText "
                   "xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar "
                   "w:fldCharType=\"separate\"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar "
                   "w:fldCharType=\"end\"/></w:r></w:p></w:hdr>\n",
                   NS_W);
}

/* Word reads settings.xml in the schema's order: updateFields after the tab stop and before
 * compat. */
static void settings(msk_buf *o, int toc)
{
    msk_buf_printf(
        o,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:settings xmlns:w=\"%s\"><w:defaultTabStop w:val=\"709\"/>"
        "<w:characterSpacingControl w:val=\"doNotCompress\"/>%s<w:compat><w:compatSetting "
        "w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" "
        "w:val=\"15\"/></w:compat></w:settings>\n",
        NS_W, toc ? "<w:updateFields w:val=\"true\"/>" : "");
}

/* Add a part to the zip with time mtime; the data is copied. 0 or -1. */
static int add_part(zip_t *z, const char *name, const void *data, size_t len, time_t mtime)
{
    void *copy = msk_malloc(len ? len : 1);
    memcpy(copy, data, len);
    zip_source_t *src = zip_source_buffer(z, copy, len, 1);
    if (!src) {
        free(copy);
        return -1;
    }
    zip_int64_t i = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (i < 0) {
        zip_source_free(src);
        return -1;
    }
    return zip_file_set_mtime(z, (zip_uint64_t)i, mtime, 0) ? -1 : 0;
}

static int add_buf(zip_t *z, const char *name, msk_buf *b, time_t mtime)
{
    int rc = add_part(z, name, b->data ? b->data : "", b->len, mtime);
    msk_buf_reset(b);
    return rc;
}

/* Long: the parts of the package in their order, each checked, then the rename. */
int doc_docx(const doc *d, const char *path, msk_err *err)
{
    int rc = -1, y = 1980, m = 1, dd = 1;
    if (report_date(d, &y, &m, &dd)) { /* no date of its own: today */
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        y = tm.tm_year + 1900, m = tm.tm_mon + 1, dd = tm.tm_mday;
    }
    /* noon, so that the zip's local DOS time gives the same day in any time zone */
    struct tm tm = {
        .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = dd, .tm_hour = 12, .tm_isdst = -1};
    time_t mtime = mktime(&tm);
    dx x;
    memset(&x, 0, sizeof x);
    msk_buf_init(&x.o, 0);
    msk_buf tmp, part;
    msk_buf_init(&tmp, 0);
    msk_buf_init(&part, 0);
    msk_buf_printf(&tmp, "%s.tmp", path);
    zip_t *z = NULL;
    if (body(&x, d, err))
        goto out;
    int ze = 0;
    z = zip_open(tmp.data, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (!z) {
        zip_error_t zerr;
        zip_error_init_with_code(&zerr, ze);
        msk_error_at(err, path, 0, 0, "не удалось создать файл DOCX: %s",
                     zip_error_strerror(&zerr));
        zip_error_fini(&zerr);
        goto out;
    }
    int bad = add_part(z, "[Content_Types].xml", content_types, strlen(content_types), mtime) ||
              add_part(z, "_rels/.rels", root_rels, strlen(root_rels), mtime);
    core(&part, d, y, m, dd);
    bad = bad || add_buf(z, "docProps/core.xml", &part, mtime) ||
          add_part(z, "docProps/app.xml", app_xml, strlen(app_xml), mtime) ||
          add_buf(z, "word/document.xml", &x.o, mtime);
    styles(&part);
    bad = bad || add_buf(z, "word/styles.xml", &part, mtime);
    settings(&part, x.toc);
    bad = bad || add_buf(z, "word/settings.xml", &part, mtime);
    numbering(&part);
    bad = bad || add_buf(z, "word/numbering.xml", &part, mtime);
    header(&part);
    bad = bad || add_buf(z, "word/header1.xml", &part, mtime);
    rels(&part, &x);
    bad = bad || add_buf(z, "word/_rels/document.xml.rels", &part, mtime);
    for (size_t i = 0; i < x.nimg && !bad; i++) {
        char name[64];
        snprintf(name, sizeof name, "word/media/chart%zu.png", i + 1);
        bad = add_part(z, name, x.img[i].data.data, x.img[i].data.len, mtime);
        if (!bad) /* PNG is compressed already */
            zip_set_file_compression(z, (zip_uint64_t)zip_name_locate(z, name, 0), ZIP_CM_STORE, 0);
    }
    if (bad) {
        msk_error_at(err, path, 0, 0, "ошибка записи DOCX: %s", zip_strerror(z));
        zip_discard(z);
        z = NULL;
        goto out;
    }
    int closed = zip_close(z);
    if (closed) {
        msk_error_at(err, path, 0, 0, "ошибка записи DOCX: %s", zip_strerror(z));
        zip_discard(z);
    }
    z = NULL;
    if (closed)
        goto out;
    if (rename(tmp.data, path)) {
        msk_error_at(err, path, 0, 0, "не удалось записать файл: %s", strerror(errno));
        goto out;
    }
    rc = 0;
out:
    if (z)
        zip_discard(z);
    for (size_t i = 0; i < x.nimg; i++)
        msk_buf_release(&x.img[i].data);
    free(x.img);
    msk_buf_release(&x.o);
    msk_buf_release(&part);
    if (rc)
        unlink(tmp.data);
    msk_buf_release(&tmp);
    return rc;
}
