/* connectors/typemap.c - the cross-engine type rules (see typemap.h).
 *
 * Within one engine a column keeps its declared type verbatim. Across
 * engines a column's declared type is first put in a family (rules[] below:
 * "int2", "float4", "decimal", "enum", ...) from the source engine's own
 * spelling, then declared in the target from that family's template. The
 * family keeps the width and the meaning (a smallint stays 2 bytes, a real
 * single precision, an instant an instant); where the target has no such
 * type the value travels as its text or bytes, and the rule's note says so.
 * README.md ("What is carried, mapped or refused") is generated from
 * rules[]: tests/unit/test_typemap.c fails when the two disagree.
 *
 * Exactness rules (every value is carried exactly, or refused by name):
 *
 * - Exact decimals (numeric(p,s), DECIMAL, MySQL BIGINT UNSIGNED) travel as
 *   their source text and are written verbatim. Into PostgreSQL: numeric(p,s)
 *   or numeric. Into MySQL: DECIMAL(p,s); an unconstrained numeric becomes
 *   DECIMAL(65,30) and each value is checked when written: one with more
 *   than 35 digits before or 30 after the point (trailing zeros aside), or
 *   NaN/Infinity, fails the load naming table.column (MySQL would round it
 *   with a mere note). Into SQLite the column is declared DECIMAL BLOB(p,s):
 *   the BLOB word gives it no affinity, because NUMERIC affinity turns every
 *   decimal-looking text into a double (15 digits) - the writer stores a
 *   value as INTEGER when it is an integer that fits 64 bits, as REAL when
 *   it has at most 15 significant digits (DBL_DIG: text -> double -> text
 *   gives the same digits), and as TEXT with every digit otherwise (also
 *   NaN/Infinity).
 * - Floats travel as doubles and are printed in the shortest form that
 *   reads back to the same double; a single-precision column stays single
 *   precision (real / FLOAT), SQLite's only REAL is 8 bytes. NaN and
 *   +-Infinity are kept by PostgreSQL; SQLite keeps +-Infinity as REAL and
 *   NaN as the TEXT 'NaN' (a NaN bound as REAL would become NULL); MySQL
 *   has neither: the load fails naming table.column and key.
 * - Zoned times (timestamptz, timetz): into MySQL DATETIME(6)/TIME(6) the
 *   value is converted to UTC (target sessions run with time_zone +00:00);
 *   into SQLite the ISO 8601 text with its offset (+HH:MM) is kept, in a
 *   column declared TIMESTAMP WITH TIME ZONE, which maps back to
 *   timestamptz. Values MySQL cannot hold (infinity, BC years) fail the
 *   load naming table.column. MySQL TIMESTAMP is an instant too: it is read
 *   as UTC with "+00:00" (dialect.c, dp_sql_read) and declared as a zoned
 *   type elsewhere. DATETIME and timestamp without time zone are wall-clock
 *   times: carried as written, never converted.
 * - interval and other types without a counterpart travel as their text
 *   form into a text column (LONGTEXT / TEXT).
 * - Generated columns are recreated as generated within one engine and
 *   never written as values; across engines their expression cannot be
 *   translated: refused here (plan time). PostgreSQL composite types are
 *   not created by doppel: refused. Domains arrive as their base type
 *   (values exact; the domain's CHECKs are not recreated).
 *
 * Limits of the target, computed before any DDL (dp_typemap_table):
 * identifiers longer than the target allows are refused (doppel does not
 * rename tables or columns; index names it makes itself are cut with a hash
 * suffix, dialect.c); a MySQL key or index holds at most 3072 bytes
 * (InnoDB, 4 bytes a utf8mb4 character): an unbounded text column in one is
 * declared VARCHAR(k) with k its share of the key (dp_typemap_key_chars),
 * stated in the plan; a longer value then fails the load naming its row.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "typemap.h"
#include "sqlbuf.h"
#include "../base/dp_time.h"

/* InnoDB's largest index key (DYNAMIC row format), and utf8mb4's width */
#define MY_KEY_BYTES 3072
#define MY_CHAR_BYTES 4
/* the longest VARCHAR a utf8mb4 row can hold (65535-byte row limit / 4) */
#define MY_VARCHAR_MAX 16383
/* identifier limits: PostgreSQL NAMEDATALEN - 1 bytes, MySQL NAME_CHAR_LEN characters */
#define PG_IDENT_MAX 63
#define MY_IDENT_MAX 64
#define PG_NUMERIC_MAX 1000
#define MY_DECIMAL_MAX 65
#define MY_DECIMAL_SCALE_MAX 30

/* the families; the order of rules[] */
typedef enum fam {
	F_INT2, F_INT4, F_INT8, F_UINT8, F_FLOAT4, F_FLOAT8, F_DECIMAL, F_DECIMAL_ANY, F_MONEY,
	F_BOOL, F_CHAR, F_VARCHAR, F_TEXT, F_NOCASE, F_RTRIM, F_ENUM, F_SET, F_PGENUM, F_BLOB,
	F_BIT_MY, F_BIT_PG, F_DATE, F_TIME, F_TIMETZ, F_TIMESTAMP, F_TIMESTAMPTZ, F_MY_TIMESTAMP,
	F_INTERVAL, F_UUID, F_JSON, F_JSONB, F_ARRAY, F_INET, F_MACADDR, F_GEOMETRY, F_GEOMETRIC,
	F_ANY, F_OTHER, F_COMPOSITE, F_GENERATED, F_NFAM
} fam;

/* Targets are templates: "(n)" = the length, "(p,s)" = precision and
 * scale, " + ..." = what dp_typemap_check adds; "refused" = a plan error.
 * Source spellings and notes are documentation (README). */
