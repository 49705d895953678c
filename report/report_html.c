/* report/report_html.c - a dp_report as one self-contained HTML page:
 * inline CSS and SVG bar charts (real vs synthetic), no script, no link
 * (see report_render.h). */
#include <stdio.h>
#include <string.h>
#include "report_render.h"

/* Pairs listed as the ones that kept their relationship least. */
#define WORST_PAIRS 10
/* Characters of a bar's label under a chart. */
#define LABEL_CHARS 14

/* Appends keep the first error; later ones are skipped. */
typedef struct page {
	dp_buf *b;
	int rc;
} page;

#define EMIT(pg, call) do { if (!(pg)->rc) (pg)->rc = (call); } while (0)

static void esc(page *pg, const char *s, size_t n)
{
	for (size_t i = 0; i < n && !pg->rc; i++) {
		const char *e = s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : s[i] == '&' ? "&amp;" :
				s[i] == '"' ? "&quot;" : NULL;
		pg->rc = e ? dp_buf_puts(pg->b, e) : dp_buf_append(pg->b, &s[i], 1);
	}
}

static void esc_str(page *pg, const char *s)
{
	if (s)
		esc(pg, s, strlen(s));
}

/* A bar chart of two distributions (real, synthetic) over k labels
 * (labels or labels[i] may be NULL: no label). */
static void svg_bars(page *pg, const char *const *labels, const double *real, const double *syn, int k)
{
	double mx = 1e-12;
	int w = 36, H = 120;

	for (int i = 0; i < k; i++) {
		if (real[i] > mx) mx = real[i];
		if (syn[i] > mx) mx = syn[i];
	}
	EMIT(pg, dp_buf_printf(pg->b, "<svg width=\"%d\" height=\"%d\" role=\"img\">", k * w + 10, H + 70));
	for (int i = 0; i < k; i++) {
		double hr = real[i] / mx * H, hs = syn[i] / mx * H;
		EMIT(pg, dp_buf_printf(pg->b, "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"%.1f\" fill=\"#4c78a8\"><title>real %.3f</title></rect>"
				       "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"%.1f\" fill=\"#f58518\"><title>synthetic %.3f</title></rect>",
				       5 + i * w, H - hr, hr, real[i], 5 + i * w + 15, H - hs, hs, syn[i]));
		if (labels && labels[i]) {
			size_t n = strlen(labels[i]);
			EMIT(pg, dp_buf_printf(pg->b, "<text x=\"%d\" y=\"%d\" font-size=\"9\" transform=\"rotate(45 %d %d)\">",
					       5 + i * w, H + 12, 5 + i * w, H + 12));
			esc(pg, labels[i], n > LABEL_CHARS ? LABEL_CHARS : n);
			EMIT(pg, dp_buf_puts(pg->b, "</text>"));
		}
	}
	EMIT(pg, dp_buf_puts(pg->b, "</svg>"));
}

static void column_html(page *pg, const dp_report_column *c)
{
	EMIT(pg, dp_buf_puts(pg->b, "<figure><figcaption>"));
	esc_str(pg, c->column);
	if (c->kind == DP_CK_CATEGORICAL) {
		const char *labels[DP_REPORT_MAX_BARS];
		for (int k = 0; k < c->nbars; k++)
			labels[k] = c->value[k] ? c->value[k] : "(null)";
		EMIT(pg, dp_buf_printf(pg->b, " - categorical, 1 - TVD = %.3f</figcaption>", c->score));
		svg_bars(pg, labels, c->real, c->synthetic, c->nbars);
	} else {
		/* bins over [real_min, real_max]; every 4th labelled with its low end */
		const char *labels[DP_REPORT_MAX_BARS];
		char lb[DP_REPORT_MAX_BARS][64];
		double lo = c->real_min, hi = c->real_max;
		for (int k = 0; k < c->nbars; k++) {
			double x = lo + (hi - lo) * k / DP_REPORT_HIST_BINS;
			labels[k] = NULL;
			if (k % 4)
				continue;
			if (c->kind == DP_CK_DATETIME)
				dp_dt_format(x, &(dp_dtfmt){0, 0, ' ', ""}, lb[k], sizeof(lb[k]));
			else
				snprintf(lb[k], sizeof(lb[k]), "%.4g", x);
			labels[k] = lb[k];
		}
		EMIT(pg, dp_buf_printf(pg->b, " - %s, 1 - KS = %.3f</figcaption>", dp_ckind_name(c->kind), c->score));
		svg_bars(pg, labels, c->real, c->synthetic, c->nbars);
	}
	EMIT(pg, dp_buf_puts(pg->b, "</figure>"));
}

/* The pairs that kept their relationship least, worst first (ties: in
 * model order). */
