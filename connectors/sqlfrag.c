/* connectors/sqlfrag.c - the check every user SQL fragment passes before it
 * is placed in a source query (see sqlfrag.h).
 *
 * Two passes. The tokenizer cuts the fragment the way the engine's own
 * lexer cuts it (string literals, quoted identifiers, dollar quotes,
 * comments, operator runs), so a `;` or `)` inside 'text' is data while
 * one outside ends the statement or the parentheses doppel put around the
 * predicate. Where servers of one dialect may cut differently (MySQL's
 * `--` before a non-ASCII byte), the fragment is refused rather than
 * guessed. The checker then walks the tokens: parentheses, refused words
 * and phrases (on tokens, so comments between words hide nothing), and
 * the allow-lists below: every function call, operator and cast must name
 * a built-in without side effects. A read-only snapshot does not stop
 * dblink_exec (a new connection), pg_terminate_backend, advisory locks or
 * a stored function that writes through a side door; refusing every name
 * we do not know is the only lexical defence that holds.
 *
 * The check is one layer: the drivers also send each source request as
 * exactly one statement (extended protocol, no multi-statements, empty
 * prepare tail) inside a read-only transaction.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sqlfrag.h"

/* Longest clause accepted: a 1 MiB predicate is already a list of some
 * 100k ids; the token array (12 bytes a token, at most one a byte) stays
 * bounded by it. */
#define FRAG_MAX_BYTES (1u << 20)
/* Deepest nesting of parentheses: clauses people write nest a handful of
 * levels; 256 keeps the paren stack a fixed array far below the servers'
 * own parser limits. */
#define FRAG_MAX_DEPTH 256
/* Longest name a message repeats (function, operator, type). */
#define FRAG_NAME_MAX 64

enum { DL_SQLITE = 1, DL_PG = 2, DL_MYSQL = 4, DL_ALL = 7 };

typedef enum { TK_WORD, TK_QIDENT, TK_STRING, TK_NUMBER, TK_PARAM, TK_OP, TK_PUNCT } tk_kind;

typedef struct token {
	uint32_t off, len;
	uint8_t kind;
} token;

/* What an open parenthesis belongs to: the checker treats the tokens up
 * to its close accordingly. */
typedef enum {
	P_GROUP,    /* grouping, subquery, IN list, EXISTS, OVER ... */
	P_CALL,     /* an allowed function's arguments */
	P_CAST,     /* CAST( ... AS type ) */
	P_CONVERT,  /* MySQL CONVERT( ..., type ) */
	P_NAMES,    /* column names of a CTE or an alias: names and commas only */
	P_CTE       /* a CTE's body: a ',' after it starts the next CTE */
} paren_kind;

typedef struct frag {
	const char *s, *path;
	size_t n;
	unsigned d;              /* one DL_ bit */
	dp_errbuf *eb;
	token *tk;
	size_t ntk, cap;
	uint8_t stack[FRAG_MAX_DEPTH];
	size_t depth;
	int expect_cte;          /* the next name is a CTE's (after WITH or a CTE body and ',') */
	size_t cte_as_depth;     /* depth + 1 at which a CTE's AS is due, 0 none */
	size_t alias_at;         /* index of the '(' after `AS name` that opens P_NAMES (0: none;
				  * such a '(' is never the first token) */
} frag;

/* ------------------------------------------------------------------ */
/* The tables. Each names what is allowed (or refused) and in which
 * dialects; nothing else in this file lists names. */

/* Built-in functions without side effects. A name is listed for a dialect
 * only where that server has it built in: elsewhere a user function of the
 * same name could be called. Aggregates and window functions are here for
 * subqueries. pg_sleep and SLEEP are kept on purpose: they change nothing
 * but time, and refusing them would not bound time (a cross join or a
 * recursive CTE holds the snapshot as long without them); what bounds it
 * is Ctrl-C (cancel) and a timeout on the source session. The suite's
 * cancellation tests (test_targets.sh) use them. */
