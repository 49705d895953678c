/* tests/unit/test_models.c - the SYNTHESIZE model parts: CART trees,
 * n-gram text, datetime shapes, the table model's privacy transforms,
 * dependencies kept, determinism, sequences. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "engine/models/model.h"
#include "engine/models/report.h"
#include "settings/settings_table.h"

/* ---- trees ---- */

static void test_tree_categorical_split(void **st)
{
	enum { N = 1000 };
	uint8_t f0[N], f1[N];
	int32_t y[N];
	const uint8_t *fb[2] = {f0, f1};
	int nb[2] = {4, 2}, ord[2] = {1, 0}, feats[2] = {0, 1};
	dp_tree_data d;
	(void)st;
	for (int i = 0; i < N; i++) {
		f0[i] = (uint8_t)(i % 4);      /* noise */
		f1[i] = (uint8_t)(i % 7 < 3);  /* decides the class */
		y[i] = f1[i] ? 2 : 0;
	}
	memset(&d, 0, sizeof(d));
	d.nrows = N; d.fbin = fb; d.nbins = nb; d.ordered = ord; d.feats = feats; d.nfeat = 2;
	d.categorical = 1; d.ycode = y; d.ncls = 3; d.min_leaf = 5; d.max_depth = 10;
	dp_tree *t = dp_tree_fit(&d);
	assert_non_null(t);
	for (uint8_t b = 0; b < 2; b++) {
		uint8_t ctx[2] = {1, b};
		size_t n;
		const uint32_t *rows = dp_tree_leaf(t, ctx, &n, NULL);
		assert_true(n > 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(y[rows[i]], b ? 2 : 0);
	}
	dp_tree_free(t);
}

static void test_tree_numeric_with_nulls(void **st)
{
	enum { N = 600 };
	uint8_t f0[N], ynull[N];
	double y[N];
	const uint8_t *fb[1] = {f0};
	int nb[1] = {3}, ord[1] = {1}, feats[1] = {0};
	dp_tree_data d;
	(void)st;
	for (int i = 0; i < N; i++) {
		f0[i] = (uint8_t)(i % 3);
		y[i] = f0[i] * 100.0 + i % 5;
		ynull[i] = f0[i] == 2;          /* bin 2: always NULL */
	}
	memset(&d, 0, sizeof(d));
	d.nrows = N; d.fbin = fb; d.nbins = nb; d.ordered = ord; d.feats = feats; d.nfeat = 1;
	d.ynum = y; d.ynull = ynull; d.min_leaf = 5; d.max_depth = 8;
	dp_tree *t = dp_tree_fit(&d);
	assert_non_null(t);
	for (uint8_t b = 0; b < 3; b++) {
		uint8_t ctx[1] = {b};
		size_t n;
		double sd;
		const uint32_t *rows = dp_tree_leaf(t, ctx, &n, &sd);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(ynull[rows[i]], b == 2);
			if (b < 2)
				assert_true(y[rows[i]] >= b * 100.0 && y[rows[i]] < b * 100.0 + 5);
		}
	}
	dp_tree_free(t);
}

/* ---- n-grams ---- */

static void test_ngram_vocabulary_and_cutoff(void **st)
{
	const char *txt[] = {"the red fox jumps", "the red dog sleeps", "the blue fox sleeps",
			     "a zebra named Xq17 runs"};
	char out[256];
	dp_rng r;
	(void)st;
	dp_ngram *m = dp_ngram_new(1, 2, 4, 1000);
	assert_non_null(m);
	for (int i = 0; i < 4; i++)
		assert_int_equal(dp_ngram_add(m, txt[i], strlen(txt[i])), DP_OK);
	assert_int_equal(dp_ngram_finish(m), DP_OK);
	assert_int_equal(dp_ngram_vocab(m), 4);
	dp_rng_seed_u64(&r, 1);
	for (int k = 0; k < 200; k++) {
		dp_ngram_generate(m, &r, 1000, out, sizeof(out));
		/* a rare token (the name) is never reproduced */
		assert_null(strstr(out, "Xq17"));
		assert_null(strstr(out, "zebra"));
	}
	dp_ngram_free(m);

	m = dp_ngram_new(0, 3, 1000, 5);     /* characters, cut at 5 */
	for (int i = 0; i < 4; i++)
		assert_int_equal(dp_ngram_add(m, txt[i], strlen(txt[i])), DP_OK);
	assert_int_equal(dp_ngram_finish(m), DP_OK);
	for (int k = 0; k < 100; k++)
		assert_true(dp_ngram_generate(m, &r, 3, out, sizeof(out)) <= 3);
	dp_ngram_free(m);
}

