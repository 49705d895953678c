/* engine/config/config.c - names and ownership helpers for the job configuration. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "config.h"
#include "../../base/dp_names.h"
#include "../../base/dp_buf.h"

#define ENUM_TABLE(var, first_value, ...) \
	static const char *const var##_v[] = { __VA_ARGS__ }; \
	const dp_enum_table var = { first_value, sizeof(var##_v) / sizeof(var##_v[0]), var##_v }

/* value order: names[i] is first + i (the enums in config.h / connector.h) */
ENUM_TABLE(dp_init_mode_names, DP_INIT_SYNTHESIZE,
	   "SYNTHESIZE", "MOCK", "MOCK_OR_MASK", "DE_IDENTIFY", "FROM_SCRATCH");
ENUM_TABLE(dp_keygen_names, DP_KEYGEN_DUPLICATE, "duplicate", "generate", "hash");
ENUM_TABLE(dp_mode_names, DP_MODE_SYNTHESIZE,
	   "SYNTHESIZE", "DE_IDENTIFY", "DUPLICATE", "SUBSET", "EXCLUDE");
ENUM_TABLE(dp_train_order_names, DP_ORDER_SCHEMA, "schema", "cardinality");
ENUM_TABLE(dp_children_names, DP_CHILDREN_ALL, "all", "none");
/* libpq's sslmode keywords; connectors/pg.c passes them on as they are */
ENUM_TABLE(dp_ssl_mode_names, DP_SSL_DISABLE, "disable", "require", "verify-ca", "verify-full");
ENUM_TABLE(dp_locale_names, 0, "en", "nl", "de", "fr", "es");

/* a new enum member without its name fails the build here */
_Static_assert(DP_INIT_FROM_SCRATCH == DP_INIT_SYNTHESIZE + 4, "dp_init_mode_names");
_Static_assert(DP_KEYGEN_HASH == DP_KEYGEN_DUPLICATE + 2, "dp_keygen_names");
_Static_assert(DP_MODE_EXCLUDE == DP_MODE_SYNTHESIZE + 4, "dp_mode_names");
_Static_assert(DP_ORDER_EXPLICIT == DP_ORDER_CARDINALITY + 1, "dp_train_order_names");
_Static_assert(DP_CHILDREN_NONE == DP_CHILDREN_ALL + 1, "dp_children_names");
_Static_assert(DP_SSL_VERIFY_FULL == DP_SSL_DISABLE + 3, "dp_ssl_mode_names");

const char *dp_enum_name(const dp_enum_table *t, int value)
{
	if (value < t->first || (size_t)(value - t->first) >= t->n)
		return NULL;
	return t->names[value - t->first];
}

int dp_enum_value(const dp_enum_table *t, const char *name, int *value)
{
	for (size_t i = 0; name && i < t->n; i++)
		if (!strcmp(t->names[i], name)) {
			*value = t->first + (int)i;
			return 0;
		}
	return -1;
}

int dp_enum_list(const dp_enum_table *t, const char *sep, const char *quote, dp_buf *b)
{
	for (size_t i = 0; i < t->n; i++)
		if (dp_buf_printf(b, "%s%s%s%s", i ? sep : "", quote, t->names[i], quote))
			return DP_ERR_NOMEM;
	return DP_OK;
}

const char *dp_mode_name(dp_mode m)
{
	const char *n = dp_enum_name(&dp_mode_names, (int)m);
	return n ? n : "UNSET";
}

const char *dp_init_mode_name(dp_init_mode m)
{
	const char *n = dp_enum_name(&dp_init_mode_names, (int)m);
	return n ? n : "?";
}

const char *dp_keygen_name(dp_keygen k)
{
	const char *n = dp_enum_name(&dp_keygen_names, (int)k);
	return n ? n : "?";
}

#define OWNED_STR(f) { offsetof(dp_settings, f), DP_OWNED_STR }
#define OWNED_STRV(f, n) { offsetof(dp_settings, f), offsetof(dp_settings, n) }
static const dp_owned_field owned[] = {
	OWNED_STRV(pii.languages, pii.nlanguages),
	OWNED_STRV(train_order_cols, n_train_order_cols),
	OWNED_STR(rare_category_replacement),
	OWNED_STR(locale),
	OWNED_STRV(order_by_cols, n_order_by_cols),
};
#define NOWNED (sizeof(owned) / sizeof(owned[0]))

const dp_owned_field *dp_settings_owned(size_t *n)
{
	*n = NOWNED;
	return owned;
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

#define AT(s, off, type) ((type *)(void *)((char *)(s) + (off)))

void dp_settings_clear(dp_settings *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < NOWNED; i++) {
		if (owned[i].count_off == DP_OWNED_STR)
			free(*AT(s, owned[i].off, char *));
		else
			free_strv(*AT(s, owned[i].off, char **), *AT(s, owned[i].count_off, size_t));
	}
	memset(s, 0, sizeof(*s));
}

int dp_settings_copy(dp_settings *dst, const dp_settings *src)
{
	int failed = 0;

	*dst = *src;
	/* first detach every owned pointer, so a failure part-way frees only copies */
	for (size_t i = 0; i < NOWNED; i++)
		*AT(dst, owned[i].off, void *) = NULL;
	for (size_t i = 0; i < NOWNED && !failed; i++) {
		const dp_owned_field *o = &owned[i];
		if (o->count_off == DP_OWNED_STR) {
			const char *v = *AT(src, o->off, char *);
			char *c = v ? dp_strdup(v) : NULL;
			failed = v && !c;
			*AT(dst, o->off, char *) = c;
		} else {
			int ok;
			size_t n = *AT(src, o->count_off, size_t);
			char **c = dup_strv(*AT(src, o->off, char **), n, &ok);
			*AT(dst, o->off, char **) = c;
			failed = !ok;
		}
	}
	if (failed) {
		/* entries not reached hold NULL (free_strv skips it) */
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