static const dp_typemap_rule rules[F_NFAM] = {
	[F_INT2] = {"int2", {"smallint", "tinyint(n), tinyint unsigned, smallint, year", "SMALLINT, INT2, TINYINT"},
		    {"smallint", "SMALLINT", "SMALLINT"},
		    "2 bytes (MySQL's 1-byte tinyint widens to 2: PostgreSQL has no 1-byte integer)"},
	[F_INT4] = {"int4", {"integer", "mediumint, smallint unsigned, int", "MEDIUMINT, INT4"},
		    {"integer", "INT", "INTEGER"},
		    "4 bytes; SQLite's INTEGER is 8 bytes and keeps an INTEGER PRIMARY KEY the rowid"},
	[F_INT8] = {"int8", {"bigint", "int unsigned, bigint", "INTEGER, INT, BIGINT, INT8, other names with INT"},
		    {"bigint", "BIGINT", "INTEGER"}, "8 bytes"},
	[F_UINT8] = {"uint8", {NULL, "bigint unsigned", NULL},
		     {"numeric(20,0)", "BIGINT UNSIGNED", "DECIMAL BLOB(20,0)"},
		     "0 .. 2^64-1 does not fit a signed 64-bit integer: an exact decimal; as a key or "
		     "auto-increment column bigint / INTEGER (a value above 2^63-1 fails the load)"},
	[F_FLOAT4] = {"float4", {"real", "float, float(p<=24)", NULL}, {"real", "FLOAT", "REAL"},
		      "single precision (SQLite has only the 8-byte REAL, which holds every value)"},
	[F_FLOAT8] = {"float8", {"double precision", "double, real, float(p>24)", "REAL, DOUBLE, FLOAT"},
		      {"double precision", "DOUBLE", "REAL"},
		      "double precision; NaN/Infinity kept by PostgreSQL and SQLite, a load error in MySQL"},
	[F_DECIMAL] = {"decimal", {"numeric(p,s)", "decimal(p,s)", "NUMERIC(p,s), DECIMAL(p,s)"},
		       {"numeric(p,s)", "DECIMAL(p,s)", "DECIMAL BLOB(p,s)"},
		       "p,s kept; refused at plan time above p 1000 (PostgreSQL), p 65 or s 30 (MySQL); "
		       "SQLite: no affinity, each value stored exactly as INTEGER, REAL or TEXT"},
	[F_DECIMAL_ANY] = {"decimal_any", {"numeric", NULL, "NUMERIC, DECIMAL, names of NUMERIC affinity"},
			   {"numeric", "DECIMAL(65,30)", "DECIMAL BLOB"},
			   "MySQL: a value with more than 35 digits before or 30 after the point fails the "
			   "load naming its row (never rounded)"},
	[F_MONEY] = {"money", {"money", NULL, NULL}, {"money", "DECIMAL(19,2)", "DECIMAL BLOB(19,2)"},
		     "read as money::numeric, not its lc_monetary text; 2 fraction digits"},
	[F_BOOL] = {"bool", {"boolean", "tinyint(1), bool", "BOOLEAN, BOOL"},
		    {"boolean", "TINYINT(1)", "BOOLEAN"},
		    "true/false as 1/0; a tinyint(1) value other than 0/1 fails the load into PostgreSQL"},
	[F_CHAR] = {"char", {"character(n)", "char(n)", "CHAR(n), CHARACTER(n), NCHAR(n)"},
		    {"char(n)", "CHAR(n)", "CHAR(n)"},
		    "fixed width: PostgreSQL pads with spaces, MySQL drops trailing spaces when read; "
		    "MySQL n > 255: VARCHAR(n)"},
	[F_VARCHAR] = {"varchar", {"character varying(n)", "varchar(n)", "VARCHAR(n), NVARCHAR(n), TEXT(n)"},
		       {"varchar(n)", "VARCHAR(n)", "VARCHAR(n)"},
		       "n characters (MySQL: utf8mb4, n > 16383: LONGTEXT); a MySQL key column: at most "
		       "its share of 3072 bytes"},
	[F_TEXT] = {"text", {"text, character varying", "tinytext, text, mediumtext, longtext",
			     "TEXT, CLOB, names with CHAR, no length"},
		    {"text", "LONGTEXT", "TEXT"},
		    "unbounded; a MySQL key or index column: VARCHAR(k), k = its share of the key's "
		    "3072 bytes (stated in the plan)"},
	[F_NOCASE] = {"nocase", {"citext", "a text type COLLATE ..._ci", "a text type COLLATE NOCASE"},
		      {"text", "... COLLATE utf8mb4_general_ci", "... COLLATE NOCASE"},
		      "case-insensitive: kept in MySQL and SQLite; PostgreSQL has no built-in "
		      "case-insensitive collation (citext is an extension): compares case-sensitively"},
	[F_RTRIM] = {"rtrim", {NULL, NULL, "a text type COLLATE RTRIM"}, {"text", "...", NULL},
		     "trailing spaces ignored: kept by MySQL's PAD SPACE utf8mb4_bin, not by PostgreSQL"},
	[F_ENUM] = {"enum", {NULL, "enum('a',...)", NULL},
		    {"varchar(n) + CHECK (c IN (labels))", "ENUM", "TEXT + CHECK (c IN (labels))"},
		    "n = the longest label"},
	[F_SET] = {"set", {NULL, "set('a',...)", NULL},
		   {"varchar(n) + CHECK (members are labels)", "SET", "TEXT + CHECK (members are labels)"},
		   "n = every label and its comma"},
	[F_PGENUM] = {"pg_enum", {"an enum type", NULL, NULL}, {"(the enum)", "LONGTEXT", "TEXT"},
		      "the PostgreSQL driver reads an enum as text (labels not introspected): no CHECK"},
	[F_BLOB] = {"blob", {"bytea", "binary(n), varbinary(n), tinyblob .. longblob", "BLOB, no type"},
		    {"bytea", "LONGBLOB", "BLOB"},
		    "bytes (MySQL binary(n) keeps its 0x00 padding); a MySQL key column: VARBINARY(k)"},
	[F_BIT_MY] = {"bit", {NULL, "bit(n)", NULL}, {"bytea", "BIT(n)", "BLOB"},
		      "the n bits as MySQL returns them: ceil(n/8) bytes, big-endian"},
	[F_BIT_PG] = {"bit_string", {"bit(n), bit varying(n)", NULL, NULL}, {"bit(n)", "VARCHAR(n)", "TEXT"},
		      "the bit string as text of 0s and 1s"},
	[F_DATE] = {"date", {"date", "date", "DATE"}, {"date", "DATE", "DATE"},
		    "a MySQL zero date (0000-00-00) fails the load into PostgreSQL"},
	[F_TIME] = {"time", {"time", "time", "TIME"}, {"time", "TIME(6)", "TIME"},
		    "time of day; a MySQL TIME outside 00:00-24:00 (a duration) fails the load into PostgreSQL"},
	[F_TIMETZ] = {"timetz", {"time with time zone", NULL, "TIME WITH TIME ZONE"},
		      {"time with time zone", "TIME(6)", "TIME WITH TIME ZONE"},
		      "MySQL: converted to UTC; SQLite: the text with its +HH:MM offset"},
	[F_TIMESTAMP] = {"timestamp", {"timestamp", "datetime", "DATETIME, TIMESTAMP"},
			 {"timestamp", "DATETIME(6)", "DATETIME"},
			 "wall-clock time without a zone: carried as written, never converted"},
	[F_TIMESTAMPTZ] = {"timestamptz", {"timestamp with time zone", NULL, "TIMESTAMP WITH TIME ZONE, TIMESTAMPTZ"},
			   {"timestamp with time zone", "DATETIME(6)", "TIMESTAMP WITH TIME ZONE"},
			   "an instant: MySQL DATETIME(6) holds it in UTC (target sessions at +00:00); "
			   "SQLite keeps the ISO 8601 text with its offset"},
	[F_MY_TIMESTAMP] = {"mysql_timestamp", {NULL, "timestamp", NULL},
			    {"timestamp with time zone", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE"},
			    "an instant: read as UTC with +00:00 (not in the session's zone), so the instant is kept"},
	[F_INTERVAL] = {"interval", {"interval", NULL, NULL}, {"interval", "LONGTEXT", "TEXT"},
			"its PostgreSQL text form (no interval arithmetic in MySQL or SQLite)"},
	[F_UUID] = {"uuid", {"uuid", "uuid", "UUID"}, {"uuid", "CHAR(36)", "TEXT"},
		    "the canonical 36-character text"},
	[F_JSON] = {"json", {"json", NULL, "JSON"}, {"json", "JSON", "TEXT"},
		    "the text exactly in PostgreSQL json and SQLite; MySQL JSON normalises it"},
	[F_JSONB] = {"jsonb", {"jsonb", "json", NULL}, {"jsonb", "JSON", "TEXT"},
		     "normalised JSON on both sides"},
	[F_ARRAY] = {"array", {"any array (integer[], text[])", NULL, NULL}, {"(the array)", "LONGTEXT", "TEXT"},
		     "PostgreSQL's array literal text ({1,2,\"a b\"}), not JSON: stated in the plan"},
	[F_INET] = {"inet", {"inet, cidr", "inet4, inet6", NULL}, {"inet", "VARCHAR(43)", "TEXT"},
		    "the address text (IPv6 with a prefix length fits 43 characters); into MySQL refused "
		    "while the PostgreSQL driver classifies it numeric"},
	[F_MACADDR] = {"macaddr", {"macaddr, macaddr8", NULL, NULL}, {"macaddr", "VARCHAR(23)", "TEXT"},
		       "the address text; into MySQL refused while the PostgreSQL driver classifies it numeric"},
	[F_GEOMETRY] = {"geometry", {NULL, "geometry, point, linestring, polygon, multi..., geometrycollection", NULL},
			{"bytea", "GEOMETRY", "BLOB"},
			"MySQL's geometry bytes: a 4-byte little-endian SRID, then WKB "
			"(ST_GeomFromWKB(SUBSTRING(v, 5), srid) rebuilds it), never a number; into PostgreSQL "
			"refused while the MySQL driver reads it as text"},
	[F_GEOMETRIC] = {"pg_geometric", {"point, line, lseg, box, path, polygon, circle", NULL, NULL},
			 {"(the type)", "LONGTEXT", "TEXT"}, "their PostgreSQL text form, (1,2) ...; into MySQL "
			 "refused for those the PostgreSQL driver classifies numeric (box, path, ...)"},
	[F_ANY] = {"any", {NULL, NULL, "ANY (STRICT tables)"}, {"text", "LONGTEXT", "TEXT"},
		   "every value as its text"},
	[F_OTHER] = {"other", {"xml, tsvector, ranges, other types", NULL, NULL}, {"text", "LONGTEXT", "TEXT"},
		     "the text form; into MySQL refused for those the PostgreSQL driver classifies numeric (xml, ...)"},
	[F_COMPOSITE] = {"composite", {"a composite type", NULL, NULL}, {"refused", "refused", "refused"},
			 "not recreated by doppel (same engine too): store it as jsonb or columns, or exclude the table"},
	[F_GENERATED] = {"generated", {"GENERATED ALWAYS AS", "AS (...) VIRTUAL or STORED", "AS (...)"},
			 {"refused", "refused", "refused"},
			 "recreated as generated within one engine; across engines the expression is the "
			 "source's SQL: refused at plan time"},
};

size_t dp_typemap_rules(const dp_typemap_rule **out)
{
	*out = rules;
	return F_NFAM;
}

static int eng_index(const char *engine)
{
	if (!engine)
		return -1;
	if (!strcmp(engine, "postgresql"))
		return 0;
	if (!strcmp(engine, "mysql"))
		return 1;
	if (!strcmp(engine, "sqlite"))
		return 2;
	return -1;
}

static int has_ci(const char *s, const char *w)
{
	return s && strcasestr(s, w) != NULL;
}

/* The declared type in lower case, without a trailing " collate X"
 * (sqlite.c appends a non-binary collation to the declaration); *coll
 * receives X ("" when none). */
static void lower_decl(const char *decl, char *d, size_t n, char *coll, size_t ncoll)
{
	size_t i = 0;
	char *c;

	for (; decl && decl[i] && i + 1 < n; i++)
		d[i] = (char)tolower((unsigned char)decl[i]);
	d[i] = '\0';
	while (i > 0 && d[i - 1] == ' ')
		d[--i] = '\0';
	coll[0] = '\0';
	if ((c = strstr(d, " collate ")) != NULL) {
		snprintf(coll, ncoll, "%s", c + 9);
		*c = '\0';
	}
}

/* bit(n) / bit varying(n): n, from the classification or the declaration
 * (a driver that reads bits as text leaves precision and length 0) */
static int bit_width(const dp_column *col)
{
	const char *d = col->base_decl ? col->base_decl : col->type_decl, *p;

	if (col->precision > 0)
		return col->precision;
	if (col->length > 0)
		return col->length;
	p = d ? strchr(d, '(') : NULL;
	return p ? atoi(p + 1) : 0;
}

static int starts(const char *d, const char *w)
{
	return !strncmp(d, w, strlen(w));
}

/* "name(12)" -> 12; 0 without a number */
static int paren_num(const char *d)
{
	const char *p = strchr(d, '(');
	return p ? atoi(p + 1) : 0;
}

static int is_my_geometry(const char *d)
{
	static const char *const g[] = {"geometry", "point", "linestring", "polygon", "multipoint",
					"multilinestring", "multipolygon", "geometrycollection",
					"geomcollection"};
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		if (!strcmp(d, g[i]))
			return 1;
	return 0;
}

static fam fam_by_class(const dp_column *col)
{
	switch (col->tclass) {
	case DP_T_INTEGER: return dp_type_is_unsigned_bigint(col) ? F_UINT8 : F_INT8;
	case DP_T_REAL: return F_FLOAT8;
	case DP_T_NUMERIC: return col->precision > 0 ? F_DECIMAL : F_DECIMAL_ANY;
	case DP_T_TEXT: return col->length > 0 ? F_VARCHAR : F_TEXT;
	case DP_T_BLOB: return F_BLOB;
	case DP_T_BOOL: return F_BOOL;
	case DP_T_DATE: return F_DATE;
	case DP_T_TIME: return dp_type_is_zoned(col) ? F_TIMETZ : F_TIME;
	case DP_T_TIMESTAMP: return dp_type_is_zoned(col) ? F_TIMESTAMPTZ : F_TIMESTAMP;
	case DP_T_UUID: return F_UUID;
	case DP_T_JSON: return F_JSON;
	default: return F_OTHER;
	}
}

static fam fam_pg(const char *d, const dp_column *col)
{
	size_t n = strlen(d);

	if (n > 2 && !strcmp(d + n - 2, "[]"))
		return F_ARRAY;
	if (!strcmp(d, "smallint")) return F_INT2;
	if (!strcmp(d, "integer")) return F_INT4;
	if (!strcmp(d, "bigint")) return F_INT8;
	if (!strcmp(d, "real")) return F_FLOAT4;
	if (!strcmp(d, "double precision")) return F_FLOAT8;
	if (starts(d, "numeric")) return strchr(d, '(') ? F_DECIMAL : F_DECIMAL_ANY;
	if (!strcmp(d, "money")) return F_MONEY;
	if (!strcmp(d, "boolean")) return F_BOOL;
	if (starts(d, "character varying")) return strchr(d, '(') ? F_VARCHAR : F_TEXT;
	if (starts(d, "character") || starts(d, "bpchar")) return F_CHAR;
	if (!strcmp(d, "text") || !strcmp(d, "name")) return F_TEXT;
	if (!strcmp(d, "citext")) return F_NOCASE;
	if (!strcmp(d, "bytea")) return F_BLOB;
	if (starts(d, "bit")) return F_BIT_PG;
	if (!strcmp(d, "date")) return F_DATE;
	if (starts(d, "timestamp")) return strstr(d, "with time zone") && !strstr(d, "without")
					   ? F_TIMESTAMPTZ : F_TIMESTAMP;
	if (starts(d, "time")) return strstr(d, "with time zone") && !strstr(d, "without") ? F_TIMETZ : F_TIME;
	if (starts(d, "interval")) return F_INTERVAL;
	if (!strcmp(d, "uuid")) return F_UUID;
	if (!strcmp(d, "json")) return F_JSON;
	if (!strcmp(d, "jsonb")) return F_JSONB;
	if (!strcmp(d, "inet") || !strcmp(d, "cidr")) return F_INET;
	if (starts(d, "macaddr")) return F_MACADDR;
	if (!strcmp(d, "point") || !strcmp(d, "line") || !strcmp(d, "lseg") || !strcmp(d, "box") ||
	    !strcmp(d, "path") || !strcmp(d, "polygon") || !strcmp(d, "circle"))
		return F_GEOMETRIC;
	/* arrays the driver made text, enums (read as 'text' above) */
	return col->tclass == DP_T_TEXT ? F_TEXT : F_OTHER;
}

static fam fam_my(const char *d, const dp_column *col)
{
	int uns = strstr(d, "unsigned") != NULL;

	if (starts(d, "enum(")) return F_ENUM;
	if (starts(d, "set(")) return F_SET;
	if (starts(d, "bit")) return F_BIT_MY;
	if (is_my_geometry(d)) return F_GEOMETRY;
	if (starts(d, "tinyint(1)") || starts(d, "bool")) return F_BOOL;
	if (starts(d, "tinyint") || starts(d, "year")) return F_INT2;
	if (starts(d, "smallint")) return uns ? F_INT4 : F_INT2;
	if (starts(d, "mediumint")) return F_INT4;
	if (starts(d, "bigint")) return uns ? F_UINT8 : F_INT8;
	if (starts(d, "int")) return uns ? F_INT8 : F_INT4;
	if (starts(d, "float")) {
		/* float(p): p <= 24 single, else double; float(m,d) single */
		int p = paren_num(d);
		return p > 24 && !strchr(d, ',') ? F_FLOAT8 : F_FLOAT4;
	}
	if (starts(d, "double") || starts(d, "real")) return F_FLOAT8;
	if (starts(d, "decimal") || starts(d, "numeric") || starts(d, "dec") || starts(d, "fixed"))
		return strchr(d, '(') ? F_DECIMAL : F_DECIMAL_ANY;
	if (starts(d, "char")) return F_CHAR;
	if (starts(d, "varchar")) return F_VARCHAR;
	if (strstr(d, "text")) return F_TEXT;
	if (starts(d, "binary") || starts(d, "varbinary") || strstr(d, "blob")) return F_BLOB;
	if (starts(d, "timestamp")) return F_MY_TIMESTAMP;
	if (starts(d, "datetime")) return F_TIMESTAMP;
	if (!strcmp(d, "date")) return F_DATE;
	if (starts(d, "time")) return F_TIME;
	if (!strcmp(d, "json")) return F_JSONB;
	if (!strcmp(d, "uuid")) return F_UUID;
	if (!strcmp(d, "inet4") || !strcmp(d, "inet6")) return F_INET;
	return fam_by_class(col);
}

/* SQLite: the declared spelling, read the way SQLite's affinity rules do
 * (INT first), with doppel's own names (BOOLEAN, DATETIME, UUID, JSON,
 * DECIMAL BLOB) before them. */
static fam fam_lite(const char *d, const char *coll)
{
	fam f;

	if (!*d) return F_BLOB;
	if (!strcmp(d, "any")) return F_ANY;
	if (strstr(d, "uuid")) return F_UUID;
	if (strstr(d, "json")) return F_JSON;
	if (strstr(d, "bool")) return F_BOOL;
	if (strstr(d, "decimal blob")) return strchr(d, '(') ? F_DECIMAL : F_DECIMAL_ANY;
	if (strstr(d, "int")) {
		if (strstr(d, "unsigned big")) return F_INT8;
		if (strstr(d, "smallint") || strstr(d, "tinyint") || !strcmp(d, "int2")) return F_INT2;
		if (strstr(d, "mediumint") || !strcmp(d, "int4")) return F_INT4;
		return F_INT8;
	}
	if (strstr(d, "timestamp") || strstr(d, "datetime"))
		return strstr(d, "with time zone") || strstr(d, "timestamptz") ? F_TIMESTAMPTZ : F_TIMESTAMP;
	if (strstr(d, "date")) return F_DATE;
	if (strstr(d, "time")) return strstr(d, "with time zone") || strstr(d, "timetz") ? F_TIMETZ : F_TIME;
	if (strstr(d, "char") || strstr(d, "clob") || strstr(d, "text")) {
		if (!strcasecmp(coll, "nocase")) return F_NOCASE;
		if (!strcasecmp(coll, "rtrim")) return F_RTRIM;
		if (!strchr(d, '(')) return F_TEXT;
		f = (strstr(d, "char") && !strstr(d, "varchar") && !strstr(d, "varying")) ? F_CHAR : F_VARCHAR;
		return f;
	}
	if (strstr(d, "blob")) return F_BLOB;
	if (strstr(d, "real") || strstr(d, "floa") || strstr(d, "doub")) return F_FLOAT8;
	return strchr(d, '(') && (strstr(d, "num") || strstr(d, "dec")) ? F_DECIMAL : F_DECIMAL_ANY;
}

/* The family of col read from src_engine; for F_NOCASE/F_RTRIM *base
 * receives the family of the text type itself. */
static fam family(const dp_column *col, const char *src_engine, fam *base)
{
	char d[256], coll[64];
	fam f;

	/* another engine maps a domain by its base type */
	lower_decl(col->base_decl ? col->base_decl : col->type_decl, d, sizeof(d), coll, sizeof(coll));
	if (col->user_type)
		f = F_COMPOSITE;
	else if (src_engine && !strcmp(src_engine, "postgresql"))
		f = fam_pg(d, col);
	else if (src_engine && !strcmp(src_engine, "mysql")) {
		f = fam_my(d, col);
		/* a case-insensitive collation (if the driver names it: "... COLLATE x_ci") */
		if ((f == F_TEXT || f == F_VARCHAR || f == F_CHAR) && strlen(coll) > 3 &&
		    !strcmp(coll + strlen(coll) - 3, "_ci"))
			f = F_NOCASE;
	}
	else if (src_engine && !strcmp(src_engine, "sqlite"))
		f = fam_lite(d, coll);
	else
		f = fam_by_class(col);
	*base = f;
	if (f == F_NOCASE || f == F_RTRIM) {
		if (src_engine && !strcmp(src_engine, "mysql"))
			*base = fam_my(d, col);
		else if (!strcmp(d, "citext") || !strchr(d, '('))
			*base = F_TEXT;
		else
			*base = strstr(d, "char") && !strstr(d, "varchar") && !strstr(d, "varying") ? F_CHAR : F_VARCHAR;
	}
	return f;
}

const dp_typemap_rule *dp_typemap_rule_of(const dp_column *col, const char *src_engine)
{
	fam base;
	return &rules[col->generated ? F_GENERATED : family(col, src_engine, &base)];
}

int dp_type_is_zoned(const dp_column *col)
{
	return (col->tclass == DP_T_TIMESTAMP || col->tclass == DP_T_TIME) &&
	       (has_ci(col->type_decl, "with time zone") || has_ci(col->type_decl, "timestamptz") ||
		has_ci(col->type_decl, "timetz"));
}

int dp_type_is_unsigned_bigint(const dp_column *col)
{
	return col->tclass == DP_T_INTEGER && has_ci(col->type_decl, "bigint") &&
	       has_ci(col->type_decl, "unsigned");
}

int dp_type_is_decimal(const dp_column *col, const char *src_engine)
{
	fam base, f = family(col, src_engine, &base);
	return f == F_DECIMAL || f == F_DECIMAL_ANY || f == F_MONEY || f == F_UINT8;
}

int dp_type_is_mysql_timestamp(const dp_column *col)
{
	char d[64], coll[16];
	lower_decl(col->type_decl, d, sizeof(d), coll, sizeof(coll));
	return col->tclass == DP_T_TIMESTAMP && starts(d, "timestamp") && !strstr(d, "zone");
}

int dp_type_is_bytes(const dp_column *col, const char *src_engine)
{
	fam base, f = family(col, src_engine, &base);
	return f == F_BLOB || f == F_BIT_MY || f == F_GEOMETRY;
}

/* Append template tpl up to any " + ", with "(n)" and "(p,s)" filled in. */
static int expand(dp_buf *out, const char *tpl, int n, int p, int s)
{
	const char *end = strstr(tpl, " + ");
	size_t len = end ? (size_t)(end - tpl) : strlen(tpl);
	int rc = 0;

	for (size_t i = 0; !rc && i < len; i++) {
		if (!strncmp(tpl + i, "(n)", 3)) {
			rc = dp_buf_printf(out, "(%d)", n);
			i += 2;
		} else if (!strncmp(tpl + i, "(p,s)", 5)) {
			rc = dp_buf_printf(out, "(%d,%d)", p, s);
			i += 4;
		} else {
			rc = dp_buf_append(out, tpl + i, 1);
		}
	}
	return rc;
}

/* ENUM / SET labels of a MySQL COLUMN_TYPE: calls fn for each label (the
 * text between quotes, '' undoubled); returns the count. */
typedef int (*label_fn)(void *arg, const char *s, size_t n, int first);
static int each_label(const char *decl, label_fn fn, void *arg)
{
	const char *p = strchr(decl, '(');
	char lab[1024];
	int count = 0;

	if (!p)
		return 0;
	for (p++; *p;) {
		size_t n = 0;
		if (*p != '\'')
			break;
		for (p++; *p; p++) {
			if (*p == '\'' && p[1] == '\'') {
				p++;
			} else if (*p == '\'') {
				break;
			}
			if (n + 1 < sizeof(lab))
				lab[n++] = *p;
		}
		if (*p != '\'')
			break;
		p++;
		if (fn && fn(arg, lab, n, count == 0))
			return -1;
		count++;
		if (*p == ',')
			p++;
		else
			break;
	}
	return count;
}

/* characters (not bytes) of UTF-8 text */
static int utf8_chars(const char *s, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

typedef struct label_width { int longest, total; } label_width;
static int label_width_fn(void *arg, const char *s, size_t n, int first)
{
	label_width *w = arg;
	int c = utf8_chars(s, n);
	if (c > w->longest)
		w->longest = c;
	w->total += c + (first ? 0 : 1);
	return 0;
}

/* 'text' with quotes doubled, optionally between two commas */
static int lit(dp_buf *out, const char *s, size_t n, int commas)
{
	int rc = dp_buf_puts(out, commas ? "'," : "'");
	for (size_t i = 0; !rc && i < n; i++)
		rc = dp_buf_append(out, s[i] == '\'' ? "''" : s + i, s[i] == '\'' ? 2 : 1);
	return rc ? rc : dp_buf_puts(out, commas ? ",'" : "'");
}

typedef struct check_arg { dp_buf *out; } check_arg;
static int enum_label_fn(void *arg, const char *s, size_t n, int first)
{
	check_arg *a = arg;
	return (first ? 0 : dp_buf_puts(a->out, ", ")) || lit(a->out, s, n, 0);
}

static int set_open_fn(void *arg, const char *s, size_t n, int first)
{
	check_arg *a = arg;
	(void)s, (void)n, (void)first;
	return dp_buf_puts(a->out, "replace(");
}

static int set_close_fn(void *arg, const char *s, size_t n, int first)
{
	check_arg *a = arg;
	(void)first;
	return dp_buf_puts(a->out, ", ") || lit(a->out, s, n, 1) || dp_buf_puts(a->out, ", ',')");
}

int dp_typemap_check(const dp_column *col, const char *src_engine, const char *tgt_engine,
		     char quote, dp_buf *out)
{
	fam base, f = family(col, src_engine, &base);
	check_arg a = {out};
	int rc;

	if ((src_engine && tgt_engine && !strcmp(src_engine, tgt_engine)) || (f != F_ENUM && f != F_SET))
		return DP_OK;
	rc = dp_buf_puts(out, "CHECK (");
	if (!rc)
		rc = dp_quote_ident(out, col->name, quote);
	if (!rc && f == F_ENUM) {
		/* MySQL stores '' for an invalid value in non-strict mode: refused here */
		rc = dp_buf_puts(out, " IN (");
		if (!rc && each_label(col->type_decl, enum_label_fn, &a) < 0)
			rc = DP_ERR_NOMEM;
		if (!rc)
			rc = dp_buf_puts(out, "))");
	} else if (!rc) {
		/* a SET value lists distinct members in definition order: removing
		 * ",label," for each label in that order leaves "," exactly when
		 * every member is a label */
		rc = dp_buf_puts(out, " = '' OR ");
		if (!rc && each_label(col->type_decl, set_open_fn, &a) < 0)
			rc = DP_ERR_NOMEM;
		if (!rc)
			rc = dp_buf_puts(out, "',' || ");
		if (!rc)
			rc = dp_quote_ident(out, col->name, quote);
		if (!rc)
			rc = dp_buf_puts(out, " || ','");
		if (!rc && each_label(col->type_decl, set_close_fn, &a) < 0)
			rc = DP_ERR_NOMEM;
		if (!rc)
			rc = dp_buf_puts(out, " = ',')");
	}
	return rc ? DP_ERR_NOMEM : DP_OK;
}

const char *dp_typemap_note(const dp_column *col, const char *src_engine, const char *tgt_engine)
{
	fam base, f;

	if (!src_engine || !tgt_engine || !strcmp(src_engine, tgt_engine))
		return NULL;
	f = family(col, src_engine, &base);
	switch (f) {
	case F_ARRAY: case F_INTERVAL: case F_GEOMETRIC: case F_OTHER: case F_ANY:
	case F_PGENUM: case F_BIT_PG: case F_BIT_MY: case F_GEOMETRY: case F_MY_TIMESTAMP:
	case F_MONEY: case F_UINT8:
		return rules[f].note;
	case F_TIMESTAMPTZ: case F_TIMETZ:
		return strcmp(tgt_engine, "mysql") ? NULL : rules[f].note;   /* converted to UTC */
	case F_INT2:
		return has_ci(col->type_decl, "tinyint") ? rules[f].note : NULL;
	case F_NOCASE: case F_RTRIM:
		return strcmp(tgt_engine, "postgresql") ? NULL : rules[f].note;
	default:
		return NULL;
	}
}

/* Refuse an identifier the target cannot hold. */
static int ident_fits(const char *what, const char *table, const char *name, const char *tgt,
		      dp_errbuf *eb)
{
	int ti = eng_index(tgt);
	size_t max = ti == 0 ? PG_IDENT_MAX : ti == 1 ? MY_IDENT_MAX : 0;
	size_t len = ti == 1 ? (size_t)utf8_chars(name, strlen(name)) : strlen(name);

	if (!max || len <= max)
		return DP_OK;
	return dp_fail(eb, DP_ERR_CONFIG, "%s%s%s: the %s name is %zu %s long; %s allows %zu (%s): "
		       "doppel does not rename tables or columns; rename it in the source or exclude "
		       "the table", table, name == table ? "" : ".", name == table ? "" : name, what, len,
		       ti == 1 ? "characters" : "bytes", tgt, max,
		       ti == 1 ? "NAME_CHAR_LEN" : "NAMEDATALEN - 1; PostgreSQL would cut it silently");
}

int dp_typemap(const char *table, const dp_column *col, const char *src_engine,
	       const char *tgt_engine, int in_key, dp_buf *out, dp_errbuf *eb)
{
	int ti = eng_index(tgt_engine);
	int pg = ti == 0, my = ti == 1;
	int same = src_engine && !strcmp(src_engine, tgt_engine);
	const char *tpl;
	fam base, f;
	int rc;

	if (col->user_type && !same)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.%s: composite type %s (%s) is not recreated by doppel "
			       "in %s; store the value as jsonb or as separate columns in the source, or "
			       "exclude the table", table, col->name, col->user_type,
			       src_engine ? src_engine : "?", tgt_engine);
	if (col->generated && !same)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.%s: generated column (%s GENERATED ALWAYS AS (%s)%s) "
			       "cannot be recreated in %s: its expression is %s SQL, and its values must "
			       "not be written as plain data; clone into %s (the column is recreated as "
			       "generated), or drop the generated column from the source", table, col->name,
			       col->type_decl ? col->type_decl : "?", col->generated,
			       col->generated_stored ? " STORED" : " VIRTUAL", tgt_engine,
			       src_engine ? src_engine : "?", src_engine ? src_engine : "its engine");
	if (!same && (ident_fits("table", table, table, tgt_engine, eb) ||
		      ident_fits("column", table, col->name, tgt_engine, eb)))
		return eb->code;
	if (same && col->type_decl && *col->type_decl)
		return dp_buf_puts(out, col->type_decl) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
	if (ti < 0)
		return dp_fail(eb, DP_ERR_CONFIG, "%s.%s: no type rules for target engine %s", table,
			       col->name, tgt_engine ? tgt_engine : "?");
	f = family(col, src_engine, &base);
	tpl = rules[base].tgt[ti];
	switch (base) {
	case F_UINT8:
		/* a key or auto-increment column: the target's 64-bit integer
		 * (an identity must be an integer type, FKs need equal types) */
		if ((in_key || col->pk_pos || col->is_identity) && !my)
			tpl = rules[F_INT8].tgt[ti];
		break;
	case F_DECIMAL:
		if (col->precision > (my ? MY_DECIMAL_MAX : pg ? PG_NUMERIC_MAX : 1000000) ||
		    (my && col->scale > MY_DECIMAL_SCALE_MAX) || col->scale < 0 || col->scale > col->precision)
			return dp_fail(eb, DP_ERR_CONFIG,
				       "%s.%s: %s (%s) cannot be held by %s without rounding (%s allows %s)",
				       table, col->name, col->type_decl, src_engine ? src_engine : "?", tgt_engine,
				       my ? "DECIMAL" : "numeric",
				       my ? "at most 65 digits, 30 after the point"
					  : "at most 1000 digits, 0 <= scale <= precision");
		break;
	case F_CHAR:
		if (my && col->length > 255)
			tpl = "VARCHAR(n)";
		if (col->length <= 0)
			tpl = rules[F_TEXT].tgt[ti];
		break;
	case F_VARCHAR:
		if (my && col->length > MY_VARCHAR_MAX)
			tpl = rules[F_TEXT].tgt[ti];
		if (col->length <= 0)
			tpl = rules[F_TEXT].tgt[ti];
		break;
	case F_BIT_PG:
		if (bit_width(col) <= 0 || (my && bit_width(col) > MY_VARCHAR_MAX))
			tpl = rules[F_TEXT].tgt[ti];
		break;
	case F_ENUM:
	case F_SET:
		if (pg) {
			label_width w = {0, 0};
			each_label(col->type_decl, label_width_fn, &w);
			rc = dp_buf_printf(out, "varchar(%d)", (f == F_ENUM ? w.longest : w.total) > 0
					   ? (f == F_ENUM ? w.longest : w.total) : 1);
			return rc ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
		}
		break;
	case F_INET: case F_MACADDR: case F_OTHER: case F_GEOMETRIC: case F_INTERVAL: case F_ARRAY:
		/* text whose source driver classified it numeric: the MySQL writer
		 * checks numeric values as decimals and would refuse every row */
		if (my && col->tclass == DP_T_NUMERIC)
			return dp_fail(eb, DP_ERR_CONFIG, "%s.%s: %s (%s) into %s: the %s driver classifies this "
				       "type as numeric, so its text values would be refused as decimals at load "
				       "time; clone into sqlite, or exclude the column", table, col->name,
				       col->type_decl, src_engine ? src_engine : "?", tgt_engine,
				       src_engine ? src_engine : "source");
		break;
	case F_GEOMETRY:
		/* the MySQL driver must deliver the value as bytes (DP_T_BLOB): a
		 * geometry read as text holds NUL bytes no PostgreSQL text takes */
		if (pg && col->tclass != DP_T_BLOB)
			return dp_fail(eb, DP_ERR_CONFIG, "%s.%s: %s (%s) into %s bytea: the mysql driver reads "
				       "this geometry as text, not as bytes; clone into sqlite or mysql, or "
				       "exclude the column", table, col->name, col->type_decl, src_engine, tgt_engine);
		break;
	default:
		break;
	}
	if (!strcmp(tpl, "refused"))
		return dp_fail(eb, DP_ERR_CONFIG, "%s.%s: %s (%s) is not carried into %s: %s", table,
			       col->name, col->type_decl, src_engine ? src_engine : "?", tgt_engine, rules[base].note);
	if (tpl[0] == '(')
		tpl = rules[F_OTHER].tgt[ti];
	/* MySQL keys hold 3072 bytes: a text or bytes column in one gets its share */
	if (my && in_key) {
		int k = in_key > 1 ? in_key : MY_KEY_BYTES / MY_CHAR_BYTES;
		if (!strcmp(tpl, "LONGTEXT") || (!strcmp(tpl, "VARCHAR(n)") && col->length > k) ||
		    (!strcmp(tpl, "CHAR(n)") && col->length > k))
			return dp_buf_printf(out, "VARCHAR(%d)%s", k, f == F_NOCASE ? " COLLATE utf8mb4_general_ci" : "")
			       ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
		if (!strcmp(tpl, "LONGBLOB"))
			return dp_buf_printf(out, "VARBINARY(%d)", k * MY_CHAR_BYTES > MY_KEY_BYTES ? MY_KEY_BYTES
					     : k * MY_CHAR_BYTES) ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
	}
	rc = expand(out, tpl, base == F_BIT_PG ? bit_width(col) : col->length, col->precision, col->scale);
	/* zoned time without MySQL: kept zoned; into MySQL: UTC (rules note) */
	if (!rc && (f == F_NOCASE || f == F_RTRIM) && !pg) {
		const char *cl = my ? (f == F_NOCASE ? " COLLATE utf8mb4_general_ci" : "")
				    : (f == F_NOCASE ? " COLLATE NOCASE" : " COLLATE RTRIM");
		rc = dp_buf_puts(out, cl);
	}
	return rc ? dp_fail(eb, DP_ERR_NOMEM, "out of memory") : DP_OK;
}