/* ---- datetimes ---- */

static void test_datetime_shapes(void **st)
{
	const char *in[] = {"2009-01-01 00:00:00", "2020-02-29", "2021-03-04T05:06:07.125+00",
			    "1969-12-31 23:59:59"};
	char out[64];
	(void)st;
	for (int i = 0; i < 4; i++) {
		dp_dtfmt f;
		double v;
		assert_int_equal(dp_dt_parse(in[i], strlen(in[i]), &f, &v), 1);
		dp_dt_format(v, &f, out, sizeof(out));
		assert_string_equal(out, in[i]);
	}
	dp_dtfmt f;
	double v;
	assert_int_equal(dp_dt_parse("2021-13-01", 10, &f, &v), 0);
	assert_int_equal(dp_dt_parse("hello", 5, &f, &v), 0);
}

/* ---- the table model ---- */

typedef struct tdata {
	dp_table t;
	dp_column cols[4];
	dp_value *rows[3000];
	dp_value store[3000][4];
	char txt[3000][16];
	size_t pk;
} tdata;

/* id, grp (A/B/rare), amount (depends on grp; one huge outlier), note */
static void make_data(tdata *d, size_t n)
{
	memset(d, 0, sizeof(*d));
	const char *names[4] = {"id", "grp", "amount", "day"};
	dp_tclass cls[4] = {DP_T_INTEGER, DP_T_TEXT, DP_T_INTEGER, DP_T_DATE};
	for (int c = 0; c < 4; c++) {
		d->cols[c].name = (char *)names[c];
		d->cols[c].tclass = cls[c];
	}
	d->t.name = "t";
	d->t.ncols = 4;
	d->t.cols = d->cols;
	d->t.npk = 1;
	d->t.pk = &d->pk;
	for (size_t i = 0; i < n; i++) {
		dp_value *v = d->store[i];
		int a = i % 3 != 0;
		const char *g = i < 2 ? "rare" : a ? "A" : "B";
		dp_value_set_int(&v[0], (int64_t)i + 1);
		v[1].kind = DP_V_TEXT;
		v[1].u.s = g;
		v[1].len = strlen(g);
		dp_value_set_int(&v[2], i == 10 ? 1000000000 : (a ? 1000 : 10) + (int64_t)(i % 50));
		snprintf(d->txt[i], sizeof(d->txt[i]), "2020-%02d-%02d", 1 + (int)(i % 12), 1 + (int)(i % 28));
		v[3].kind = DP_V_TEXT;
		v[3].u.s = d->txt[i];
		v[3].len = strlen(d->txt[i]);
		d->rows[i] = v;
	}
}

static dp_tmodel *train_h(tdata *d, size_t n, size_t nhold, dp_settings *s);

static dp_tmodel *train(tdata *d, size_t n, dp_settings *s)
{
	return train_h(d, n, n / 10, s);
}

static dp_tmodel *train_h(tdata *d, size_t n, size_t nhold, dp_settings *s)
{
	dp_ckind kinds[4] = {DP_CK_EXTERNAL, DP_CK_AUTO, DP_CK_AUTO, DP_CK_AUTO};
	dp_train_in in;
	dp_tmodel *m = NULL;
	dp_errbuf eb;
	memset(&in, 0, sizeof(in));
	in.t = &d->t;
	in.st = s;
	in.kinds = kinds;
	in.rows = (const dp_value *const *)d->rows;
	in.nrows = n;
	in.nhold = nhold;
	in.seed = 42;
	in.n_threads = 2;
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_tmodel_train(&in, &m, &eb), DP_OK);
	return m;
}

