/* connectors/typemap.c - the cross-engine type rules (see typemap.h). */
#include <stdio.h>
#include <string.h>
#include "typemap.h"

/* target declaration per class; "%L" = length, "%P,%S" = precision,scale */
typedef struct rule {
	dp_tclass cls;
	const char *pg, *my, *lite;
} rule;

static const rule rules[] = {
	{DP_T_INTEGER,   "bigint",           "BIGINT",        "INTEGER"},
	{DP_T_REAL,      "double precision", "DOUBLE",        "REAL"},
	{DP_T_NUMERIC,   "numeric",          "DECIMAL(65,30)", "NUMERIC"},
	{DP_T_TEXT,      "text",             "LONGTEXT",      "TEXT"},
	{DP_T_BLOB,      "bytea",            "LONGBLOB",      "BLOB"},
	{DP_T_BOOL,      "boolean",          "TINYINT(1)",    "BOOLEAN"},
	{DP_T_DATE,      "date",             "DATE",          "DATE"},
	{DP_T_TIME,      "time",             "TIME(6)",       "TIME"},
	{DP_T_TIMESTAMP, "timestamp",        "DATETIME(6)",   "DATETIME"},
	{DP_T_UUID,      "uuid",             "CHAR(36)",      "TEXT"},
	{DP_T_JSON,      "jsonb",            "JSON",          "TEXT"},
	{DP_T_UNKNOWN,   "text",             "LONGTEXT",      "TEXT"},
};

int dp_typemap(const char *table, const dp_column *col, const char *src_engine,
	       const char *tgt_engine, int in_key, dp_buf *out, dp_errbuf *eb)
{
	int pg = !strcmp(tgt_engine, "postgresql"), my = !strcmp(tgt_engine, "mysql");
	const rule *r = NULL;
	int rc;

	if (src_engine && !strcmp(src_engine, tgt_engine) && col->type_decl && *col->type_decl)
		rc = dp_buf_puts(out, col->type_decl);
	else {
		for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
			if (rules[i].cls == col->tclass)
				r = &rules[i];
		if (!r)
			r = &rules[sizeof(rules) / sizeof(rules[0]) - 1];
		switch (col->tclass) {
		case DP_T_NUMERIC:
			if (col->precision > 0) {
				int maxp = my ? 65 : pg ? 1000 : 1000000;
				if (col->precision > maxp || (my && col->scale > 30))
					return dp_fail(eb, DP_ERR_TYPE,
						       "%s.%s: %s (%s) cannot be held by %s (DECIMAL allows at most "
						       "65 digits, 30 after the point)", table, col->name,
						       col->type_decl, src_engine ? src_engine : "?", tgt_engine);
				rc = dp_buf_printf(out, pg ? "numeric(%d,%d)" : my ? "DECIMAL(%d,%d)"
						   : "NUMERIC(%d,%d)", col->precision, col->scale);
			} else {
				rc = dp_buf_puts(out, pg ? r->pg : my ? r->my : r->lite);
			}
			break;
		case DP_T_TEXT:
			if (col->length > 0 && (!my || col->length <= 16383))
				rc = dp_buf_printf(out, pg ? "varchar(%d)" : my ? "VARCHAR(%d)"
						   : "VARCHAR(%d)", col->length);
			else if (my && in_key)
				/* an index needs a bounded type: 768 chars x 4 bytes = InnoDB's 3072 */
				rc = dp_buf_puts(out, "VARCHAR(768)");
			else
				rc = dp_buf_puts(out, pg ? r->pg : my ? r->my : r->lite);
			break;
		case DP_T_BLOB:
			rc = dp_buf_puts(out, my && in_key ? "VARBINARY(3072)" : pg ? r->pg : my ? r->my : r->lite);
			break;
		case DP_T_UNKNOWN:
			rc = dp_buf_puts(out, my && in_key ? "VARCHAR(768)" : pg ? r->pg : my ? r->my : r->lite);
			break;
		default:
			rc = dp_buf_puts(out, pg ? r->pg : my ? r->my : r->lite);
		}
	}
	return rc ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
}