/* ---- MySQL key widths ---- */

/* Bytes a column takes in a MySQL key; -1 for a text or bytes column whose
 * width is shared out (*cap: its declared characters, 0 = unbounded). */
static int key_bytes(const dp_column *col, const char *src_engine, int *cap)
{
	fam base;

	family(col, src_engine, &base);
	*cap = 0;
	switch (base) {
	case F_CHAR: case F_VARCHAR: case F_TEXT: case F_BLOB: case F_OTHER: case F_ANY:
	case F_INTERVAL: case F_ARRAY: case F_GEOMETRIC: case F_PGENUM: case F_JSON: case F_JSONB:
	case F_BIT_PG:
		*cap = base == F_BIT_PG ? bit_width(col) : col->length;
		return -1;
	case F_UUID: return 36 * MY_CHAR_BYTES;
	case F_INET: return 43 * MY_CHAR_BYTES;
	case F_MACADDR: return 23 * MY_CHAR_BYTES;
	case F_DECIMAL: case F_DECIMAL_ANY: case F_MONEY: case F_UINT8: return 32;
	default: return 8;
	}
}

/* The share column ci gets in a key of the columns idx[0..n) (indexes into
 * t->cols): water-filling of what the fixed-width columns leave. */
static int key_share(const dp_table *t, const size_t *idx, size_t n, size_t ci, const char *src)
{
	int budget = MY_KEY_BYTES, caps[64], nvar = 0, mine = -1, result = -1;
	size_t var[64];

	for (size_t i = 0; i < n && i < 64; i++) {
		int cap, b = key_bytes(&t->cols[idx[i]], src, &cap);
		if (b >= 0) {
			budget -= b;
			continue;
		}
		var[nvar] = idx[i];
		caps[nvar++] = cap > 0 ? cap : 1 << 30;
	}
	if (budget < nvar * MY_CHAR_BYTES || budget < 0)
		return -1;
	for (int i = 0; i < nvar; i++)
		if (var[i] == ci)
			mine = i;
	if (mine < 0)
		return MY_KEY_BYTES / MY_CHAR_BYTES;   /* fixed width: not shared */
	/* smallest caps first: those that fit an equal share keep their width */
	for (int left = nvar; left > 0; left--) {
		int lo = -1, share = budget / MY_CHAR_BYTES / left;
		for (int i = 0; i < nvar; i++)
			if (caps[i] > 0 && (lo < 0 || caps[i] < caps[lo]))
				lo = i;
		if (caps[lo] > share) {
			result = share;       /* this and every wider column: the share */
			break;
		}
		if (lo == mine)
			return caps[lo];
		budget -= caps[lo] * MY_CHAR_BYTES;
		caps[lo] = 0;
	}
	return result;
}

