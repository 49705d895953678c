/* engine/inspect.c - see inspect.h. */
#include <stdlib.h>
#include <string.h>
#include "inspect.h"
#include "../connectors/session.h"
#include "pii/detect.h"

void dp_inspection_free(dp_inspection *in)
{
	if (!in)
		return;
	for (size_t k = 0; in->pii && in->schema && k < in->schema->ntables; k++)
		free(in->pii[k]);
	free(in->pii);
	free(in->rows);
	dp_schema_free(in->schema);
	free(in);
}

static int scan(const dp_connector *drv, dp_conn *c, dp_inspection *in, const dp_pii_settings *st,
		dp_errbuf *eb)
{
	dp_schema *s = in->schema;
	int rc = DP_OK;

	in->pii = calloc(s->ntables ? s->ntables : 1, sizeof(*in->pii));
	if (!in->pii)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	for (size_t k = 0; k < s->ntables && !rc; k++) {
		dp_table *t = &s->tables[k];
		char (*ex)[2][48] = calloc(t->ncols + 1, sizeof(*ex));
		in->pii[k] = calloc(t->ncols + 1, sizeof(**in->pii));
		if (!ex || !in->pii[k]) {
			free(ex);
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
		rc = dp_pii_scan_table(drv, c, t, st, ex, eb);
		for (size_t i = 0; !rc && i < t->ncols; i++) {
			dp_inspect_pii *o = &in->pii[k][i];
			dp_pii_hit hit;
			int v = dp_pii_verdict(t, i, st, &hit);
			if (v) {
				o->kind = hit.kind;
				o->confidence = hit.confidence;
				o->detected_by = v == 1 ? "column name" : hit.rule;
			} else if (dp_pii_detect_extra(t->name, &t->cols[i], &hit)) {
				/* the plan's own second look: parts of a birth date and
				 * coordinates are PII, a gender column a quasi-identifier */
				if (hit.quasi) {
					o->quasi = hit.kind;
				} else {
					o->kind = hit.kind;
					o->confidence = hit.confidence;
					o->detected_by = "column name";
				}
			}
			o->free_text = t->cols[i].free_text != 0;
			memcpy(o->examples, ex[i], sizeof(o->examples));
		}
		free(ex);
	}
	return rc;
}

int dp_inspect(const dp_conn_cfg *cfg, const dp_pii_settings *st, dp_inspection **out,
	       dp_errbuf *eb)
{
	const dp_connector *drv = NULL;
	dp_conn *c = NULL;
	dp_inspection *in = calloc(1, sizeof(*in));
	int rc;

	*out = NULL;
	if (!in)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	rc = dp_session_open(cfg, DP_ROLE_SOURCE, "source", &drv, &c, eb);
	if (!rc)
		rc = drv->introspect(c, &in->schema, eb);
	if (!rc && !(in->rows = calloc(in->schema->ntables ? in->schema->ntables : 1, sizeof(*in->rows))))
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	for (size_t k = 0; !rc && k < in->schema->ntables; k++)
		rc = drv->count_rows(c, &in->schema->tables[k], &in->rows[k], eb);
	if (!rc && st)
		rc = scan(drv, c, in, st, eb);
	if (c)
		dp_session_close(drv, c);
	if (rc) {
		dp_inspection_free(in);
		return rc;
	}
	*out = in;
	return DP_OK;
}