static void test_model_dependencies_and_protections(void **st)
{
	static tdata d;
	dp_settings s;
	dp_grow g;
	dp_rng r;
	dp_batch *b = dp_batch_new(4, 16);
	dp_errbuf eb;
	(void)st;
	make_data(&d, 3000);
	assert_int_equal(dp_settings_defaults(&s), DP_OK);
	dp_tmodel *m = train(&d, 3000, &s);
	assert_int_equal(m->cols[1].kind, DP_CK_CATEGORICAL);
	assert_int_equal(m->cols[2].kind, DP_CK_NUMERIC);
	assert_int_equal(m->cols[3].kind, DP_CK_DATETIME);
	assert_int_equal(m->cols[1].nrare, 1);          /* "rare" seen twice < 5 */
	assert_true(m->cols[2].hi < 1000000000);       /* the outlier was clipped */
	assert_int_equal(dp_grow_init(&g, m), DP_OK);
	dp_rng_seed_u64(&r, 9);
	int na = 0, off = 0;
	for (int i = 0; i < 2000; i++) {
		dp_value v;
		dp_batch_reset(b);
		dp_tmodel_sample(m, &r, NULL, NULL, 0, &g);
		dp_errbuf_clear(&eb);
		assert_int_equal(dp_tmodel_value(m, 1, &g, &r, b, &v, &eb), DP_OK);
		assert_int_equal(v.kind, DP_V_TEXT);
		assert_false(v.len == 4 && !memcmp(v.u.s, "rare", 4));   /* replaced by '*' */
		double amt = g.num[2];
		assert_true(amt <= m->cols[2].hi && amt >= m->cols[2].lo);
		/* the dependency: A rows have amounts near 1000, B rows near 10 */
		/* (the two replaced rows share a leaf with one group: a few strays,
		 * and in such a leaf a value at the group's edge can step across
		 * in rank space, about one in a hundred) */
		if (v.len == 1 && v.u.s[0] == 'A') {
			na++;
			off += amt < 500;
		} else if (v.len == 1 && v.u.s[0] == 'B') {
			off += amt > 500;
		}
		assert_int_equal(dp_tmodel_value(m, 3, &g, &r, b, &v, &eb), DP_OK);
		assert_int_equal(v.len, 10);                 /* YYYY-MM-DD kept */
	}
	assert_true(na > 1100 && na < 1550);            /* two thirds are A */
	assert_true(off < 40);
	dp_grow_free(&g);
	dp_tmodel_free(m);

	/* protections off: the rare category and the outlier survive training */
	s.cardinality_threshold = 0;
	s.clip_threshold = 0;
	m = train(&d, 3000, &s);
	assert_int_equal(m->cols[1].nrare, 0);
	assert_true(m->cols[2].hi >= 1000000000);
	dp_tmodel_free(m);

	/* sample_noise_ratio 1: every training row perturbed (said in the log) */
	s.sample_noise_ratio = 1;
	m = train(&d, 3000, &s);
	assert_non_null(strstr(m->log, "2700 rows perturbed"));
	dp_tmodel_free(m);
	dp_settings_clear(&s);
	dp_batch_free(b);
}

static void test_model_determinism_and_order(void **st)
{
	static tdata d;
	dp_settings s;
	dp_grow g1, g2;
	dp_rng r1, r2;
	(void)st;
	make_data(&d, 3000);
	assert_int_equal(dp_settings_defaults(&s), DP_OK);
	dp_tmodel *a = train(&d, 3000, &s), *b = train(&d, 3000, &s);
	assert_int_equal(dp_grow_init(&g1, a), DP_OK);
	assert_int_equal(dp_grow_init(&g2, b), DP_OK);
	dp_rng_seed_u64(&r1, 5);
	dp_rng_seed_u64(&r2, 5);
	for (int i = 0; i < 500; i++) {
		dp_tmodel_sample(a, &r1, NULL, NULL, 0, &g1);
		dp_tmodel_sample(b, &r2, NULL, NULL, 0, &g2);
		assert_int_equal(g1.code[1], g2.code[1]);
		assert_true(g1.num[2] == g2.num[2]);
	}
	assert_int_equal(a->order[0], 1);     /* schema order: grp, amount, day */
	dp_grow_free(&g1);
	dp_grow_free(&g2);
	dp_tmodel_free(a);
	dp_tmodel_free(b);
	/* cardinality order: the 3-category column first, then the others */
	s.feat_model_train_order = DP_ORDER_CARDINALITY;
	a = train(&d, 3000, &s);
	assert_int_equal(a->order[0], 1);
	assert_int_equal(a->order[1], 3);     /* 12*28 dates < 100+ amounts */
	dp_tmodel_free(a);
	/* one predictor at most */
	s.max_n_feat_per_model = 1;
	a = train(&d, 3000, &s);
	for (size_t i = 0; i < a->norder; i++)
		assert_true(a->cols[a->order[i]].npreds <= 1);
	dp_tmodel_free(a);
	dp_settings_clear(&s);
}

