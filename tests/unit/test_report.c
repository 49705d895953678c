/* tests/unit/test_report.c - the quality report's renderers (report/):
 * a hand-built dp_report (plain data, engine/models/report.h) renders to
 * report.json with the expected fields and to a self-contained, balanced
 * report.html; the files are written (and a bad directory is refused). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include "report/report_render.h"

/* Two tables: "customers" (modelled, a categorical and a numeric column,
 * one pair, privacy with a DCR) and "orders" (a child table of customers
 * with a name that needs escaping in HTML), then "audit_log" (not
 * modelled). The caller's buffers are scribbled over after each add, to
 * show the report keeps copies. */
static dp_report *build_report(void)
{
	dp_report *r = dp_report_new(42);
	dp_report_table t;
	dp_report_model_col mc[3];
	dp_report_column cols[2];
	dp_report_pair pair;
	char name[32], colname[32], cat[2][16];

	assert_non_null(r);
	memset(&t, 0, sizeof(t));
	memset(mc, 0, sizeof(mc));
	memset(cols, 0, sizeof(cols));
	snprintf(name, sizeof(name), "customers");
	snprintf(colname, sizeof(colname), "country");
	snprintf(cat[0], sizeof(cat[0]), "NL");
	snprintf(cat[1], sizeof(cat[1]), "<DE>");
	t.name = name;
	t.synthetic_rows = 1000;
	t.training_rows = 900;
	t.holdout_rows = 100;
	t.scored_rows = 1000;
	t.model = "14 columns, 3 predictors";
	mc[0] = (dp_report_model_col){ .column = colname, .kind = DP_CK_CATEGORICAL, .predictors = 0,
				       .leaves = 1, .rare_replaced = 2 };
	mc[1] = (dp_report_model_col){ .column = "age", .kind = DP_CK_NUMERIC, .predictors = 1,
				       .leaves = 7, .clipped = 3 };
	mc[2] = (dp_report_model_col){ .column = "notes", .ngram = 1, .kind = DP_CK_TEXT, .vocabulary = 250 };
	t.model_cols = mc;
	t.nmodel_cols = 3;
	cols[0].column = colname;
	cols[0].kind = DP_CK_CATEGORICAL;
	cols[0].metric = DP_REPORT_TV_COMPLEMENT;
	cols[0].score = 0.95;
	cols[0].nbars = 2;
	cols[0].value[0] = cat[0];
	cols[0].value[1] = cat[1];
	cols[0].real[0] = 0.6; cols[0].synthetic[0] = 0.55;
	cols[0].real[1] = 0.4; cols[0].synthetic[1] = 0.45;
	cols[1].column = "age";
	cols[1].kind = DP_CK_NUMERIC;
	cols[1].metric = DP_REPORT_KS_COMPLEMENT;
	cols[1].score = 0.85;
	cols[1].nbars = DP_REPORT_HIST_BINS;
	cols[1].real_min = 17;
	cols[1].real_max = 90;
	for (int k = 0; k < DP_REPORT_HIST_BINS; k++)
		cols[1].real[k] = cols[1].synthetic[k] = 1.0 / DP_REPORT_HIST_BINS;
	t.columns = cols;
	t.ncolumns = 2;
	pair = (dp_report_pair){ { colname, "age" }, DP_REPORT_CONTINGENCY_SIMILARITY, 0.8 };
	t.pairs = &pair;
	t.npairs = 1;
	t.has_privacy = 1;
	t.scores = (dp_report_scores){ .quality = 0.875, .shapes = 0.9, .pairs = 0.85, .children_ks = -1,
				       .identical = 0.001, .identical_holdout = 0.002, .dcr_share = 0.51,
				       .nholdout = 100 };
	t.dcr.synthetic_rows = 1000;
	t.dcr.real_rows = 100;
	assert_int_equal(dp_report_add_table(r, &t), DP_OK);
	/* the report copied them */
	memset(name, 'x', sizeof(name) - 1);
	memset(colname, 'x', sizeof(colname) - 1);
	memset(cat, 'x', sizeof(cat));
	cat[0][15] = cat[1][15] = '\0';
	memset(cols, 0, sizeof(cols));

	/* a child table with a name to escape, no DCR (holdout too small) */
	memset(&t, 0, sizeof(t));
	t.name = "orders<&>\"";
	t.synthetic_rows = 30;
	t.training_rows = 25;
	t.holdout_rows = 2;
	t.scored_rows = 30;
	t.model = "a & b";
	t.has_sequence = 1;
	t.sequence = (dp_report_sequence){ "customers", -7, 100, 40 };
	t.has_children = 1;
	t.children.parent = "customers";
	t.children.score = 0.9;
	t.children.real_median = 1;
	t.children.synthetic_median = 2;
	t.children.real[1] = 1;
	t.children.synthetic[2] = 1;
	t.has_privacy = 1;
	t.scores = (dp_report_scores){ .quality = 0.625, .shapes = 0.625, .pairs = -1, .children_ks = 0.9,
				       .identical = 0, .identical_holdout = 0, .dcr_share = -1, .nholdout = 2 };
	assert_int_equal(dp_report_add_table(r, &t), DP_OK);
	assert_int_equal(dp_report_add_unmodelled(r, "audit_log", 12, "3 training rows: mock values"), DP_OK);
	return r;
}