int dp_typemap_key_chars(const dp_table *t, size_t ci, const char *src_engine)
{
	size_t idx[64];
	int best = 0;

#define TAKE(n_) do {                                                             \
		int s_ = key_share(t, idx, (n_), ci, src_engine);                 \
		if (s_ < 0)                                                       \
			return -1;                                                \
		if (!best || s_ < best)                                           \
			best = s_;                                                \
	} while (0)
	if (t->cols[ci].pk_pos) {
		size_t n = 0;
		for (size_t k = 0; k < t->npk && n < 64; k++)
			idx[n++] = t->pk[k];
		TAKE(n);
	}
	for (size_t i = 0; i < t->nidx; i++) {
		const dp_index *ix = &t->idx[i];
		size_t n = 0;
		int in = 0;
		for (size_t k = 0; ix->cols && k < ix->ncols && n < 64; k++) {
			long c = dp_table_col_index(t, ix->cols[k]);
			if (c < 0)
				continue;
			idx[n++] = (size_t)c;
			in |= (size_t)c == ci;
		}
		if (in)
			TAKE(n);
	}
	for (size_t f = 0; f < t->nfks; f++) {
		const dp_fk *fk = &t->fks[f];
		size_t n = 0;
		int in = 0;
		if (fk->is_virtual)
			continue;
		for (size_t k = 0; k < fk->ncols && n < 64; k++) {
			long c = dp_table_col_index(t, fk->cols[k]);
			if (c < 0)
				continue;
			idx[n++] = (size_t)c;
			in |= (size_t)c == ci;
		}
		if (in)
			TAKE(n);
	}
