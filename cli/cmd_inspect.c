/* cli/cmd_inspect.c - `doppel inspect URL [--json]`: a database's schema as
 * doppel sees it (the introspection every plan starts from). Read-only. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cJSON.h>
#include "cli.h"
#include "../base/dp_buf.h"
#include "../connectors/connector.h"
#include "../settings/conn_url.h"
#include "../settings/settings_table.h"
#include "../engine/inspect.h"

static const char *fk_action(dp_fk_action a)
{
	switch (a) {
	case DP_FK_RESTRICT: return "RESTRICT";
	case DP_FK_CASCADE: return "CASCADE";
	case DP_FK_SET_NULL: return "SET NULL";
	case DP_FK_SET_DEFAULT: return "SET DEFAULT";
	default: return "NO ACTION";
	}
}

static void print_text(const dp_schema *s, const int64_t *counts)
{
	for (size_t k = 0; k < s->ntables; k++) {
		const dp_table *t = &s->tables[k];
		printf("table %s  (%" PRId64 " rows)\n", t->name, counts[k]);
		for (size_t c = 0; c < t->ncols; c++) {
			const dp_column *col = &t->cols[c];
			printf("  %-24s %-16s %-9s%s%s%s\n", col->name,
			       col->type_decl && *col->type_decl ? col->type_decl : "(none)",
			       dp_tclass_name(col->tclass), col->notnull ? " NOT NULL" : "",
			       col->pk_pos ? " PK" : "", col->is_identity ? " IDENTITY" : "");
		}
		if (t->npk) {
			printf("  primary key (");
			for (size_t i = 0; i < t->npk; i++)
				printf("%s%s", i ? ", " : "", t->cols[t->pk[i]].name);
			printf(")\n");
		} else {
			printf("  no primary key\n");
		}
		for (size_t f = 0; f < t->nfks; f++) {
			const dp_fk *fk = &t->fks[f];
			printf("  foreign key (");
			for (size_t i = 0; i < fk->ncols; i++)
				printf("%s%s", i ? ", " : "", fk->cols[i]);
			printf(") -> %s(", fk->ref_table);
			for (size_t i = 0; i < fk->ncols; i++)
				printf("%s%s", i ? ", " : "", fk->ref_cols[i]);
			printf(")%s%s%s\n", fk->on_delete ? " ON DELETE " : "",
			       fk->on_delete ? fk_action(fk->on_delete) : "",
			       !strcmp(fk->ref_table, t->name) ? "  [self-reference]" : "");
		}
		for (size_t i = 0; i < t->nidx; i++) {
			const dp_index *ix = &t->idx[i];
			printf("  %sindex %s", ix->unique ? "unique " : "", ix->name ? ix->name : "?");
			if (ix->ncols) {
				printf(" (");
				for (size_t c = 0; c < ix->ncols; c++)
					printf("%s%s", c ? ", " : "", ix->cols[c] ? ix->cols[c] : "<expr>");
				printf(")");
			}
			printf("\n");
		}
	}
}

/* `inspect --pii`: what the PII scan says of every column - the verdict a
 * DE_IDENTIFY engine would act on - with masked examples. */
static void print_pii(const dp_inspection *in, int json)
{
	const dp_schema *s = in->schema;
	cJSON *root = json ? cJSON_CreateArray() : NULL;

	if (!json)
		printf("%-36s %-14s %-14s %-5s %-22s %s\n", "column", "type", "pii kind", "conf",
		       "detected by", "examples (masked)");
	for (size_t k = 0; k < s->ntables; k++) {
		const dp_table *t = &s->tables[k];
		for (size_t i = 0; i < t->ncols; i++) {
			const dp_column *col = &t->cols[i];
			const dp_inspect_pii *v = &in->pii[k][i];
			char name[300], cf[16];
			snprintf(name, sizeof(name), "%s.%s", t->name, col->name);
			snprintf(cf, sizeof(cf), "%.2f", v->confidence);
			if (json) {
				cJSON *o = cJSON_CreateObject();
				cJSON_AddStringToObject(o, "table", t->name);
				cJSON_AddStringToObject(o, "column", col->name);
				cJSON_AddStringToObject(o, "type", col->type_decl ? col->type_decl : "");
				if (v->kind) {
					cJSON_AddStringToObject(o, "pii_kind", v->kind);
					cJSON_AddNumberToObject(o, "confidence", v->confidence);
					cJSON_AddStringToObject(o, "detected_by", v->detected_by);
				} else {
					cJSON_AddNullToObject(o, "pii_kind");
				}
				/* free text: scanned for PII inside (mask:textpii) */
				cJSON_AddBoolToObject(o, "free_text", v->free_text != 0);
				if (v->quasi)
					cJSON_AddStringToObject(o, "quasi_identifier", v->quasi);
				cJSON_AddItemToArray(root, o);
			} else {
				printf("%-36s %-14.14s %-14s %-5s %-22s %s%s%s\n", name,
				       col->type_decl && *col->type_decl ? col->type_decl : "-",
				       v->kind ? v->kind : v->quasi ? "quasi-id" : v->free_text ? "free text" : "-",
				       v->kind ? cf : "-",
				       v->kind ? v->detected_by : v->quasi ? v->quasi : v->free_text ? "PII looked for inside" : "-",
				       v->examples[0], v->examples[1][0] ? ", " : "", v->examples[1]);
			}
		}
	}
	if (json) {
		char *txt = cJSON_Print(root);
		if (txt)
			printf("%s\n", txt);
		free(txt);
		cJSON_Delete(root);
	}
}