static const cJSON *get(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	if (!v)
		fail_msg("no field \"%s\"", k);
	return v;
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);
	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static double num(const cJSON *o, const char *k)
{
	const cJSON *v = get(o, k);
	assert_true(cJSON_IsNumber(v));
	return v->valuedouble;
}

static void test_accessors(void **st)
{
	dp_report *r = build_report();
	int n = 0;
	(void)st;
	assert_int_equal(dp_report_ntables(r), 3);
	assert_int_equal(dp_report_seed(r), 42);
	assert_string_equal(dp_report_table_at(r, 0)->name, "customers");
	assert_string_equal(dp_report_table_at(r, 0)->columns[0].column, "country");
	assert_string_equal(dp_report_table_at(r, 0)->columns[0].value[1], "<DE>");
	assert_string_equal(dp_report_table_at(r, 0)->pairs[0].column[0], "country");
	assert_null(dp_report_table_at(r, 3));
	/* the unmodelled table does not count */
	assert_true(dp_report_quality(r, &n) == (0.875 + 0.625) / 2);
	assert_int_equal(n, 2);
	assert_string_equal(dp_report_metric_name(DP_REPORT_CORRELATION_SIMILARITY), "CorrelationSimilarity");
	dp_report_free(r);
}

static void test_json(void **st)
{
	dp_report *r = build_report();
	cJSON *root = dp_report_render_json(r);
	const cJSON *t, *c, *e;
	(void)st;
	assert_non_null(root);
	assert_string_equal(str(root, "generator"), "doppel");
	assert_true(num(root, "seed") == 42);
	assert_true(num(root, "quality") == (0.875 + 0.625) / 2);
	assert_int_equal(cJSON_GetArraySize(get(root, "tables")), 3);

	t = cJSON_GetArrayItem(get(root, "tables"), 0);
	assert_string_equal(str(t, "table"), "customers");
	assert_true(num(t, "training_rows") == 900);
	assert_true(num(t, "holdout_rows") == 100);
	assert_true(num(t, "synthetic_rows") == 1000);
	assert_true(num(t, "synthetic_rows_scored") == 1000);
	assert_string_equal(str(t, "model"), "14 columns, 3 predictors");
	e = cJSON_GetArrayItem(get(t, "column_order"), 1);
	assert_string_equal(str(e, "column"), "age");
	assert_string_equal(str(e, "kind"), "numeric");
	assert_true(num(e, "predictors") == 1 && num(e, "leaves") == 7 && num(e, "values_clipped") == 3);
	e = cJSON_GetArrayItem(get(t, "column_order"), 2);
	assert_string_equal(str(e, "kind"), "text");
	assert_true(num(e, "vocabulary") == 250);
	assert_null(cJSON_GetObjectItem(e, "leaves"));
	assert_null(cJSON_GetObjectItem(t, "sequence_model"));
	assert_null(cJSON_GetObjectItem(t, "children_per_parent"));
	assert_true(num(get(t, "quality"), "overall") == 0.875);
	assert_true(num(get(t, "quality"), "column_shapes") == 0.9);
	assert_true(num(get(t, "quality"), "column_pair_trends") == 0.85);
	/* columns: the categorical one with its distribution, the numeric one with its range */
	c = cJSON_GetArrayItem(get(t, "columns"), 0);
	assert_string_equal(str(c, "column"), "country");
	assert_string_equal(str(c, "metric"), "TVComplement");
	assert_true(num(c, "score") == 0.95);
	assert_int_equal(cJSON_GetArraySize(get(c, "distribution")), 2);
	e = cJSON_GetArrayItem(get(c, "distribution"), 1);
	assert_string_equal(str(e, "value"), "<DE>");
	assert_true(num(e, "real") == 0.4 && num(e, "synthetic") == 0.45);
	c = cJSON_GetArrayItem(get(t, "columns"), 1);
	assert_string_equal(str(c, "metric"), "KSComplement");
	assert_true(num(c, "real_min") == 17 && num(c, "real_max") == 90);
	assert_null(cJSON_GetObjectItem(c, "distribution"));
	/* pairs */
	e = cJSON_GetArrayItem(get(t, "column_pairs"), 0);
	assert_string_equal(cJSON_GetArrayItem(get(e, "columns"), 0)->valuestring, "country");
	assert_string_equal(cJSON_GetArrayItem(get(e, "columns"), 1)->valuestring, "age");
	assert_string_equal(str(e, "metric"), "ContingencySimilarity");
	assert_true(num(e, "score") == 0.8);
	/* privacy with a DCR */
	e = get(t, "privacy");
	assert_true(num(e, "identical_to_training_share") == 0.001);
	assert_true(num(e, "holdout_identical_to_training_share") == 0.002);
	assert_true(num(e, "dcr_share") == 0.51);
	assert_true(num(e, "dcr_synthetic_rows") == 1000 && num(e, "dcr_real_rows_each") == 100);
	assert_non_null(strstr(str(e, "holdout"), "100 source rows drawn at random"));

	/* the child table: sequence model, children, no DCR */
	t = cJSON_GetArrayItem(get(root, "tables"), 1);
	assert_string_equal(str(t, "table"), "orders<&>\"");
	e = get(t, "sequence_model");
	assert_string_equal(str(e, "parent"), "customers");
	assert_true(num(e, "end_of_sequence_token") == -7 && num(e, "max_length") == 100 &&
		    num(e, "training_steps") == 40);
	e = get(t, "children_per_parent");
	assert_string_equal(str(e, "parent"), "customers");
	assert_string_equal(str(e, "metric"), "KSComplement");
	assert_true(num(e, "score") == 0.9 && num(e, "real_mean") == 1 && num(e, "synthetic_median") == 2);
	e = get(t, "privacy");
	assert_true(cJSON_IsNull(get(e, "dcr_share")));
	assert_string_equal(str(e, "holdout"), "none: too few source rows to keep a holdout");
	assert_int_equal(cJSON_GetArraySize(get(t, "columns")), 0);
	assert_int_equal(cJSON_GetArraySize(get(t, "column_pairs")), 0);

	/* not modelled: the reason, no scores */
	t = cJSON_GetArrayItem(get(root, "tables"), 2);
	assert_string_equal(str(t, "table"), "audit_log");
	assert_true(num(t, "synthetic_rows") == 12);
	assert_string_equal(str(t, "not_modelled"), "3 training rows: mock values");
	assert_null(cJSON_GetObjectItem(t, "quality"));
	assert_int_equal(cJSON_GetArraySize(t), 3);
	cJSON_Delete(root);
	dp_report_free(r);
}

