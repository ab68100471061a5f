/* fwr-evidence-pdf.c: the evidence report rendered to PDF with cairo and pango, from the same
 * blocks as the HTML, on A4 pages; text stays text (selectable, searchable, extractable). */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "fwr-evidence-private.h"

#define PAGE_WIDTH 595.276   /* A4 in points */
#define PAGE_HEIGHT 841.89
#define MARGIN 48.0
#define CELL_PADDING 3.0

typedef struct {
  cairo_surface_t *surface;
  cairo_t *cr;
  PangoContext *context;    /* at 72 dpi: font sizes are the page's points */
  double y;                 /* the next line's top */
} Pdf;

typedef struct {
  const char *font;
  double before;            /* space above the block */
  double after;             /* space below it */
  double red, green, blue;
} Style;

static const Style styles[] = {
  [FWR_DOC_TITLE] = { "Sans Bold 18", 0, 8, 0.07, 0.07, 0.07 },
  [FWR_DOC_HEADING] = { "Sans Bold 13", 14, 5, 0.07, 0.07, 0.07 },
  [FWR_DOC_SUBHEADING] = { "Sans Bold 11", 9, 3, 0.07, 0.07, 0.07 },
  [FWR_DOC_TEXT] = { "Sans 9.5", 0, 4, 0.07, 0.07, 0.07 },
  [FWR_DOC_CLAUSE] = { "Sans Italic 9", 2, 5, 0.08, 0.31, 0.55 },
  [FWR_DOC_CODE] = { "Monospace 7.5", 2, 5, 0.1, 0.1, 0.1 },
  [FWR_DOC_TABLE] = { "Sans 8", 2, 6, 0.07, 0.07, 0.07 },
};

static double
content_width (void)
{
  return PAGE_WIDTH - 2 * MARGIN;
}

static void
new_page_if_needed (Pdf *pdf, double height)
{
  if (pdf->y + height <= PAGE_HEIGHT - MARGIN || pdf->y <= MARGIN)
    return;
  cairo_show_page (pdf->cr);
  pdf->y = MARGIN;
}

