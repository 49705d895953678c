/* report/report_json.c - a dp_report as report.json (see report_render.h).
 * Field names and order are the file's contract: tests and users read it. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include "report_render.h"

/* Every add is checked: a failed one ends the rendering (out of memory). */
#define ADD_NUM(o, k, v) do { if (!cJSON_AddNumberToObject((o), (k), (double)(v))) goto nomem; } while (0)
#define ADD_STR(o, k, v) do { if (!cJSON_AddStringToObject((o), (k), (v))) goto nomem; } while (0)

/* A new object appended to arr (which then owns it), or NULL. */
static cJSON *push_object(cJSON *arr)
{
	cJSON *o = cJSON_CreateObject();
	if (o && !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int model_cols_json(const dp_report_table *t, cJSON *tj)
{
	cJSON *ord = cJSON_AddArrayToObject(tj, "column_order");

	if (!ord)
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < t->nmodel_cols; i++) {
		const dp_report_model_col *mc = &t->model_cols[i];
		cJSON *e = push_object(ord);
		if (!e)
			goto nomem;
		ADD_STR(e, "column", mc->column);
		if (mc->ngram) {
			ADD_STR(e, "kind", "text");
			ADD_NUM(e, "vocabulary", mc->vocabulary);
			ADD_NUM(e, "real_values_drawn_again", mc->redrawn);
			ADD_STR(e, "produced", "n-gram model of the sample's text; a generated value equal "
				"to a real value of the sample is drawn again, so none is written");
			continue;
		}
		ADD_STR(e, "kind", dp_ckind_name(mc->kind));
		ADD_NUM(e, "predictors", mc->predictors);
		ADD_NUM(e, "leaves", mc->leaves);
		ADD_NUM(e, "rare_categories_replaced", mc->rare_replaced);
		ADD_NUM(e, "values_clipped", mc->clipped);
	}
	return DP_OK;
nomem:
	return DP_ERR_NOMEM;
}

static int privacy_json(const dp_report_table *t, cJSON *tj)
{
	cJSON *jp = cJSON_AddObjectToObject(tj, "privacy");
	char hold[256];

	if (!jp)
		return DP_ERR_NOMEM;
	ADD_NUM(jp, "identical_to_training_share", t->scores.identical);
	ADD_NUM(jp, "holdout_identical_to_training_share", t->scores.identical_holdout);
	if (t->scores.dcr_share >= 0) {
		ADD_NUM(jp, "dcr_share", t->scores.dcr_share);
		ADD_NUM(jp, "dcr_synthetic_rows", t->dcr.synthetic_rows);
		ADD_NUM(jp, "dcr_real_rows_each", t->dcr.real_rows);
		snprintf(hold, sizeof(hold), "%zu source rows drawn at random (seeded) from the training "
			 "sample and kept out of training; compared with %zu training rows",
			 t->scores.nholdout, t->dcr.real_rows);
		ADD_STR(jp, "holdout", hold);
	} else {
		if (!cJSON_AddNullToObject(jp, "dcr_share"))
			goto nomem;
		ADD_STR(jp, "holdout", "none: too few source rows to keep a holdout");
	}
	return DP_OK;
nomem:
	return DP_ERR_NOMEM;
}

static int columns_json(const dp_report_table *t, cJSON *tj)
{
	cJSON *cols = cJSON_AddArrayToObject(tj, "columns");

	if (!cols)
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < t->ncolumns; i++) {
		const dp_report_column *c = &t->columns[i];
		cJSON *jc = push_object(cols);
		if (!jc)
			goto nomem;
		ADD_STR(jc, "column", c->column);
		ADD_STR(jc, "kind", dp_ckind_name(c->kind));
		ADD_STR(jc, "metric", dp_report_metric_name(c->metric));
		if (c->kind == DP_CK_CATEGORICAL) {
			cJSON *dist = cJSON_AddArrayToObject(jc, "distribution");
			if (!dist)
				goto nomem;
			for (int k = 0; k < c->nbars; k++) {
				cJSON *e = push_object(dist);
				if (!e)
					goto nomem;
				ADD_STR(e, "value", c->value[k] ? c->value[k] : "(null)");
				ADD_NUM(e, "real", c->real[k]);
				ADD_NUM(e, "synthetic", c->synthetic[k]);
			}
		} else {
			ADD_NUM(jc, "real_min", c->real_min);
			ADD_NUM(jc, "real_max", c->real_max);
		}
		ADD_NUM(jc, "score", c->score);
	}
	return DP_OK;
nomem:
	return DP_ERR_NOMEM;
}