#undef TAKE
	return best;
}

/* ---- values ---- */

/* Parse a plain decimal literal [+-]digits[.digits][e[+-]digits]: digits
 * before and after the point (leading zeros of the integer part and
 * trailing zeros of the fraction not counted), significant digits, and
 * whether it is an integer. 0 when s is no such literal. */
static int decimal_shape(const char *s, size_t n, int *intd, int *fracd, int *sig, int *integral)
{
	size_t i = 0, ib, ie, fb = 0, fe = 0;
	long ex = 0;
	int first_sig = -1, last_sig = -1, pos = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	ib = i;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	ie = i;
	if (i < n && s[i] == '.') {
		fb = ++i;
		while (i < n && isdigit((unsigned char)s[i]))
			i++;
		fe = i;
	}
	if (ie == ib && fe == fb)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		char *end;
		char tmp[16];
		size_t l = n - i - 1;
		if (l == 0 || l >= sizeof(tmp))
			return 0;
		memcpy(tmp, s + i + 1, l);
		tmp[l] = '\0';
		ex = strtol(tmp, &end, 10);
		if (*end || ex > 100000 || ex < -100000)
			return 0;
		i = n;
	}
	if (i != n)
		return 0;
	/* digits as one string: integer part then fraction; find significant span */
	for (size_t k = ib; k < ie; k++, pos++)
		if (s[k] != '0') {
			if (first_sig < 0)
				first_sig = pos;
			last_sig = pos;
		}
	for (size_t k = fb; k < fe; k++, pos++)
		if (s[k] != '0') {
			if (first_sig < 0)
				first_sig = pos;
			last_sig = pos;
		}
	{
		long point = (long)(ie - ib) + ex;   /* digits before the point */
		long id = first_sig < 0 ? 0 : point - first_sig;
		long fd = last_sig < 0 ? 0 : last_sig + 1 - point;
		*intd = id > 0 ? (int)id : 0;
		*fracd = fd > 0 ? (int)fd : 0;
		*sig = first_sig < 0 ? 0 : last_sig - first_sig + 1;
		*integral = fd <= 0;
	}
	return 1;
}