static const struct fn_entry {
	const char *name;
	unsigned dialects;
} functions[] = {
	/* strings */
	{"lower", DL_ALL}, {"upper", DL_ALL}, {"length", DL_ALL},
	{"char_length", DL_PG | DL_MYSQL}, {"character_length", DL_PG | DL_MYSQL},
	{"octet_length", DL_ALL}, {"bit_length", DL_PG | DL_MYSQL},
	{"substr", DL_ALL}, {"substring", DL_ALL}, {"trim", DL_ALL}, {"ltrim", DL_ALL},
	{"rtrim", DL_ALL}, {"btrim", DL_PG}, {"replace", DL_ALL},
	{"concat", DL_ALL}, {"concat_ws", DL_ALL}, {"left", DL_PG | DL_MYSQL},
	{"right", DL_PG | DL_MYSQL}, {"position", DL_PG | DL_MYSQL}, {"strpos", DL_PG},
	{"instr", DL_SQLITE | DL_MYSQL}, {"locate", DL_MYSQL}, {"lpad", DL_PG | DL_MYSQL},
	{"rpad", DL_PG | DL_MYSQL}, {"split_part", DL_PG}, {"substring_index", DL_MYSQL},
	{"reverse", DL_PG | DL_MYSQL}, {"initcap", DL_PG}, {"repeat", DL_PG | DL_MYSQL},
	{"translate", DL_PG}, {"ascii", DL_PG | DL_MYSQL}, {"chr", DL_PG},
	{"char", DL_SQLITE | DL_MYSQL}, {"starts_with", DL_PG}, {"format", DL_ALL},
	{"printf", DL_SQLITE}, {"lcase", DL_MYSQL}, {"ucase", DL_MYSQL}, {"mid", DL_MYSQL},
	{"space", DL_MYSQL}, {"field", DL_MYSQL}, {"find_in_set", DL_MYSQL},
	{"strcmp", DL_MYSQL}, {"soundex", DL_SQLITE | DL_MYSQL}, {"hex", DL_SQLITE | DL_MYSQL},
	{"unhex", DL_SQLITE | DL_MYSQL}, {"to_hex", DL_PG}, {"quote", DL_SQLITE},
	{"typeof", DL_SQLITE}, {"unicode", DL_SQLITE}, {"glob", DL_SQLITE},
	{"like", DL_SQLITE}, {"likely", DL_SQLITE}, {"unlikely", DL_SQLITE},
	{"regexp_replace", DL_PG | DL_MYSQL}, {"regexp_match", DL_PG},
	{"regexp_substr", DL_MYSQL}, {"regexp_instr", DL_MYSQL},
	{"string_to_array", DL_PG}, {"array_to_string", DL_PG}, {"array_length", DL_PG},
	{"cardinality", DL_PG}, {"array_position", DL_PG}, {"unnest", DL_PG},
	{"generate_series", DL_PG},
	/* hashes (pure) */
	{"md5", DL_PG | DL_MYSQL}, {"sha1", DL_MYSQL}, {"sha2", DL_MYSQL},
	{"crc32", DL_MYSQL}, {"hashtext", DL_PG},
	/* numbers */
	{"abs", DL_ALL}, {"round", DL_ALL}, {"floor", DL_ALL}, {"ceil", DL_ALL},
	{"ceiling", DL_ALL}, {"mod", DL_ALL}, {"power", DL_ALL}, {"pow", DL_SQLITE | DL_MYSQL},
	{"sqrt", DL_ALL}, {"exp", DL_ALL}, {"ln", DL_ALL}, {"log", DL_ALL},
	{"log10", DL_ALL}, {"pi", DL_ALL}, {"sign", DL_ALL}, {"trunc", DL_SQLITE | DL_PG},
	{"truncate", DL_MYSQL}, {"div", DL_PG}, {"greatest", DL_PG | DL_MYSQL},
	{"least", DL_PG | DL_MYSQL}, {"width_bucket", DL_PG}, {"conv", DL_MYSQL},
	{"random", DL_SQLITE | DL_PG}, {"rand", DL_MYSQL},
	/* null handling, conditionals, casts */
	{"coalesce", DL_ALL}, {"nullif", DL_ALL}, {"ifnull", DL_SQLITE | DL_MYSQL},
	{"nvl", DL_MYSQL}, {"isnull", DL_MYSQL}, {"iif", DL_SQLITE}, {"if", DL_MYSQL},
	{"cast", DL_ALL}, {"convert", DL_MYSQL},
	/* dates and times */
	{"now", DL_PG | DL_MYSQL}, {"current_date", DL_PG | DL_MYSQL},
	{"current_time", DL_PG | DL_MYSQL}, {"current_timestamp", DL_PG | DL_MYSQL},
	{"localtime", DL_PG | DL_MYSQL}, {"localtimestamp", DL_PG | DL_MYSQL},
	{"clock_timestamp", DL_PG}, {"statement_timestamp", DL_PG},
	{"transaction_timestamp", DL_PG}, {"date_trunc", DL_PG}, {"date_part", DL_PG},
	{"date_bin", DL_PG}, {"extract", DL_PG | DL_MYSQL}, {"age", DL_PG},
	{"to_char", DL_PG | DL_MYSQL}, {"to_date", DL_PG}, {"to_timestamp", DL_PG},
	{"to_number", DL_PG}, {"make_date", DL_PG}, {"make_interval", DL_PG},
	{"make_timestamp", DL_PG}, {"justify_days", DL_PG}, {"justify_interval", DL_PG},
	{"isfinite", DL_PG}, {"date", DL_SQLITE | DL_MYSQL}, {"time", DL_SQLITE | DL_MYSQL},
	{"datetime", DL_SQLITE}, {"julianday", DL_SQLITE}, {"strftime", DL_SQLITE},
	{"unixepoch", DL_SQLITE}, {"timestamp", DL_MYSQL}, {"date_add", DL_MYSQL},
	{"date_sub", DL_MYSQL}, {"adddate", DL_MYSQL}, {"subdate", DL_MYSQL},
	{"datediff", DL_MYSQL}, {"timediff", DL_MYSQL}, {"timestampdiff", DL_MYSQL},
	{"timestampadd", DL_MYSQL}, {"year", DL_MYSQL}, {"month", DL_MYSQL},
	{"day", DL_MYSQL}, {"dayofmonth", DL_MYSQL}, {"dayofweek", DL_MYSQL},
	{"dayofyear", DL_MYSQL}, {"week", DL_MYSQL}, {"weekday", DL_MYSQL},
	{"yearweek", DL_MYSQL}, {"quarter", DL_MYSQL}, {"hour", DL_MYSQL},
	{"minute", DL_MYSQL}, {"second", DL_MYSQL}, {"last_day", DL_MYSQL},
	{"curdate", DL_MYSQL}, {"curtime", DL_MYSQL}, {"sysdate", DL_MYSQL},
	{"utc_date", DL_MYSQL}, {"utc_timestamp", DL_MYSQL}, {"date_format", DL_MYSQL},
	{"str_to_date", DL_MYSQL}, {"from_unixtime", DL_MYSQL},
	{"unix_timestamp", DL_MYSQL}, {"makedate", DL_MYSQL}, {"to_days", DL_MYSQL},
	{"from_days", DL_MYSQL}, {"monthname", DL_MYSQL}, {"dayname", DL_MYSQL},
	/* aggregates and window functions (inside subqueries) */
	{"count", DL_ALL}, {"sum", DL_ALL}, {"avg", DL_ALL}, {"min", DL_ALL},
	{"max", DL_ALL}, {"total", DL_SQLITE}, {"group_concat", DL_SQLITE | DL_MYSQL},
	{"string_agg", DL_SQLITE | DL_PG}, {"array_agg", DL_PG}, {"bool_and", DL_PG},
	{"bool_or", DL_PG}, {"every", DL_PG}, {"row_number", DL_ALL}, {"rank", DL_ALL},
	{"dense_rank", DL_ALL}, {"ntile", DL_ALL}, {"lag", DL_ALL}, {"lead", DL_ALL},
	{"first_value", DL_ALL}, {"last_value", DL_ALL},
	/* JSON accessors */
	{"json_extract", DL_SQLITE | DL_MYSQL}, {"json_unquote", DL_MYSQL},
	{"json_value", DL_MYSQL}, {"json_contains", DL_MYSQL}, {"json_length", DL_MYSQL},
	{"json_type", DL_SQLITE | DL_MYSQL}, {"json_valid", DL_SQLITE | DL_MYSQL},
	{"json_array_length", DL_SQLITE | DL_PG}, {"jsonb_array_length", DL_PG},
	{"json_extract_path", DL_PG}, {"json_extract_path_text", DL_PG},
	{"jsonb_extract_path", DL_PG}, {"jsonb_extract_path_text", DL_PG},
	{"json_typeof", DL_PG}, {"jsonb_typeof", DL_PG}, {"jsonb_path_exists", DL_PG},
	/* MySQL full text: MATCH (cols) AGAINST ('words') */
	{"match", DL_MYSQL},
	/* see the comment above the table */
	{"pg_sleep", DL_PG}, {"sleep", DL_MYSQL},
};

/* Words of the grammar. KW_NOCALL: reserved, so no function or type can be
 * named so unquoted: `word (` is never a call, `word 'x'` never a cast.
 * KW_INFIX: an infix or postfix keyword that PostgreSQL lets a function or
 * type be named after (LIKE, OVER, FILTER, ESCAPE...): it is the keyword
 * only right after an operand. KW_VALUE: a reserved value that ends an
 * operand (NULL, TRUE, END). KW_PLAIN: a keyword that may also name a
 * function or type (ZONE, COLLATE...): no exemption at all. */