/* Words are never hyphenated, so the PDF's words are the HTML's. */
static PangoLayout *
layout_new (Pdf *pdf, const char *text, const char *font, double width)
{
  PangoLayout *layout = pango_layout_new (pdf->context);
  PangoFontDescription *description = pango_font_description_from_string (font);
  PangoAttrList *attributes = pango_attr_list_new ();
  pango_attr_list_insert (attributes, pango_attr_insert_hyphens_new (FALSE));
  pango_layout_set_attributes (layout, attributes);
  pango_attr_list_unref (attributes);
  pango_layout_set_font_description (layout, description);
  pango_font_description_free (description);
  pango_layout_set_width (layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Draws a layout line by line, so a long paragraph or listing flows onto the next page. */
static void
draw_flowing (Pdf *pdf, PangoLayout *layout, double x)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  do
    {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      double height = (double) logical.height / PANGO_SCALE;
      double baseline = (double) (pango_layout_iter_get_baseline (iter) - logical.y) / PANGO_SCALE;
      new_page_if_needed (pdf, height);
      cairo_move_to (pdf->cr, x + (double) logical.x / PANGO_SCALE, pdf->y + baseline);
      pango_cairo_show_layout_line (pdf->cr, pango_layout_iter_get_line_readonly (iter));
      pdf->y += height;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

static void
draw_text_block (Pdf *pdf, const FwrDocBlock *block)
{
  const Style *style = &styles[block->kind];
  double indent = block->kind == FWR_DOC_CLAUSE || block->kind == FWR_DOC_CODE ? 8 : 0;
  g_autoptr (PangoLayout) layout = layout_new (pdf, block->text, style->font, content_width () - indent);
  pdf->y += style->before;
  double top = pdf->y;
  cairo_set_source_rgb (pdf->cr, style->red, style->green, style->blue);
  draw_flowing (pdf, layout, MARGIN + indent);
  if (block->kind == FWR_DOC_CLAUSE && pdf->y > top)
    {
      cairo_set_line_width (pdf->cr, 2);
      cairo_move_to (pdf->cr, MARGIN + 2, top);
      cairo_line_to (pdf->cr, MARGIN + 2, pdf->y);
      cairo_stroke (pdf->cr);
    }
  if (block->kind == FWR_DOC_HEADING)
    {
      cairo_set_source_rgb (pdf->cr, 0.6, 0.6, 0.6);
      cairo_set_line_width (pdf->cr, 0.6);
      cairo_move_to (pdf->cr, MARGIN, pdf->y + 1.5);
      cairo_line_to (pdf->cr, PAGE_WIDTH - MARGIN, pdf->y + 1.5);
      cairo_stroke (pdf->cr);
    }
  pdf->y += style->after;
}

/* Tables */

static const char *
cell (const FwrDocBlock *table, guint row, guint column)
{
  return g_ptr_array_index (table->cells, row * table->n_columns + column);
}

static double
natural_width (Pdf *pdf, const char *text, const char *font)
{
  g_autoptr (PangoLayout) layout = layout_new (pdf, text, font, -1);
  pango_layout_set_width (layout, -1);
  int width = 0;
  pango_layout_get_size (layout, &width, NULL);
  /* A point more than measured: a layout exactly as wide as its text may still wrap it. */
  return (double) width / PANGO_SCALE + 2 * CELL_PADDING + 1;
}

/* The widest word of text: a column narrower than that would break words. */
static double
widest_word (Pdf *pdf, const char *text, const char *font)
{
  g_auto (GStrv) words = g_strsplit_set (text, " \n", -1);
  double widest = 0;
  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      widest = MAX (widest, natural_width (pdf, words[i], font));
  return widest;
}

/* As browsers lay out tables: each column at least its widest word, at most its longest cell;
 * the room between shared in proportion to what each column would still take. */
static void
column_widths (Pdf *pdf, const FwrDocBlock *table, double *widths)
{
  guint n_rows = table->cells->len / table->n_columns;
  g_autofree double *least = g_new0 (double, table->n_columns);
  double sum_least = 0, sum_most = 0, available = content_width ();
  for (guint c = 0; c < table->n_columns; c++)
    {
      widths[c] = 0;
      for (guint r = 0; r < n_rows; r++)
        {
          const char *font = r == 0 ? "Sans Bold 8" : "Sans 8";
          widths[c] = MAX (widths[c], natural_width (pdf, cell (table, r, c), font));
          least[c] = MAX (least[c], widest_word (pdf, cell (table, r, c), font));
        }
      sum_least += least[c];
      sum_most += widths[c];
    }
  if (sum_most <= available)
    {
      widths[table->n_columns - 1] += available - sum_most;
      return;
    }
  for (guint c = 0; c < table->n_columns; c++)
    widths[c] = sum_least >= available
                ? least[c] * available / sum_least
                : least[c] + (widths[c] - least[c]) * (available - sum_least) / (sum_most - sum_least);
}

/* (transfer full) The row's cell layouts; *height is the row's. */
static GPtrArray *
row_layouts (Pdf *pdf, const FwrDocBlock *table, guint row, const double *widths, double *height)
{
  GPtrArray *layouts = g_ptr_array_new_with_free_func (g_object_unref);
  *height = 0;
  for (guint c = 0; c < table->n_columns; c++)
    {
      PangoLayout *layout = layout_new (pdf, cell (table, row, c), row == 0 ? "Sans Bold 8" : "Sans 8",
                                        widths[c] - 2 * CELL_PADDING);
      int h = 0;
      pango_layout_get_size (layout, NULL, &h);
      *height = MAX (*height, (double) h / PANGO_SCALE + 2 * CELL_PADDING);
      g_ptr_array_add (layouts, layout);
    }
  return layouts;
}

static void
draw_row (Pdf *pdf, const FwrDocBlock *table, guint row, const double *widths)
{
  double height = 0;
  g_autoptr (GPtrArray) layouts = row_layouts (pdf, table, row, widths, &height);
  /* A header never ends a page alone: it goes with the first row. */
  if (row == 0 && table->cells->len / table->n_columns > 1)
    {
      double first = 0;
      /* Only the first row's height is wanted here; it is laid out again when drawn. */
      g_ptr_array_unref (row_layouts (pdf, table, 1, widths, &first));
      new_page_if_needed (pdf, height + first);
    }
  new_page_if_needed (pdf, height);
  double x = MARGIN;
  for (guint c = 0; c < table->n_columns; c++)
    {
      cairo_rectangle (pdf->cr, x, pdf->y, widths[c], height);
      if (row == 0)
        {
          cairo_set_source_rgb (pdf->cr, 0.91, 0.91, 0.91);
          cairo_fill_preserve (pdf->cr);
        }
      cairo_set_source_rgb (pdf->cr, 0.73, 0.73, 0.73);
      cairo_set_line_width (pdf->cr, 0.5);
      cairo_stroke (pdf->cr);
      cairo_set_source_rgb (pdf->cr, 0.07, 0.07, 0.07);
      cairo_move_to (pdf->cr, x + CELL_PADDING, pdf->y + CELL_PADDING);
      pango_cairo_show_layout (pdf->cr, g_ptr_array_index (layouts, c));
      x += widths[c];
    }
  pdf->y += height;
}

static void
draw_table (Pdf *pdf, const FwrDocBlock *table)
{
  g_autofree double *widths = g_new0 (double, table->n_columns);
  column_widths (pdf, table, widths);
  pdf->y += styles[FWR_DOC_TABLE].before;
  for (guint row = 0; row < table->cells->len / table->n_columns; row++)
    draw_row (pdf, table, row, widths);
  pdf->y += styles[FWR_DOC_TABLE].after;
}

gboolean
_fwr_doc_write_pdf (const FwrDoc *doc, const char *path, GError **error)
{
  Pdf pdf = { .y = MARGIN };
  pdf.surface = cairo_pdf_surface_create (path, PAGE_WIDTH, PAGE_HEIGHT);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_TITLE, doc->title);
  cairo_pdf_surface_set_metadata (pdf.surface, CAIRO_PDF_METADATA_CREATOR, "fwreview");
  pdf.cr = cairo_create (pdf.surface);
  pdf.context = pango_cairo_create_context (pdf.cr);
  pango_cairo_context_set_resolution (pdf.context, 72);
  for (guint i = 0; i < doc->blocks->len; i++)
    {
      const FwrDocBlock *block = g_ptr_array_index (doc->blocks, i);
      if (block->kind == FWR_DOC_TABLE)
        draw_table (&pdf, block);
      else
        draw_text_block (&pdf, block);
    }
  g_object_unref (pdf.context);
  cairo_destroy (pdf.cr);
  cairo_surface_finish (pdf.surface);
  cairo_status_t status = cairo_surface_status (pdf.surface);
  cairo_surface_destroy (pdf.surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, FWR_EVIDENCE_ERROR, FWR_EVIDENCE_ERROR_IO, "%s: cannot write the PDF: %s",
                   path, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}