/* parents with grp A have 3 children, B none: the sequence model learns it */
static void test_sequences(void **st)
{
	static tdata d, c;
	dp_settings s;
	uint32_t par_row[3000];
	size_t nc = 0;
	dp_grow gp, gc, prev;
	dp_rng r;
	(void)st;
	make_data(&d, 600);
	make_data(&c, 3000);
	assert_int_equal(dp_settings_defaults(&s), DP_OK);
	s.clip_threshold = 0;
	dp_tmodel *pm = train(&d, 600, &s);
	/* children of parent training rows (those before the holdout) */
	for (size_t p = 0; p < pm->ntrain; p++)
		if (d.rows[p][1].len == 1 && d.rows[p][1].u.s[0] == 'A')
			for (int k = 0; k < 3; k++)
				par_row[nc++] = (uint32_t)p;
	dp_ckind kinds[4] = {DP_CK_EXTERNAL, DP_CK_AUTO, DP_CK_AUTO, DP_CK_AUTO};
	dp_train_in in;
	dp_tmodel *cm = NULL;
	dp_errbuf eb;
	memset(&in, 0, sizeof(in));
	in.t = &c.t; in.st = &s; in.kinds = kinds;
	in.rows = (const dp_value *const *)c.rows; in.nrows = nc;
	in.parent = pm; in.par_row = par_row; in.seed = 1; in.n_threads = 1;
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_tmodel_train(&in, &cm, &eb), DP_OK);
	assert_true(cm->nsteps > 0);
	assert_int_equal(dp_grow_init(&gp, pm), DP_OK);
	assert_int_equal(dp_grow_init(&gc, cm), DP_OK);
	assert_int_equal(dp_grow_init(&prev, cm), DP_OK);
	dp_rng_seed_u64(&r, 3);
	int ok = 0;
	for (int i = 0; i < 300; i++) {
		dp_tmodel_sample(pm, &r, NULL, NULL, 0, &gp);
		int isa = pm->cols[1].cats[gp.code[1]].len == 1 && pm->cols[1].cats[gp.code[1]].u.s[0] == 'A';
		int n = 0;
		while (!dp_tmodel_stop(cm, &r, &gp, n ? &prev : NULL, n)) {
			dp_tmodel_sample(cm, &r, &gp, n ? &prev : NULL, n, &gc);
			dp_grow t = prev; prev = gc; gc = t;
			n++;
		}
		ok += isa ? n == 3 : n == 0;
	}
	assert_true(ok >= 290);
	dp_grow_free(&gp);
	dp_grow_free(&gc);
	dp_grow_free(&prev);
	dp_tmodel_free(cm);
	dp_tmodel_free(pm);
	dp_settings_clear(&s);
}

/* The report's scores behave as specified. With a holdout as big as the
 * training rows (so the DCR's training sample is all of them): a synthetic
 * sample made of the training rows scores quality 1, identical share 1 and
 * DCR share ~1; made of the holdout rows, DCR share ~0; one row repeated,
 * low column shapes. */
static void test_report_scores(void **st)
{
	static tdata d;
	dp_settings s;
	dp_ssample ss;
	dp_grow g;
	dp_report_scores sc;
	dp_errbuf eb;
	(void)st;
	make_data(&d, 3000);
	assert_int_equal(dp_settings_defaults(&s), DP_OK);
	s.cardinality_threshold = 0;
	s.clip_threshold = 0;
	dp_tmodel *m = train_h(&d, 2000, 1000, &s);
	assert_int_equal(dp_grow_init(&g, m), DP_OK);
	for (int mode = 0; mode < 3; mode++) {
		dp_report *r = dp_report_new(1);
		size_t n = mode == 1 ? m->nhold : m->ntrain;
		assert_int_equal(dp_ssample_init(&ss, m, n), DP_OK);
		for (size_t i = 0; i < n; i++) {
			size_t row = mode == 0 ? i : mode == 1 ? m->ntrain + i : 0;
			dp_tmodel_encode(m, d.rows[row], &g);
			dp_ssample_put(&ss, i, m, &g);
		}
		dp_errbuf_clear(&eb);
		assert_int_equal(dp_report_add(r, m, &ss, (int64_t)n, 0, 0, &sc, &eb), DP_OK);
		if (mode == 0) {          /* the training rows themselves */
			assert_true(sc.quality > 0.999);
			assert_true(sc.identical > 0.999);
			assert_true(sc.dcr_share > 0.95);
		} else if (mode == 1) {   /* the holdout rows: closer to themselves */
			assert_true(sc.dcr_share < 0.05);
			assert_true(sc.shapes > 0.9);
		} else {                  /* one row repeated: the shapes collapse */
			assert_true(sc.shapes < 0.5);
		}
		dp_ssample_free(&ss);
		dp_report_free(r);
	}
	dp_grow_free(&g);
	dp_tmodel_free(m);
	dp_settings_clear(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree_categorical_split),
		cmocka_unit_test(test_tree_numeric_with_nulls),
		cmocka_unit_test(test_ngram_vocabulary_and_cutoff),
		cmocka_unit_test(test_datetime_shapes),
		cmocka_unit_test(test_model_dependencies_and_protections),
		cmocka_unit_test(test_model_determinism_and_order),
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_report_scores),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