enum { KW_PLAIN = 0, KW_NOCALL = 1, KW_INFIX = 2, KW_VALUE = 4 };
static const struct kw_entry {
	const char *name;
	unsigned dialects, flags;
} keywords[] = {
	{"select", DL_ALL, KW_NOCALL}, {"from", DL_ALL, KW_NOCALL}, {"where", DL_ALL, KW_NOCALL},
	{"and", DL_ALL, KW_NOCALL}, {"or", DL_ALL, KW_NOCALL}, {"not", DL_ALL, KW_NOCALL},
	{"in", DL_ALL, KW_NOCALL}, {"exists", DL_ALL, KW_NOCALL}, {"any", DL_ALL, KW_NOCALL},
	{"all", DL_ALL, KW_NOCALL}, {"some", DL_ALL, KW_NOCALL}, {"values", DL_ALL, KW_NOCALL},
	{"array", DL_PG, KW_NOCALL}, {"row", DL_PG | DL_MYSQL, KW_NOCALL},
	{"on", DL_ALL, KW_NOCALL}, {"using", DL_ALL, KW_NOCALL}, {"as", DL_ALL, KW_NOCALL},
	{"between", DL_ALL, KW_NOCALL}, {"case", DL_ALL, KW_NOCALL}, {"when", DL_ALL, KW_NOCALL},
	{"then", DL_ALL, KW_NOCALL}, {"else", DL_ALL, KW_NOCALL}, {"distinct", DL_ALL, KW_NOCALL},
	{"union", DL_ALL, KW_NOCALL}, {"intersect", DL_ALL, KW_NOCALL},
	{"except", DL_ALL, KW_NOCALL}, {"group", DL_ALL, KW_NOCALL}, {"by", DL_ALL, KW_NOCALL},
	{"having", DL_ALL, KW_NOCALL}, {"order", DL_ALL, KW_NOCALL}, {"limit", DL_ALL, KW_NOCALL},
	{"offset", DL_ALL, KW_NOCALL}, {"lateral", DL_PG | DL_MYSQL, KW_NOCALL},
	{"interval", DL_PG | DL_MYSQL, KW_NOCALL}, {"with", DL_ALL, KW_NOCALL},
	{"to", DL_ALL, KW_NOCALL}, {"only", DL_PG, KW_NOCALL}, {"binary", DL_MYSQL, KW_NOCALL},
	{"window", DL_ALL, KW_NOCALL}, {"is", DL_ALL, KW_PLAIN},
	{"like", DL_ALL, KW_INFIX}, {"ilike", DL_PG, KW_INFIX}, {"similar", DL_PG, KW_INFIX},
	{"regexp", DL_SQLITE | DL_MYSQL, KW_INFIX}, {"rlike", DL_MYSQL, KW_INFIX},
	{"glob", DL_SQLITE, KW_INFIX}, {"match", DL_SQLITE | DL_MYSQL, KW_INFIX},
	{"against", DL_MYSQL, KW_INFIX}, {"overlaps", DL_PG, KW_INFIX},
	{"over", DL_ALL, KW_INFIX}, {"filter", DL_ALL, KW_INFIX}, {"join", DL_ALL, KW_INFIX},
	{"xor", DL_MYSQL, KW_INFIX}, {"of", DL_MYSQL, KW_INFIX},
	{"repeatable", DL_PG, KW_INFIX},
	{"null", DL_ALL, KW_VALUE}, {"true", DL_ALL, KW_VALUE}, {"false", DL_ALL, KW_VALUE},
	{"unknown", DL_ALL, KW_VALUE}, {"end", DL_ALL, KW_VALUE},
	{"for", DL_ALL, KW_NOCALL}, {"both", DL_ALL, KW_NOCALL}, {"leading", DL_ALL, KW_NOCALL},
	{"trailing", DL_ALL, KW_NOCALL}, {"placing", DL_PG, KW_NOCALL},
	{"symmetric", DL_PG, KW_NOCALL}, {"asymmetric", DL_PG, KW_NOCALL},
	{"escape", DL_ALL, KW_INFIX}, {"uescape", DL_PG, KW_INFIX}, {"div", DL_MYSQL, KW_INFIX},
	{"at", DL_PG, KW_PLAIN}, {"zone", DL_PG, KW_PLAIN}, {"collate", DL_ALL, KW_PLAIN},
	{"recursive", DL_ALL, KW_PLAIN}, {"materialized", DL_PG | DL_SQLITE, KW_PLAIN},
	{"variadic", DL_PG, KW_PLAIN},
	{"tablesample", DL_PG, KW_PLAIN},
};

/* Types a cast may name. A PostgreSQL cast to a user type or domain runs
 * its input function and CHECK constraints (user code); regclass and
 * regproc look objects up. TY_TZ: WITH/WITHOUT TIME ZONE may follow;
 * TY_CHARSET: MySQL CHARACTER SET name may follow. Any type may take
 * numeric modifiers, varchar(10), numeric(10,2). */
enum { TY_TZ = 1, TY_CHARSET = 2 };
static const struct ty_entry {
	const char *name;      /* words separated by one space */
	unsigned dialects, flags;
} types[] = {
	{"int", DL_ALL, 0}, {"integer", DL_ALL, 0}, {"smallint", DL_PG | DL_SQLITE, 0},
	{"bigint", DL_PG | DL_SQLITE, 0}, {"int2", DL_PG, 0}, {"int4", DL_PG, 0},
	{"int8", DL_PG, 0}, {"numeric", DL_PG | DL_SQLITE, 0}, {"decimal", DL_ALL, 0},
	{"real", DL_ALL, 0}, {"float", DL_ALL, 0}, {"float4", DL_PG, 0}, {"float8", DL_PG, 0},
	{"double precision", DL_ALL, 0}, {"double", DL_MYSQL | DL_SQLITE, 0},
	{"text", DL_PG | DL_SQLITE, 0}, {"varchar", DL_ALL, TY_CHARSET},
	{"char", DL_ALL, TY_CHARSET}, {"character", DL_PG | DL_SQLITE, 0},
	{"character varying", DL_PG | DL_SQLITE, 0}, {"nchar", DL_MYSQL, TY_CHARSET},
	{"bpchar", DL_PG, 0}, {"name", DL_PG, 0}, {"date", DL_ALL, 0},
	{"time", DL_ALL, TY_TZ}, {"timetz", DL_PG, 0}, {"timestamp", DL_PG | DL_SQLITE, TY_TZ},
	{"timestamptz", DL_PG, 0}, {"datetime", DL_MYSQL | DL_SQLITE, 0},
	{"interval", DL_PG, 0}, {"boolean", DL_PG | DL_SQLITE, 0}, {"bool", DL_PG, 0},
	{"uuid", DL_PG, 0}, {"json", DL_PG | DL_MYSQL, 0}, {"jsonb", DL_PG, 0},
	{"bytea", DL_PG, 0}, {"blob", DL_SQLITE, 0}, {"inet", DL_PG, 0}, {"cidr", DL_PG, 0},
	{"money", DL_PG, 0}, {"bit", DL_PG, 0}, {"bit varying", DL_PG, 0},
	{"signed integer", DL_MYSQL, 0}, {"signed int", DL_MYSQL, 0}, {"signed", DL_MYSQL, 0},
	{"unsigned integer", DL_MYSQL, 0}, {"unsigned int", DL_MYSQL, 0},
	{"unsigned", DL_MYSQL, 0}, {"binary", DL_MYSQL, 0},
};