static int count(const char *h, const char *needle)
{
	int n = 0;
	for (const char *p = strstr(h, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Every element that is opened is closed, in order (void elements aside):
 * 1 when the page nests properly. */
static int balanced(const char *h)
{
	static const char *const voids[] = { "meta", "br", "img", NULL };
	char stack[256][16];
	int depth = 0;

	for (const char *p = strchr(h, '<'); p; p = strchr(p + 1, '<')) {
		char name[16];
		size_t n = 0;
		int closing = p[1] == '/', isvoid = 0;
		const char *q = p + 1 + closing, *end = strchr(p, '>');
		if (p[1] == '!')
			continue;                    /* doctype */
		if (!end)
			return 0;
		while (q < end && *q != ' ' && n < sizeof(name) - 1)
			name[n++] = *q++;
		name[n] = '\0';
		if (end[-1] == '/')
			continue;                    /* <x/> */
		for (int v = 0; voids[v]; v++)
			isvoid |= !strcmp(name, voids[v]);
		if (isvoid)
			continue;
		if (!closing) {
			if (depth == 256)
				return 0;
			snprintf(stack[depth++], sizeof(stack[0]), "%s", name);
		} else if (!depth || strcmp(stack[--depth], name)) {
			return 0;
		}
	}
	return depth == 0;
}

static void test_html(void **st)
{
	dp_report *r = build_report();
	dp_buf b = DP_BUF_INIT;
	const char *h;
	(void)st;
	assert_int_equal(dp_report_render_html(r, &b), DP_OK);
	h = dp_buf_str(&b);
	assert_true(strncmp(h, "<!doctype html><html><head>", 27) == 0);
	assert_true(b.len > 7 && strcmp(h + b.len - 8, "</html>\n") == 0);
	/* the table names, escaped where needed */
	assert_non_null(strstr(h, "<h2>customers</h2>"));
	assert_non_null(strstr(h, "<h2>orders&lt;&amp;&gt;&quot;</h2>"));
	assert_non_null(strstr(h, "<h2>audit_log</h2><p>Not modelled: 3 training rows: mock values</p>"));
	assert_non_null(strstr(h, "<p>a &amp; b</p>"));
	assert_null(strstr(h, "orders<"));
	/* the headline and the per-table figures */
	assert_non_null(strstr(h, "Overall quality 0.750 over 2 table(s); seed 42."));
	assert_non_null(strstr(h, "<figcaption>country - categorical, 1 - TVD = 0.950</figcaption>"));
	assert_non_null(strstr(h, "<figcaption>age - numeric, 1 - KS = 0.850</figcaption>"));
	assert_non_null(strstr(h, "&lt;DE&gt;</text>"));
	assert_non_null(strstr(h, "<td>country &times; age</td><td>ContingencySimilarity</td><td>0.800</td>"));
	assert_non_null(strstr(h, "children per customers row, 1 - KS = 0.900"));
	assert_non_null(strstr(h, "DCR share 0.510"));
	assert_non_null(strstr(h, "DCR share n/a 0.000"));
	assert_non_null(strstr(h, "<p class=\"q\">Quality 0.875 (Column Shapes 0.900, Column Pair Trends 0.850)</p>"));
	/* charts: one per column plus the children chart, each closed */
	assert_int_equal(count(h, "<svg "), 3);
	assert_int_equal(count(h, "</svg>"), 3);
	assert_int_equal(count(h, "<table>"), 1);
	assert_int_equal(count(h, "</table>"), 1);
	assert_int_equal(count(h, "<section>"), 3);
	assert_int_equal(count(h, "</section>"), 3);
	assert_true(balanced(h));
	assert_false(balanced("<svg><rect></svg></rect>"));   /* the check itself */
	assert_false(balanced("<table><tr><td>x</td></tr>"));
	/* self-contained */
	assert_null(strstr(h, "http"));
	assert_null(strstr(h, "<script"));
	dp_buf_free(&b);
	dp_report_free(r);
}

static void test_empty_report(void **st)
{
	dp_report *r = dp_report_new(-3);
	cJSON *root;
	dp_buf b = DP_BUF_INIT;
	(void)st;
	assert_non_null(r);
	root = dp_report_render_json(r);
	assert_non_null(root);
	assert_true(num(root, "quality") == -1);
	assert_true(num(root, "seed") == -3);
	assert_int_equal(cJSON_GetArraySize(get(root, "tables")), 0);
	cJSON_Delete(root);
	assert_int_equal(dp_report_render_html(r, &b), DP_OK);
	assert_non_null(strstr(dp_buf_str(&b), "Overall quality -1.000 over 0 table(s); seed -3."));
	assert_true(balanced(dp_buf_str(&b)));
	dp_buf_free(&b);
	dp_report_free(r);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)n + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return s;
}

static void test_write_files(void **st)
{
	char dir[] = "/tmp/doppel-test-report.XXXXXX", path[256];
	dp_report *r = build_report();
	dp_errbuf eb;
	cJSON *root;
	char *want, *got;
	dp_buf h = DP_BUF_INIT;
	(void)st;
	assert_non_null(mkdtemp(dir));
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_report_write(r, dir, &eb), DP_OK);
	/* report.json: the rendering, printed, plus a newline */
	root = dp_report_render_json(r);
	want = cJSON_Print(root);
	snprintf(path, sizeof(path), "%s/report.json", dir);
	got = slurp(path);
	assert_int_equal(strlen(got), strlen(want) + 1);
	assert_memory_equal(got, want, strlen(want));
	assert_int_equal(got[strlen(want)], '\n');
	remove(path);
	free(got);
	free(want);
	cJSON_Delete(root);
	/* report.html: the page */
	assert_int_equal(dp_report_render_html(r, &h), DP_OK);
	snprintf(path, sizeof(path), "%s/report.html", dir);
	got = slurp(path);
	assert_string_equal(got, dp_buf_str(&h));
	remove(path);
	free(got);
	dp_buf_free(&h);
	rmdir(dir);
	/* a directory that is not there: the error names the file */
	snprintf(path, sizeof(path), "%s/missing", dir);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_report_write(r, path, &eb), DP_ERR_IO);
	assert_non_null(strstr(eb.msg, "cannot write"));
	assert_non_null(strstr(eb.msg, "/missing/report.json"));
	dp_report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_html),
		cmocka_unit_test(test_empty_report),
		cmocka_unit_test(test_write_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