int dp_decimal_fits(const char *s, size_t n, int int_digits, int frac_digits)
{
	int id, fd, sig, integral;

	if (!decimal_shape(s, n, &id, &fd, &sig, &integral))
		return 0;
	return id <= int_digits && fd <= frac_digits;
}

int dp_decimal_storage(const char *s, size_t n, int64_t *iv, double *dv)
{
	int id, fd, sig, integral;
	char tmp[400], *end;

	if (n >= sizeof(tmp) || !decimal_shape(s, n, &id, &fd, &sig, &integral))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (integral && id <= 18 && !strpbrk(tmp, "eE")) {
		/* at most 18 digits: within int64; strtoll stops at the point, the
		 * fraction is zeros */
		*iv = strtoll(tmp, &end, 10);
		return 1;
	}
	if (sig <= 15) {
		*dv = strtod(tmp, &end);
		return 2;
	}
	return 0;
}

static int digits(const char *s, size_t n, size_t at, size_t k, long *out)
{
	long v = 0;

	if (at + k > n)
		return 0;
	for (size_t i = at; i < at + k; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int dp_time_to_utc(const char *s, size_t n, int is_time, char *out, size_t outsz)
{
	long y = 1970, mo = 1, d = 1, hh, mi, ss, oh = 0, om = 0, os = 0;
	size_t p = 0, fb, fe;
	int sign = 0;
	long secs, days;
	unsigned um, ud;

	if (!is_time) {
		/* YYYY-MM-DD[ T]HH:MM:SS */
		if (!digits(s, n, 0, 4, &y) || n < 19 || s[4] != '-' || !digits(s, n, 5, 2, &mo) ||
		    s[7] != '-' || !digits(s, n, 8, 2, &d) || (s[10] != ' ' && s[10] != 'T'))
			return -1;
		p = 11;
	}
	if (!digits(s, n, p, 2, &hh) || p + 8 > n || s[p + 2] != ':' || !digits(s, n, p + 3, 2, &mi) ||
	    s[p + 5] != ':' || !digits(s, n, p + 6, 2, &ss))
		return -1;
	p += 8;
	fb = p;
	if (p < n && s[p] == '.') {
		p++;
		while (p < n && isdigit((unsigned char)s[p]))
			p++;
	}
	fe = p;
	if (p == n)
		return 0;                          /* no offset: as is */
	if (s[p] == 'Z' && p + 1 == n) {
		sign = 1;
	} else if (s[p] == '+' || s[p] == '-') {
		sign = s[p] == '-' ? -1 : 1;
		if (!digits(s, n, p + 1, 2, &oh))
			return -1;
		p += 3;
		if (p < n && s[p] == ':') {
			if (!digits(s, n, p + 1, 2, &om))
				return -1;
			p += 3;
		}
		if (p < n && s[p] == ':') {
			if (!digits(s, n, p + 1, 2, &os))
				return -1;
			p += 3;
		}
		if (p != n)
			return -1;                 /* " BC" and the like */
	} else {
		return -1;
	}
	days = is_time ? 0 : (long)dp_days_from_civil(y, (unsigned)mo, (unsigned)d);
	secs = hh * 3600 + mi * 60 + ss - sign * (oh * 3600 + om * 60 + os);
	days += secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	secs -= (secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400)) * 86400;
	if (is_time) {
		int w = snprintf(out, outsz, "%02ld:%02ld:%02ld%.*s", secs / 3600, secs / 60 % 60,
				 secs % 60, (int)(fe - fb), s + fb);
		return w > 0 && (size_t)w < outsz ? w : -1;
	}
	{
		int64_t yy;
		dp_civil_from_days(days, &yy, &um, &ud);
		y = (long)yy;
	}
	if (y < 1 || y > 9999)
		return -1;
	{
		int w = snprintf(out, outsz, "%04ld-%02u-%02u %02ld:%02ld:%02ld%.*s", y, um, ud,
				 secs / 3600, secs / 60 % 60, secs % 60, (int)(fe - fb), s + fb);
		return w > 0 && (size_t)w < outsz ? w : -1;
	}
}