static void worst_pairs_html(page *pg, const dp_report_table *t)
{
	const dp_report_pair *pa[WORST_PAIRS] = {NULL};
	int np = 0;

	for (size_t i = 0; i < t->npairs; i++) {
		const dp_report_pair *it = &t->pairs[i];
		int pos = np;
		while (pos > 0 && pa[pos - 1]->score > it->score)
			pos--;
		if (pos >= WORST_PAIRS)
			continue;
		if (np < WORST_PAIRS)
			np++;
		memmove(&pa[pos + 1], &pa[pos], (size_t)(np - 1 - pos) * sizeof(pa[0]));
		pa[pos] = it;
	}
	EMIT(pg, dp_buf_puts(pg->b, "<table><caption>Column pairs that kept their relationship least</caption>"
			     "<tr><th>columns</th><th>metric</th><th>score</th></tr>"));
	for (int q = 0; q < np; q++) {
		EMIT(pg, dp_buf_puts(pg->b, "<tr><td>"));
		esc_str(pg, pa[q]->column[0]);
		EMIT(pg, dp_buf_puts(pg->b, " &times; "));
		esc_str(pg, pa[q]->column[1]);
		EMIT(pg, dp_buf_printf(pg->b, "</td><td>%s</td><td>%.3f</td></tr>",
				       dp_report_metric_name(pa[q]->metric), pa[q]->score));
	}
	EMIT(pg, dp_buf_puts(pg->b, "</table>"));
}

static void children_html(page *pg, const dp_report_children *ch)
{
	const char *labels[DP_REPORT_CHILD_BINS];
	char lb[DP_REPORT_CHILD_BINS][8];

	for (int q = 0; q < DP_REPORT_CHILD_BINS; q++) {
		snprintf(lb[q], sizeof(lb[q]), q < DP_REPORT_CHILD_BINS - 1 ? "%d" : "%d+", q);
		labels[q] = lb[q];
	}
	/* the parent's name is escaped like every other name on the page */
	EMIT(pg, dp_buf_puts(pg->b, "<figure><figcaption>children per "));
	esc_str(pg, ch->parent ? ch->parent : "");
	EMIT(pg, dp_buf_printf(pg->b, " row, 1 - KS = %.3f</figcaption>", ch->score));
	svg_bars(pg, labels, ch->real, ch->synthetic, DP_REPORT_CHILD_BINS);
	EMIT(pg, dp_buf_puts(pg->b, "</figure>"));
}

static void table_html(page *pg, const dp_report_table *t)
{
	const dp_report_scores *sc = &t->scores;

	EMIT(pg, dp_buf_puts(pg->b, "<section><h2>"));
	esc_str(pg, t->name);
	if (t->not_modelled) {
		EMIT(pg, dp_buf_puts(pg->b, "</h2><p>Not modelled: "));
		esc_str(pg, t->not_modelled);
		EMIT(pg, dp_buf_puts(pg->b, "</p></section>"));
		return;
	}
	EMIT(pg, dp_buf_printf(pg->b, "</h2><p>%zu training rows, %zu holdout rows, %lld synthetic rows "
			       "(%zu scored); training %.2f s, generation %.2f s.</p><p>",
			       t->training_rows, t->holdout_rows, (long long)t->synthetic_rows,
			       t->scored_rows, t->training_seconds, t->generation_seconds));
	esc_str(pg, t->model);
	EMIT(pg, dp_buf_puts(pg->b, "</p><div class=\"cols\">"));
	for (size_t i = 0; i < t->ncolumns; i++)
		column_html(pg, &t->columns[i]);
	EMIT(pg, dp_buf_puts(pg->b, "</div>"));
	if (t->npairs)
		worst_pairs_html(pg, t);
	if (t->has_children)
		children_html(pg, &t->children);
	if (t->has_privacy)
		EMIT(pg, dp_buf_printf(pg->b, "<p>Privacy: %.4f of synthetic rows are identical to a training row "
				       "(holdout baseline %.4f); DCR share %s%.3f (0.5 = as close to unseen "
				       "rows as to training rows; holdout of %zu rows).</p>",
				       sc->identical, sc->identical_holdout, sc->dcr_share < 0 ? "n/a " : "",
				       sc->dcr_share < 0 ? 0 : sc->dcr_share, sc->nholdout));
	EMIT(pg, dp_buf_printf(pg->b, "<p class=\"q\">Quality %.3f (Column Shapes %.3f, Column Pair Trends %.3f)</p>",
			       sc->quality, sc->shapes, sc->pairs));
	EMIT(pg, dp_buf_puts(pg->b, "</section>"));
}

int dp_report_render_html(const dp_report *r, dp_buf *out)
{
	page pg = { out, DP_OK };
	int nq;
	double q = dp_report_quality(r, &nq);

	EMIT(&pg, dp_buf_printf(out, "<!doctype html><html><head><meta charset=\"utf-8\"><title>doppel synthesis report</title>"
				"<style>body{font-family:sans-serif;margin:2em;color:#222}figure{display:inline-block;"
				"margin:.5em;vertical-align:top}figcaption{font-size:12px}.q{font-weight:bold}"
				".legend span{display:inline-block;width:12px;height:12px;margin:0 4px}"
				"table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;"
				"font-size:12px}</style></head><body>"
				"<h1>doppel synthesis report</h1><p>Overall quality %.3f over %d table(s); seed %lld.</p>"
				"<p class=\"legend\"><span style=\"background:#4c78a8\"></span>real (training sample) "
				"<span style=\"background:#f58518\"></span>synthetic</p>",
				q, nq, (long long)dp_report_seed(r)));
	for (size_t i = 0; i < dp_report_ntables(r); i++)
		table_html(&pg, dp_report_table_at(r, i));
	EMIT(&pg, dp_buf_puts(out, "</body></html>\n"));
	return pg.rc;
}
