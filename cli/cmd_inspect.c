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
#include "../engine/pii/detect.h"

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
static int print_pii(const dp_connector *drv, dp_conn *c, dp_schema *s, int json, dp_errbuf *eb)
{
	dp_settings st;
	cJSON *root = json ? cJSON_CreateArray() : NULL;
	int rc = dp_settings_defaults(&st);

	if (rc)
		return dp_fail(eb, rc, "out of memory");
	if (!json)
		printf("%-36s %-14s %-14s %-5s %-22s %s\n", "column", "type", "pii kind", "conf",
		       "detected by", "examples (masked)");
	for (size_t k = 0; k < s->ntables && !rc; k++) {
		dp_table *t = &s->tables[k];
		char (*ex)[2][48] = calloc(t->ncols + 1, sizeof(*ex));
		if (!ex) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		rc = dp_pii_scan_table(drv, c, t, &st.pii, ex, eb);
		for (size_t i = 0; !rc && i < t->ncols; i++) {
			const dp_column *col = &t->cols[i];
			dp_pii_hit nh;
			int is_fk = 0, named;
			const char *kind = NULL, *by = "-";
			double conf = 0;
			char name[300], cf[16];
			for (size_t f = 0; f < t->nfks; f++)
				for (size_t m = 0; m < t->fks[f].ncols; m++)
					is_fk |= !strcmp(t->fks[f].cols[m], col->name);
			named = dp_pii_detect_column(t->name, col, is_fk, &st.pii, &nh);
			if (named) {
				kind = nh.kind;
				conf = nh.confidence;
				by = "column name";
			}
			if (col->pii_kind && !is_fk && !col->pk_pos && (!named || col->pii_conf > conf)) {
				kind = col->pii_kind;
				conf = col->pii_conf;
				by = col->pii_rule;
			}
			snprintf(name, sizeof(name), "%s.%s", t->name, col->name);
			snprintf(cf, sizeof(cf), "%.2f", conf);
			if (json) {
				cJSON *o = cJSON_CreateObject();
				cJSON_AddStringToObject(o, "table", t->name);
				cJSON_AddStringToObject(o, "column", col->name);
				cJSON_AddStringToObject(o, "type", col->type_decl ? col->type_decl : "");
				if (kind) {
					cJSON_AddStringToObject(o, "pii_kind", kind);
					cJSON_AddNumberToObject(o, "confidence", conf);
					cJSON_AddStringToObject(o, "detected_by", by);
				} else {
					cJSON_AddNullToObject(o, "pii_kind");
				}
				/* free text: scanned for PII inside (mask:textpii) */
				cJSON_AddBoolToObject(o, "free_text", col->free_text != 0);
				cJSON_AddItemToArray(root, o);
			} else {
				printf("%-36s %-14.14s %-14s %-5s %-22s %s%s%s\n", name,
				       col->type_decl && *col->type_decl ? col->type_decl : "-",
				       kind ? kind : col->free_text ? "free text" : "-", kind ? cf : "-",
				       kind ? by : col->free_text ? "PII looked for inside" : by,
				       ex[i][0], ex[i][1][0] ? ", " : "", ex[i][1]);
			}
		}
		free(ex);
	}
	if (json) {
		char *txt = cJSON_Print(root);
		if (txt)
			printf("%s\n", txt);
		free(txt);
		cJSON_Delete(root);
	}
	dp_settings_clear(&st);
	return rc;
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
	const dp_connector *drv;
	dp_conn *c = NULL;
	dp_schema *s = NULL;
	int64_t *counts = NULL;
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
	drv = dp_connector_find(cfg.connector_type);
	rc = drv ? drv->open(&cfg, DP_ROLE_SOURCE, &c, &eb)
		 : dp_fail(&eb, DP_ERR_UNSUPPORTED, "no %s connector", cfg.connector_type);
	if (!rc)
		rc = drv->introspect(c, &s, &eb);
	if (!rc) {
		counts = calloc(s->ntables ? s->ntables : 1, sizeof(*counts));
		if (!counts)
			rc = dp_fail(&eb, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t k = 0; !rc && k < s->ntables; k++)
		rc = drv->count_rows(c, &s->tables[k], &counts[k], &eb);
	if (!rc && pii) {
		rc = print_pii(drv, c, s, json, &eb);
		if (rc)
			code = cli_error(rc, &eb);
	} else if (rc) {
		code = cli_error(rc, &eb);
	} else if (json) {
		print_json(s, counts);
	} else {
		print_text(s, counts);
	}
	free(counts);
	dp_schema_free(s);
	if (c)
		drv->close(c);
	dp_conn_cfg_clear(&cfg);
	return code;
}