/* Operators. PostgreSQL cuts any run of operator characters into one
 * operator, so a user-defined one (===, <<->>) arrives whole and is
 * refused here; MySQL and SQLite have fixed operators, matched longest
 * first. */
static const struct op_entry {
	const char *op;
	unsigned dialects;
} operators[] = {
	{"=", DL_ALL}, {"<>", DL_ALL}, {"!=", DL_ALL}, {"<", DL_ALL}, {">", DL_ALL},
	{"<=", DL_ALL}, {">=", DL_ALL}, {"+", DL_ALL}, {"-", DL_ALL}, {"*", DL_ALL},
	{"/", DL_ALL}, {"%", DL_ALL}, {"||", DL_ALL}, {"&", DL_ALL}, {"|", DL_ALL},
	{"<<", DL_ALL}, {">>", DL_ALL}, {"->", DL_ALL}, {"->>", DL_ALL},
	{"~", DL_ALL}, {"^", DL_PG | DL_MYSQL}, {"==", DL_SQLITE}, {"<=>", DL_MYSQL},
	{"&&", DL_PG | DL_MYSQL}, {"!", DL_MYSQL},
	{"::", DL_PG}, {"~*", DL_PG}, {"!~", DL_PG}, {"!~*", DL_PG}, {"~~", DL_PG},
	{"~~*", DL_PG}, {"!~~", DL_PG}, {"!~~*", DL_PG}, {"@>", DL_PG}, {"<@", DL_PG},
	{"#>", DL_PG}, {"#>>", DL_PG}, {"#-", DL_PG}, {"?", DL_PG}, {"?|", DL_PG},
	{"?&", DL_PG}, {"@?", DL_PG}, {"@@", DL_PG}, {"@", DL_PG}, {"#", DL_PG},
	{"|/", DL_PG}, {"||/", DL_PG}, {"<<=", DL_PG}, {">>=", DL_PG}, {"=>", DL_PG},
};

/* Words and phrases refused wherever they stand: they make a read write,
 * lock or reach outside the query. Matched on word tokens, so comments or
 * line breaks between the words do not hide a phrase. */
