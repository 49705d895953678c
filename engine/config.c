/* engine/config.c - names and ownership helpers for the job configuration. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "config.h"
#include "../base/dp_names.h"
#include "../base/dp_buf.h"

const char *dp_mode_name(dp_mode m)
{
	switch (m) {
	case DP_MODE_SYNTHESIZE: return "SYNTHESIZE";
	case DP_MODE_DE_IDENTIFY: return "DE_IDENTIFY";
	case DP_MODE_DUPLICATE: return "DUPLICATE";
	case DP_MODE_SUBSET: return "SUBSET";
	case DP_MODE_EXCLUDE: return "EXCLUDE";
	default: return "UNSET";
	}
}

const char *dp_init_mode_name(dp_init_mode m)
{
	switch (m) {
	case DP_INIT_SYNTHESIZE: return "SYNTHESIZE";
	case DP_INIT_MOCK: return "MOCK";
	case DP_INIT_MOCK_OR_MASK: return "MOCK_OR_MASK";
	case DP_INIT_DE_IDENTIFY: return "DE_IDENTIFY";
	case DP_INIT_FROM_SCRATCH: return "FROM_SCRATCH";
	}
	return "?";
}

const char *dp_keygen_name(dp_keygen k)
{
	switch (k) {
	case DP_KEYGEN_DUPLICATE: return "duplicate";
	case DP_KEYGEN_GENERATE: return "generate";
	case DP_KEYGEN_HASH: return "hash";
	}
	return "?";
}

static void free_strv(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char **dup_strv(char *const *v, size_t n, int *ok)
{
	char **r;

	*ok = 1;
	if (!n)
		return NULL;
	r = calloc(n, sizeof(*r));
	if (!r) {
		*ok = 0;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		r[i] = dp_strdup(v[i]);
		if (!r[i]) {
			free_strv(r, i);
			*ok = 0;
			return NULL;
		}
	}
	return r;
}

void dp_settings_clear(dp_settings *s)
{
	if (!s)
		return;
	free_strv(s->pii.languages, s->pii.nlanguages);
	free_strv(s->train_order_cols, s->n_train_order_cols);
	free(s->rare_category_replacement);
	free(s->locale);
	free_strv(s->order_by_cols, s->n_order_by_cols);
	memset(s, 0, sizeof(*s));
}

int dp_settings_copy(dp_settings *dst, const dp_settings *src)
{
	int ok1, ok2, ok3;

	*dst = *src;
	dst->pii.languages = dup_strv(src->pii.languages, src->pii.nlanguages, &ok1);
	dst->train_order_cols = dup_strv(src->train_order_cols, src->n_train_order_cols, &ok2);
	dst->order_by_cols = dup_strv(src->order_by_cols, src->n_order_by_cols, &ok3);
	dst->rare_category_replacement = src->rare_category_replacement
		? dp_strdup(src->rare_category_replacement) : NULL;
	dst->locale = src->locale ? dp_strdup(src->locale) : NULL;
	if (!ok1 || !ok2 || !ok3 || (src->locale && !dst->locale) ||
	    (src->rare_category_replacement && !dst->rare_category_replacement)) {
		if (!ok1) dst->pii.nlanguages = 0;
		if (!ok2) dst->n_train_order_cols = 0;
		if (!ok3) dst->n_order_by_cols = 0;
		dp_settings_clear(dst);
		return DP_ERR_NOMEM;
	}
	return DP_OK;
}

void dp_job_cfg_free(dp_job_cfg *j)
{
	if (!j)
		return;
	free(j->name);
	dp_settings_clear(&j->settings);
	dp_conn_cfg_clear(&j->source);
	dp_conn_cfg_clear(&j->target);
	for (size_t t = 0; t < j->ntables; t++) {
		dp_table_cfg *tc = &j->tables[t];
		free(tc->name);
		dp_settings_clear(&tc->settings);
		for (size_t c = 0; c < tc->ncols; c++) {
			free(tc->cols[c].name);
			free(tc->cols[c].generator);
			free(tc->cols[c].value);
			free(tc->cols[c].kind);
			if (tc->cols[c].overrides) {
				dp_settings_clear(tc->cols[c].overrides);
				free(tc->cols[c].overrides);
			}
		}
		free(tc->cols);
		free(tc->subset.where);
		free(tc->subset.include_when);
		free_strv(tc->null_unsel, tc->nnull_unsel);
		free(tc->subset.order_by);
	}
	free(j->tables);
	for (size_t v = 0; v < j->nvfks; v++) {
		free(j->vfks[v].table);
		free_strv(j->vfks[v].cols, j->vfks[v].ncols);
		free(j->vfks[v].ref_table);
		free_strv(j->vfks[v].ref_cols, j->vfks[v].ncols);
	}
	free(j->vfks);
	free(j);
}

const dp_table_cfg *dp_job_cfg_table(const dp_job_cfg *j, const char *name)
{
	long i = DP_NAME_INDEX(j->tables, j->ntables, dp_table_cfg, name, name);
	return i < 0 ? NULL : &j->tables[i];
}

const dp_column_cfg *dp_table_cfg_column(const dp_table_cfg *t, const char *name)
{
	long i = DP_NAME_INDEX(t->cols, t->ncols, dp_column_cfg, name, name);
	return i < 0 ? NULL : &t->cols[i];
}