static int pairs_json(const dp_report_table *t, cJSON *tj)
{
	cJSON *pairs = cJSON_AddArrayToObject(tj, "column_pairs");

	if (!pairs)
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < t->npairs; i++) {
		const dp_report_pair *p = &t->pairs[i];
		cJSON *jp = push_object(pairs), *names;
		if (!jp || !(names = cJSON_AddArrayToObject(jp, "columns")))
			goto nomem;
		for (int k = 0; k < 2; k++) {
			cJSON *n = cJSON_CreateString(p->column[k]);
			if (!n || !cJSON_AddItemToArray(names, n)) {
				cJSON_Delete(n);
				goto nomem;
			}
		}
		ADD_STR(jp, "metric", dp_report_metric_name(p->metric));
		ADD_NUM(jp, "score", p->score);
	}
	return DP_OK;
nomem:
	return DP_ERR_NOMEM;
}

static int table_json(const dp_report_table *t, cJSON *tj)
{
	ADD_STR(tj, "table", t->name);
	if (t->not_modelled) {
		ADD_NUM(tj, "synthetic_rows", t->synthetic_rows);
		ADD_STR(tj, "not_modelled", t->not_modelled);
		return DP_OK;
	}
	ADD_NUM(tj, "training_rows", t->training_rows);
	ADD_NUM(tj, "holdout_rows", t->holdout_rows);
	ADD_NUM(tj, "synthetic_rows", t->synthetic_rows);
	ADD_NUM(tj, "synthetic_rows_scored", t->scored_rows);
	ADD_NUM(tj, "training_seconds", t->training_seconds);
	ADD_NUM(tj, "generation_seconds", t->generation_seconds);
	ADD_STR(tj, "model", t->model ? t->model : "");
	if (model_cols_json(t, tj))
		goto nomem;
	if (t->has_sequence) {
		cJSON *sq = cJSON_AddObjectToObject(tj, "sequence_model");
		if (!sq)
			goto nomem;
		ADD_STR(sq, "parent", t->sequence.parent);
		ADD_NUM(sq, "end_of_sequence_token", t->sequence.end_of_sequence_token);
		ADD_NUM(sq, "max_length", t->sequence.max_length);
		ADD_NUM(sq, "training_steps", t->sequence.training_steps);
	}
	if (t->has_children) {
		cJSON *jc = cJSON_AddObjectToObject(tj, "children_per_parent");
		if (!jc)
			goto nomem;
		ADD_STR(jc, "parent", t->children.parent);
		ADD_NUM(jc, "score", t->children.score);
		ADD_STR(jc, "metric", dp_report_metric_name(DP_REPORT_KS_COMPLEMENT));
		/* "real_mean" is the name report.json always had for the median */
		ADD_NUM(jc, "real_mean", t->children.real_median);
		ADD_NUM(jc, "synthetic_median", t->children.synthetic_median);
	}
	if (t->has_privacy && privacy_json(t, tj))
		goto nomem;
	{
		cJSON *jq = cJSON_AddObjectToObject(tj, "quality");
		if (!jq)
			goto nomem;
		ADD_NUM(jq, "overall", t->scores.quality);
		ADD_NUM(jq, "column_shapes", t->scores.shapes);
		ADD_NUM(jq, "column_pair_trends", t->scores.pairs);
	}
	if (columns_json(t, tj) || pairs_json(t, tj))
		goto nomem;
	return DP_OK;
nomem:
	return DP_ERR_NOMEM;
}

cJSON *dp_report_render_json(const dp_report *r)
{
	cJSON *root = cJSON_CreateObject(), *tables;

	if (!root)
		return NULL;
	ADD_STR(root, "generator", "doppel");
	ADD_NUM(root, "seed", dp_report_seed(r));
	ADD_NUM(root, "quality", dp_report_quality(r, NULL));
	if (!(tables = cJSON_AddArrayToObject(root, "tables")))
		goto nomem;
	for (size_t i = 0; i < dp_report_ntables(r); i++) {
		cJSON *tj = push_object(tables);
		if (!tj || table_json(dp_report_table_at(r, i), tj))
			goto nomem;
	}
	return root;
nomem:
	cJSON_Delete(root);
	return NULL;
}