static void print_json(const dp_schema *s, const int64_t *counts)
{
	cJSON *root = cJSON_CreateObject(), *tabs;
	char *txt;

	cJSON_AddStringToObject(root, "engine", s->engine ? s->engine : "");
	tabs = cJSON_AddArrayToObject(root, "tables");
	for (size_t k = 0; k < s->ntables; k++) {
		const dp_table *t = &s->tables[k];
		cJSON *jt = cJSON_CreateObject(), *cols, *pk, *fks, *idx;
		cJSON_AddStringToObject(jt, "name", t->name);
		cJSON_AddNumberToObject(jt, "rows", (double)counts[k]);
		cols = cJSON_AddArrayToObject(jt, "columns");
		for (size_t c = 0; c < t->ncols; c++) {
			const dp_column *col = &t->cols[c];
			cJSON *jc = cJSON_CreateObject();
			cJSON_AddStringToObject(jc, "name", col->name);
			cJSON_AddStringToObject(jc, "type", col->type_decl ? col->type_decl : "");
			cJSON_AddStringToObject(jc, "class", dp_tclass_name(col->tclass));
			if (col->length)
				cJSON_AddNumberToObject(jc, "length", col->length);
			cJSON_AddBoolToObject(jc, "not_null", col->notnull);
			cJSON_AddBoolToObject(jc, "identity", col->is_identity);
			cJSON_AddItemToArray(cols, jc);
		}
		pk = cJSON_AddArrayToObject(jt, "primary_key");
		for (size_t i = 0; i < t->npk; i++)
			cJSON_AddItemToArray(pk, cJSON_CreateString(t->cols[t->pk[i]].name));
		fks = cJSON_AddArrayToObject(jt, "foreign_keys");
		for (size_t f = 0; f < t->nfks; f++) {
			const dp_fk *fk = &t->fks[f];
			cJSON *jf = cJSON_CreateObject();
			cJSON *a = cJSON_AddArrayToObject(jf, "columns");
			for (size_t i = 0; i < fk->ncols; i++)
				cJSON_AddItemToArray(a, cJSON_CreateString(fk->cols[i]));
			cJSON_AddStringToObject(jf, "ref_table", fk->ref_table);
			a = cJSON_AddArrayToObject(jf, "ref_columns");
			for (size_t i = 0; i < fk->ncols; i++)
				cJSON_AddItemToArray(a, cJSON_CreateString(fk->ref_cols[i]));
			cJSON_AddItemToArray(fks, jf);
		}
		idx = cJSON_AddArrayToObject(jt, "indexes");
		for (size_t i = 0; i < t->nidx; i++) {
			cJSON *ji = cJSON_CreateObject();
			cJSON_AddStringToObject(ji, "name", t->idx[i].name ? t->idx[i].name : "");
			cJSON_AddBoolToObject(ji, "unique", t->idx[i].unique);
			cJSON_AddItemToArray(idx, ji);
		}
		cJSON_AddItemToArray(tabs, jt);
	}
	txt = cJSON_Print(root);
	if (txt)
		printf("%s\n", txt);
	free(txt);
	cJSON_Delete(root);
}

int cmd_inspect(int argc, char **argv)
{
	const char *url = NULL;
	int json = 0, pii = 0, rc, code = DP_EXIT_OK;
	dp_conn_cfg cfg;
	dp_inspection *in = NULL;
	dp_settings st;
	dp_errbuf eb;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--pii"))
			pii = 1;
		else if (!url && argv[i][0] != '-')
			url = argv[i];
		else {
			fprintf(stderr, "doppel inspect: error: unexpected argument \"%s\"\n"
				"usage: doppel inspect URL [--json] [--pii]   (sqlite:///file.db, postgresql://user@host:port/db)\n", argv[i]);
			return DP_EXIT_USAGE;
		}
	}
	if (!url) {
		fprintf(stderr, "usage: doppel inspect URL [--json] [--pii]   (sqlite:///file.db, postgresql://user@host:port/db)\n");
		return DP_EXIT_USAGE;
	}
	dp_errbuf_clear(&eb);
	rc = dp_conn_url_parse(url, &cfg, &eb);
	if (rc) {
		dp_conn_cfg_clear(&cfg);
		return cli_error(rc, &eb);
	}
	if (pii && dp_settings_defaults(&st)) {
		dp_conn_cfg_clear(&cfg);
		return cli_error(DP_ERR_NOMEM, &eb);
	}
	rc = dp_inspect(&cfg, pii ? &st.pii : NULL, &in, &eb);
	if (rc)
		code = cli_error(rc, &eb);
	else if (pii)
		print_pii(in, json);
	else if (json)
		print_json(in->schema, in->rows);
	else
		print_text(in->schema, in->rows);
	dp_inspection_free(in);
	if (pii)
		dp_settings_clear(&st);
	dp_conn_cfg_clear(&cfg);
	return code;
}