static const struct refused_entry {
	const char *phrase;    /* words separated by one space */
	const char *why;
} refused[] = {
	{"for no key update", "it would lock rows on the source"},
	{"for key share", "it would lock rows on the source"},
	{"for update", "it would lock rows on the source"},
	{"for share", "it would lock rows on the source"},
	{"lock in share mode", "it would lock rows on the source"},
	{"next value for", "it would advance a sequence"},
	{"into", "it would write a table or a file"},
	{"outfile", "it would write a file on the server"},
	{"dumpfile", "it would write a file on the server"},
	{"copy", "it would copy data to or from the server"},
	{"procedure", "it would run a procedure"},
	{"handler", "it would open a table handler"},
	{"insert", "it would write"}, {"update", "it would write"},
	{"delete", "it would write"}, {"merge", "it would write"},
	{"truncate", "it would write"},
	{"nextval", "it would advance a sequence"}, {"setval", "it would set a sequence"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Character classes: ASCII only (no locale), bytes >= 0x80 belong to
 * identifiers in all three engines (UTF-8 names). */

static int is_alpha(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_ident_start(unsigned char c) { return is_alpha(c) || c == '_' || c >= 0x80; }
static int is_ident_cont(unsigned char c)
{
	return is_ident_start(c) || is_digit(c) || c == '$';
}
static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static int is_pg_opchar(unsigned char c)
{
	return c && strchr("+-*/<>=~!@#%^&|`?", c) != NULL;
}

static unsigned dialect_of(const char *engine)
{
	if (engine && !strcmp(engine, "postgresql"))
		return DL_PG;
	if (engine && !strcmp(engine, "mysql"))
		return DL_MYSQL;
	return DL_SQLITE;
}

/* A token's text for a message: at most FRAG_NAME_MAX bytes, control bytes
 * shown as '?', never cut inside a UTF-8 sequence. Only names (functions,
 * operators, types) are ever shown, never literals. */
static const char *shown(const frag *f, const token *t, char *buf, size_t size)
{
	size_t l = t->len < size - 1 ? t->len : size - 1;

	if (l < t->len)
		while (l > 0 && ((unsigned char)f->s[t->off + l] & 0xC0) == 0x80)
			l--;
	for (size_t k = 0; k < l; k++) {
		unsigned char c = (unsigned char)f->s[t->off + k];
		buf[k] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	buf[l] = '\0';
	return buf;
}

/* ------------------------------------------------------------------ */
/* Tokenizer */

static int push_token(frag *f, size_t off, size_t len, tk_kind kind)
{
	if (f->ntk == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 64;
		token *nt;
		if (nc > f->n + 1)
			nc = f->n + 1;    /* every token holds at least one byte */
		nt = realloc(f->tk, nc * sizeof(*nt));
		if (!nt)
			return dp_fail(f->eb, DP_ERR_NOMEM, "out of memory");
		f->tk = nt;
		f->cap = nc;
	}
	f->tk[f->ntk].off = (uint32_t)off;
	f->tk[f->ntk].len = (uint32_t)len;
	f->tk[f->ntk].kind = (uint8_t)kind;
	f->ntk++;
	return DP_OK;
}

/* End of a quoted run whose opening quote q is at s[i]; doubled quotes stay
 * inside; with `bs`, a backslash escapes the next byte. Returns the index
 * past the closing quote, or 0 when unterminated. */
static size_t quoted_end(const char *s, size_t i, size_t n, char q, int bs)
{
	for (i++; i < n; i++) {
		if (bs && s[i] == '\\') {
			i++;
			continue;
		}
		if (s[i] == q) {
			if (i + 1 < n && s[i + 1] == q) {
				i++;
				continue;
			}
			return i + 1;
		}
	}
	return 0;
}

static int fail_unterminated(frag *f, char q)
{
	return dp_fail(f->eb, DP_ERR_CONFIG, "%s: unterminated %s", f->path,
		       q == '\'' ? "string literal" : "quoted identifier");
}

/* PostgreSQL dollar quote at s[i] ('$'): $tag$ ... $tag$, the tag made of
 * letters, digits (not first), '_' and bytes >= 0x80. Returns the end,
 * 0 when s[i] opens no dollar quote, and sets *unterminated. */
static size_t dollar_end(const char *s, size_t i, size_t n, int *unterminated)
{
	size_t j = i + 1, tl;

	if (j < n && is_ident_start((unsigned char)s[j]))
		while (j < n && (is_ident_start((unsigned char)s[j]) || is_digit((unsigned char)s[j])))
			j++;
	if (j >= n || s[j] != '$')
		return 0;
	tl = j + 1 - i;                       /* "$tag$" */
	for (size_t k = j + 1; k + tl <= n; k++)
		if (!memcmp(s + k, s + i, tl))
			return k + tl;
	*unterminated = 1;
	return 0;
}

/* A comment at s[i]: returns its end (i when none), or sets rc on a
 * refusal. Line comments end at '\n' (PostgreSQL: also '\r'), exactly
 * where the server ends them: a comment ending earlier or later than the
 * server's hides text from one side. */
static size_t comment_end(frag *f, size_t i, int *rc)
{
	const char *s = f->s;
	size_t n = f->n;
	int line = 0;

	if (s[i] == '-' && i + 1 < n && s[i + 1] == '-') {
		if (f->d != DL_MYSQL) {
			line = 1;
		} else {
			/* MySQL: '--' opens a comment only before white space or a
			 * control character (or the end). Before a byte >= 0x80 it
			 * depends on the connection's character set: refused. */
			unsigned char c = i + 2 < n ? (unsigned char)s[i + 2] : 0;
			if (c >= 0x80) {
				*rc = dp_fail(f->eb, DP_ERR_CONFIG, "%s: '--' directly followed by a "
					      "non-ASCII character is read differently by MySQL servers: "
					      "put a space after '--'", f->path);
				return i;
			}
			line = c <= 0x20 || c == 0x7f;
		}
	} else if (s[i] == '#' && f->d == DL_MYSQL) {
		line = 1;
	}
	if (line) {
		while (i < n && s[i] != '\n' && !(f->d == DL_PG && s[i] == '\r'))
			i++;
		return i;
	}
	if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
		int nest = 1;
		if (f->d == DL_MYSQL && i + 2 < n && (s[i + 2] == '!' || s[i + 2] == '+' ||
		    (s[i + 2] == 'M' && i + 3 < n && s[i + 3] == '!'))) {
			*rc = dp_fail(f->eb, DP_ERR_CONFIG, "%s: MySQL executable comments (/*! ... */) "
				      "and optimizer hints (/*+ ... */) are not allowed", f->path);
			return i;
		}
		for (i += 2; i < n && nest; i++) {
			if (s[i] == '*' && i + 1 < n && s[i + 1] == '/') {
				nest--;
				i++;
			} else if (f->d == DL_PG && s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
				nest++;   /* PostgreSQL block comments nest */
				i++;
			}
		}
		if (nest)
			*rc = dp_fail(f->eb, DP_ERR_CONFIG, "%s: unterminated /* comment", f->path);
		return i;
	}
	return i;
}

/* A number: digits [. digits] [e [+-] digits], .digits, 0x hex. A name
 * glued to it (123abc, 1_000) is refused: PostgreSQL 15 and SQLite reject
 * it, MySQL reads it as one identifier (a function name we would not
 * see). */
static size_t number_end(frag *f, size_t i, int *rc)
{
	const char *s = f->s;
	size_t n = f->n, j = i;

	if (s[j] == '0' && j + 2 < n && (s[j + 1] | 0x20) == 'x' && strchr("0123456789abcdefABCDEF", s[j + 2])) {
		for (j += 2; j < n && s[j] && strchr("0123456789abcdefABCDEF", s[j]); j++)
			;
	} else {
		while (j < n && is_digit((unsigned char)s[j]))
			j++;
		if (j < n && s[j] == '.' && !(j + 1 < n && s[j + 1] == '.'))
			for (j++; j < n && is_digit((unsigned char)s[j]); j++)
				;
		if (j < n && (s[j] | 0x20) == 'e') {
			size_t k = j + 1;
			if (k < n && (s[k] == '+' || s[k] == '-'))
				k++;
			if (k < n && is_digit((unsigned char)s[k]))
				for (j = k; j < n && is_digit((unsigned char)s[j]); j++)
					;
		}
	}
	if (j < n && is_ident_cont((unsigned char)s[j]))
		*rc = dp_fail(f->eb, DP_ERR_CONFIG, "%s: a number directly followed by letters is "
			      "not allowed (separate them with a space)", f->path);
	return j;
}

/* Longest fixed operator of the dialect at s[i] (MySQL, SQLite); 0 none. */
static size_t fixed_op_len(const frag *f, size_t i)
{
	size_t best = 0;

	for (size_t k = 0; k < COUNT(operators); k++) {
		size_t l = strlen(operators[k].op);
		if ((operators[k].dialects & f->d) && l > best && i + l <= f->n &&
		    !memcmp(f->s + i, operators[k].op, l))
			best = l;
	}
	return best;
}

/* PostgreSQL operator run at s[i], cut as scan.l cuts it: it stops before
 * a comment start, and loses trailing '+'/'-' unless it holds one of
 * ~ ! @ # % ^ & | ` ? (so a=-1 is '=' then '-'). */
static size_t pg_op_len(const frag *f, size_t i)
{
	size_t j = i, l;
	int special = 0;

	while (j < f->n && is_pg_opchar((unsigned char)f->s[j])) {
		if (j > i && j + 1 < f->n && ((f->s[j] == '-' && f->s[j + 1] == '-') ||
					      (f->s[j] == '/' && f->s[j + 1] == '*')))
			break;    /* a comment starts inside the run: it ends there */
		if (strchr("~!@#%^&|`?", f->s[j]))
			special = 1;
		j++;
	}
	l = j - i;
	while (l > 1 && !special && (f->s[i + l - 1] == '+' || f->s[i + l - 1] == '-'))
		l--;
	return l;
}

static int tokenize(frag *f)
{
	const char *s = f->s;
	size_t n = f->n, i = 0;
	int rc = DP_OK;

	while (i < n && !rc) {
		unsigned char c = (unsigned char)s[i];
		size_t e;

		if (is_space(c)) {
			i++;
			continue;
		}
		e = comment_end(f, i, &rc);
		if (rc || e > i) {
			i = e;
			continue;
		}
		if (is_ident_start(c)) {
			/* PostgreSQL prefixed literals: E'' (backslash escapes),
			 * B'' X'' N'' (none), U&'' and U&"" (standard quoting) */
			if (f->d == DL_PG && i + 1 < n && s[i + 1] == '\'' && strchr("eEbBxXnN", c)) {
				if (!(e = quoted_end(s, i + 1, n, '\'', (c | 0x20) == 'e')))
					return fail_unterminated(f, '\'');
				rc = push_token(f, i, e - i, TK_STRING);
				i = e;
				continue;
			}
			if (f->d == DL_PG && (c | 0x20) == 'u' && i + 2 < n && s[i + 1] == '&' &&
			    (s[i + 2] == '\'' || s[i + 2] == '"')) {
				if (!(e = quoted_end(s, i + 2, n, s[i + 2], 0)))
					return fail_unterminated(f, s[i + 2]);
				rc = push_token(f, i, e - i, s[i + 2] == '\'' ? TK_STRING : TK_QIDENT);
				i = e;
				continue;
			}
			for (e = i + 1; e < n && is_ident_cont((unsigned char)s[e]); e++)
				;
			rc = push_token(f, i, e - i, TK_WORD);
			i = e;
			continue;
		}
		if (is_digit(c) || (c == '.' && i + 1 < n && is_digit((unsigned char)s[i + 1]))) {
			e = number_end(f, i, &rc);
			if (!rc)
				rc = push_token(f, i, e - i, TK_NUMBER);
			i = e;
			continue;
		}
		if (c == '\'' || c == '"' || (c == '`' && f->d != DL_PG)) {
			/* MySQL: backslash escapes in '' and "" (default sql_mode) */
			int bs = f->d == DL_MYSQL && c != '`';
			tk_kind k = c == '\'' || (c == '"' && f->d == DL_MYSQL) ? TK_STRING : TK_QIDENT;
			if (!(e = quoted_end(s, i, n, (char)c, bs)))
				return fail_unterminated(f, (char)c);
			rc = push_token(f, i, e - i, k);
			i = e;
			continue;
		}
		if (c == '[' && f->d == DL_SQLITE) {
			const char *close = memchr(s + i, ']', n - i);
			if (!close)
				return fail_unterminated(f, '[');
			e = (size_t)(close - s) + 1;
			rc = push_token(f, i, e - i, TK_QIDENT);
			i = e;
			continue;
		}
		if (c == '$' && f->d == DL_PG) {
			int unterminated = 0;
			if (i + 1 < n && is_digit((unsigned char)s[i + 1])) {
				for (e = i + 1; e < n && is_digit((unsigned char)s[e]); e++)
					;
				rc = push_token(f, i, e - i, TK_PARAM);   /* $1: a bind parameter */
				i = e;
				continue;
			}
			if ((e = dollar_end(s, i, n, &unterminated))) {
				rc = push_token(f, i, e - i, TK_STRING);
				i = e;
				continue;
			}
			if (unterminated)
				return dp_fail(f->eb, DP_ERR_CONFIG, "%s: unterminated dollar-quoted string",
					       f->path);
		}
		if (c == ':' && f->d == DL_PG) {
			int dbl = i + 1 < n && s[i + 1] == ':';
			rc = push_token(f, i, dbl ? 2 : 1, dbl ? TK_OP : TK_PUNCT);
			i += dbl ? 2 : 1;
			continue;
		}
		if (c == '(' || c == ')' || c == ',' || c == '.' || c == ';' ||
		    (f->d == DL_PG && (c == '[' || c == ']'))) {
			rc = push_token(f, i, 1, TK_PUNCT);
			i++;
			continue;
		}
		e = f->d == DL_PG ? (is_pg_opchar(c) ? pg_op_len(f, i) : 0) : fixed_op_len(f, i);
		if (e) {
			rc = push_token(f, i, e, TK_OP);
			i += e;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			return dp_fail(f->eb, DP_ERR_CONFIG, "%s: control character 0x%02x is not allowed "
				       "outside literals", f->path, c);
		return dp_fail(f->eb, DP_ERR_CONFIG, "%s: character '%c' is not allowed here in a %s "
			       "subset clause", f->path, c,
			       f->d == DL_PG ? "PostgreSQL" : f->d == DL_MYSQL ? "MySQL" : "SQLite");
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Checker */

static int tk_word_is(const frag *f, size_t i, const char *w)
{
	size_t l = strlen(w);
	return i < f->ntk && f->tk[i].kind == TK_WORD && f->tk[i].len == l &&
	       !strncasecmp(f->s + f->tk[i].off, w, l);
}

static int tk_punct_is(const frag *f, size_t i, char c)
{
	return i < f->ntk && f->tk[i].kind == TK_PUNCT && f->s[f->tk[i].off] == c;
}

static int tk_kind_is(const frag *f, size_t i, tk_kind k)
{
	return i < f->ntk && f->tk[i].kind == k;
}

static const struct kw_entry *keyword(const frag *f, size_t i)
{
	for (size_t k = 0; k < COUNT(keywords); k++)
		if ((keywords[k].dialects & f->d) && tk_word_is(f, i, keywords[k].name))
			return &keywords[k];
	return NULL;
}

static const struct fn_entry *function(const frag *f, size_t i)
{
	for (size_t k = 0; k < COUNT(functions); k++)
		if ((functions[k].dialects & f->d) && tk_word_is(f, i, functions[k].name))
			return &functions[k];
	return NULL;
}

/* Does the phrase (words separated by one space) match word tokens from
 * i on? Returns the number of tokens, 0 when not. */
static size_t phrase_at(const frag *f, size_t i, const char *ph)
{
	size_t k = 0;

	while (*ph) {
		size_t wl = strcspn(ph, " ");
		const token *t = i + k < f->ntk ? &f->tk[i + k] : NULL;
		if (!t || t->kind != TK_WORD || t->len != wl || strncasecmp(f->s + t->off, ph, wl))
			return 0;
		k++;
		ph += wl;
		if (*ph == ' ')
			ph++;
	}
	return k;
}

/* Longest type of the dialect at token i: returns its entry and word count. */
static const struct ty_entry *type_at(const frag *f, size_t i, size_t *words)
{
	const struct ty_entry *best = NULL;

	*words = 0;
	for (size_t k = 0; k < COUNT(types); k++) {
		size_t w;
		if ((types[k].dialects & f->d) && (w = phrase_at(f, i, types[k].name)) > *words) {
			*words = w;
			best = &types[k];
		}
	}
	return best;
}

/* Does a type name of the list end at word token i (date, double
 * PRECISION, character VARYING)? */
static int type_ends_at(const frag *f, size_t i)
{
	for (size_t k = 0; k < COUNT(types); k++) {
		size_t w = 1;
		if (!(types[k].dialects & f->d))
			continue;
		for (const char *p = types[k].name; *p; p++)
			w += *p == ' ';
		if (i + 1 >= w && phrase_at(f, i + 1 - w, types[k].name) == w)
			return 1;
	}
	return 0;
}

/* Does token i end an operand, so that an infix keyword may follow it? */
static int ends_operand(const frag *f, size_t i, int allow_not)
{
	const token *t;
	const struct kw_entry *kw;

	if (i >= f->ntk)
		return 0;
	t = &f->tk[i];
	switch (t->kind) {
	case TK_NUMBER: case TK_STRING: case TK_QIDENT: case TK_PARAM:
		return 1;
	case TK_PUNCT:
		return f->s[t->off] == ')' || f->s[t->off] == ']';
	case TK_WORD:
		kw = keyword(f, i);
		if (!kw || (kw->flags & KW_VALUE))
			return 1;
		/* x NOT LIKE (...): NOT counts when it follows an operand itself */
		return allow_not && i > 0 && tk_word_is(f, i, "not") && ends_operand(f, i - 1, 0);
	default:
		return 0;
	}
}

static int fail_name(frag *f, size_t i, const char *what, const char *why)
{
	char name[FRAG_NAME_MAX];
	return dp_fail(f->eb, DP_ERR_CONFIG, "%s: %s %s is not allowed in a subset clause (%s; "
		       "see README, Safety)", f->path, what, shown(f, &f->tk[i], name, sizeof(name)), why);
}

/* Is `( names )` at token i (the '(') column names and commas only, and
 * (with need_as) followed by AS? */
static int names_list_at(const frag *f, size_t i, int need_as)
{
	size_t j = i + 1;

	if (!tk_punct_is(f, i, '('))
		return 0;
	for (;; j += 2) {
		if (!tk_kind_is(f, j, TK_WORD) && !tk_kind_is(f, j, TK_QIDENT))
			return 0;
		if (tk_punct_is(f, j + 1, ')'))
			break;
		if (!tk_punct_is(f, j + 1, ','))
			return 0;
	}
	return !need_as || tk_word_is(f, j + 2, "as");
}

/* A cast's type from token *pi + 1 on (after ::, AS or CONVERT's ','):
 * a built-in type of the list, numeric modifiers, WITH/WITHOUT TIME ZONE,
 * MySQL CHARACTER SET name, PostgreSQL array brackets. *pi is left on
 * the type's last token. */
static int cast_type(frag *f, size_t *pi)
{
	size_t j = *pi + 1, words;
	const struct ty_entry *ty;

	if (j >= f->ntk)
		return dp_fail(f->eb, DP_ERR_CONFIG, "%s: a cast without a type", f->path);
	if (f->tk[j].kind != TK_WORD)
		return dp_fail(f->eb, DP_ERR_CONFIG, "%s: a cast may only name a built-in type "
			       "(unquoted; see README, Safety)", f->path);
	ty = type_at(f, j, &words);
	if (!ty || tk_punct_is(f, j + 1, '.'))
		return fail_name(f, j, "a cast to type", "only built-in types: a user type or "
				 "domain runs user code");
	j += words;
	if (tk_punct_is(f, j, '(')) {
		for (j++;; j += 2) {
			if (!tk_kind_is(f, j, TK_NUMBER))
				return dp_fail(f->eb, DP_ERR_CONFIG, "%s: a type modifier may only hold "
					       "numbers", f->path);
			if (tk_punct_is(f, j + 1, ')'))
				break;
			if (!tk_punct_is(f, j + 1, ','))
				return dp_fail(f->eb, DP_ERR_CONFIG, "%s: a type modifier may only hold "
					       "numbers", f->path);
		}
		j += 2;
	}
	if ((ty->flags & TY_TZ) && (tk_word_is(f, j, "with") || tk_word_is(f, j, "without")) &&
	    tk_word_is(f, j + 1, "time") && tk_word_is(f, j + 2, "zone"))
		j += 3;
	if ((ty->flags & TY_CHARSET) && f->d == DL_MYSQL) {
		if (tk_word_is(f, j, "character") && tk_word_is(f, j + 1, "set") && tk_kind_is(f, j + 2, TK_WORD))
			j += 3;
		else if (tk_word_is(f, j, "charset") && tk_kind_is(f, j + 1, TK_WORD))
			j += 2;
		else if (tk_word_is(f, j, "ascii") || tk_word_is(f, j, "unicode") || tk_word_is(f, j, "byte"))
			j++;
	}
	while (f->d == DL_PG && tk_punct_is(f, j, '[')) {
		if (tk_kind_is(f, j + 1, TK_NUMBER) && tk_punct_is(f, j + 2, ']'))
			j += 3;
		else if (tk_punct_is(f, j + 1, ']'))
			j += 2;
		else
			break;
	}
	*pi = j - 1;
	return DP_OK;
}

static int push_paren(frag *f, paren_kind k)
{
	if (f->depth == FRAG_MAX_DEPTH)
		return dp_fail(f->eb, DP_ERR_CONFIG, "%s: parentheses nested deeper than %d",
			       f->path, FRAG_MAX_DEPTH);
	f->stack[f->depth++] = (uint8_t)k;
	return DP_OK;
}

/* A word token at *pi. */
static int check_word(frag *f, size_t *pi, paren_kind *next_paren)
{
	size_t i = *pi;
	int call = tk_punct_is(f, i + 1, '(');
	paren_kind top = f->depth ? (paren_kind)f->stack[f->depth - 1] : P_GROUP;
	const struct kw_entry *kw;
	const struct fn_entry *fn;

	if (f->expect_cte) {
		/* WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (body) */
		f->expect_cte = 0;
		if (tk_word_is(f, i, "recursive")) {
			f->expect_cte = 1;
			return DP_OK;
		}
		if (call && names_list_at(f, i + 1, 1)) {
			*next_paren = P_NAMES;
			f->cte_as_depth = f->depth + 1;
			return DP_OK;
		}
		if (tk_word_is(f, i + 1, "as"))
			f->cte_as_depth = f->depth + 1;
	}
	if (call && i + 1 == f->alias_at) {
		*next_paren = P_NAMES;     /* AS alias(columns) */
		return DP_OK;
	}
	fn = call ? function(f, i) : NULL;
	if (call && fn && !(i > 0 && tk_punct_is(f, i - 1, '.'))) {
		*next_paren = tk_word_is(f, i, "cast") ? P_CAST
			      : tk_word_is(f, i, "convert") && f->d == DL_MYSQL ? P_CONVERT : P_CALL;
		return DP_OK;
	}
	for (size_t k = 0; k < COUNT(refused); k++)
		if (phrase_at(f, i, refused[k].phrase))
			return dp_fail(f->eb, DP_ERR_CONFIG, "%s: \"%s\" is not allowed in a subset "
				       "clause (%s)", f->path, refused[k].phrase, refused[k].why);
	if (tk_word_is(f, i, "as")) {
		if (top == P_CAST) {
			f->stack[f->depth - 1] = P_CALL;
			return cast_type(f, pi);
		}
		if (f->cte_as_depth == f->depth + 1) {
			size_t j = i + 1;
			f->cte_as_depth = 0;
			if (tk_word_is(f, j, "not"))
				j++;
			if (tk_word_is(f, j, "materialized"))
				j++;
			if (tk_punct_is(f, j, '(')) {
				*pi = j - 1;
				*next_paren = P_CTE;
				return DP_OK;
			}
			/* no body: WITH ORDINALITY AS alias(...), an alias after all */
		}
		if ((tk_kind_is(f, i + 1, TK_WORD) || tk_kind_is(f, i + 1, TK_QIDENT)) &&
		    names_list_at(f, i + 2, 0))
			f->alias_at = i + 2;
		return DP_OK;
	}
	if (tk_word_is(f, i, "with") && (tk_kind_is(f, i + 1, TK_WORD) || tk_kind_is(f, i + 1, TK_QIDENT)))
		f->expect_cte = 1;
	kw = keyword(f, i);
	if (call) {
		if (i > 0 && tk_punct_is(f, i - 1, '.'))
			return fail_name(f, i, "function", "a schema-qualified function may be a user "
					 "function; only built-in functions without side effects");
		if (kw && (kw->flags & KW_NOCALL))
			return DP_OK;
		if (kw && (kw->flags & KW_INFIX) && i > 0 && ends_operand(f, i - 1, 1))
			return DP_OK;
		if (f->d == DL_PG && i > 0 && tk_word_is(f, i - 1, "tablesample") &&
		    (tk_word_is(f, i, "bernoulli") || tk_word_is(f, i, "system")))
			return DP_OK;
		return fail_name(f, i, "function", "only built-in functions without side effects");
	}
	/* PostgreSQL reads `name 'literal'` as a cast of the literal to type
	 * name; the keywords that may stand before a literal are reserved, or
	 * infix after an operand (x LIKE 'a', 'a' ESCAPE '#'), or AT TIME ZONE */
	if (f->d == DL_PG && tk_kind_is(f, i + 1, TK_STRING)) {
		int keyword_ok = kw && ((kw->flags & (KW_NOCALL | KW_VALUE)) ||
					((kw->flags & KW_INFIX) && i > 0 && ends_operand(f, i - 1, 1)) ||
					(tk_word_is(f, i, "zone") && i > 0 && tk_word_is(f, i - 1, "time")));
		if ((i > 0 && tk_punct_is(f, i - 1, '.')) || (!keyword_ok && !type_ends_at(f, i)))
			return fail_name(f, i, "a cast to type", "only built-in types: a user type or "
					 "domain runs user code");
	}
	return DP_OK;
}

static int check_tokens(frag *f)
{
	paren_kind next_paren = P_GROUP;
	int rc = DP_OK;

	for (size_t i = 0; i < f->ntk && !rc; i++) {
		const token *t = &f->tk[i];
		paren_kind top = f->depth ? (paren_kind)f->stack[f->depth - 1] : P_GROUP;
		char c = f->s[t->off];

		if (t->kind != TK_WORD && t->kind != TK_QIDENT)
			f->expect_cte = 0;
		if (top == P_NAMES && t->kind != TK_WORD && t->kind != TK_QIDENT &&
		    !(t->kind == TK_PUNCT && (c == ',' || c == ')')))
			return dp_fail(f->eb, DP_ERR_CONFIG, "%s: a column list may only hold names",
				       f->path);
		switch ((tk_kind)t->kind) {
		case TK_PUNCT:
			if (c == ';')
				return dp_fail(f->eb, DP_ERR_CONFIG, "%s: ';' is not allowed: a subset clause "
					       "is one predicate, never a second statement", f->path);
			if (c == '(') {
				rc = push_paren(f, next_paren);
				next_paren = P_GROUP;
			} else if (c == ')') {
				if (!f->depth)
					return dp_fail(f->eb, DP_ERR_CONFIG, "%s: unbalanced ')': the clause may "
						       "not close the parentheses doppel puts around it", f->path);
				if (f->stack[--f->depth] == P_CTE && tk_punct_is(f, i + 1, ',')) {
					f->expect_cte = 1;
					i++;
				}
			} else if (c == ',' && top == P_CONVERT) {
				f->stack[f->depth - 1] = P_CALL;
				rc = cast_type(f, &i);
			}
			break;
		case TK_OP: {
			int known = 0;
			for (size_t k = 0; k < COUNT(operators) && !known; k++)
				known = (operators[k].dialects & f->d) && strlen(operators[k].op) == t->len &&
					!memcmp(operators[k].op, f->s + t->off, t->len);
			if (!known)
				return fail_name(f, i, "operator", "only standard operators: a user-defined "
						 "operator runs user code");
			if (t->len == 2 && !memcmp(f->s + t->off, "::", 2))
				rc = cast_type(f, &i);
			break;
		}
		case TK_WORD:
			rc = check_word(f, &i, &next_paren);
			break;
		case TK_QIDENT:
			if (f->expect_cte) {
				f->expect_cte = 0;
				if (names_list_at(f, i + 1, 1)) {
					next_paren = P_NAMES;
					f->cte_as_depth = f->depth + 1;
					break;
				}
				if (tk_word_is(f, i + 1, "as"))
					f->cte_as_depth = f->depth + 1;
			}
			if (tk_punct_is(f, i + 1, '(')) {
				if (i + 1 == f->alias_at) {
					next_paren = P_NAMES;
					break;
				}
				return dp_fail(f->eb, DP_ERR_CONFIG, "%s: a function called by a quoted name "
					       "is not allowed in a subset clause (only built-in functions "
					       "without side effects; see README, Safety)", f->path);
			}
			if (f->d == DL_PG && tk_kind_is(f, i + 1, TK_STRING))
				return dp_fail(f->eb, DP_ERR_CONFIG, "%s: a cast to a quoted type name is not "
					       "allowed in a subset clause (only built-in types)", f->path);
			break;
		case TK_STRING:
			if (tk_punct_is(f, i + 1, '('))
				return dp_fail(f->eb, DP_ERR_CONFIG, "%s: a function called by a quoted name "
					       "is not allowed in a subset clause (only built-in functions "
					       "without side effects; see README, Safety)", f->path);
			break;
		case TK_NUMBER: case TK_PARAM:
			break;
		}
	}
	if (!rc && f->depth > 0)
		rc = dp_fail(f->eb, DP_ERR_CONFIG, "%s: unbalanced '(': %zu parenthesis%s not closed",
			     f->path, f->depth, f->depth == 1 ? "" : "es");
	return rc;
}

int dp_sql_fragment_check(const char *frag_text, const char *engine, const char *path,
			  dp_errbuf *eb)
{
	frag *f = NULL;
	size_t n = frag_text ? strlen(frag_text) : 0;
	int rc;

	if (!path)
		path = "SQL fragment";
	if (n > FRAG_MAX_BYTES)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: clause longer than %u bytes", path, FRAG_MAX_BYTES);
	f = calloc(1, sizeof(*f));
	if (!f)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	f->s = frag_text ? frag_text : "";
	f->n = n;
	f->path = path;
	f->eb = eb;
	f->d = dialect_of(engine);
	rc = tokenize(f);
	if (rc)
		goto out;
	if (!f->ntk) {
		rc = dp_fail(eb, DP_ERR_CONFIG, "%s: empty clause", path);
		goto out;
	}
	rc = check_tokens(f);
out:
	free(f->tk);
	free(f);
	return rc;
}
