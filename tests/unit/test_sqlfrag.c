/* tests/unit/test_sqlfrag.c - the check every subset clause passes: what
 * it refuses (a second statement, closing doppel's parentheses, INTO,
 * row locks, unterminated literals and comments, functions, operators and
 * cast types outside the allow-lists, the red team's bypasses) and what it
 * must accept (the same characters inside literals, quoted identifiers and
 * comments; the clauses people write), per dialect. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "connectors/sqlfrag.h"

typedef struct fcase {
	const char *engine, *frag;
	const char *refused;   /* NULL: accepted; else a word of the message */
} fcase;

static const fcase cases[] = {
	{"sqlite", "Country = 'Brazil'", NULL},
	{"sqlite", "a = 'x;y' AND b = 'it''s'", NULL},
	{"sqlite", "\"odd;name\" = 1 AND [x)y] = 2 AND `a;b` = 3", NULL},
	{"sqlite", "a IN (SELECT b FROM t UNION SELECT c FROM u)", NULL},
	{"sqlite", "a = 1 -- ; DROP TABLE t", NULL},
	{"sqlite", "/* ) ; */ a = 1", NULL},
	{"sqlite", "into_date > 3 AND for_update = 1", NULL},
	{"sqlite", "a = 1; DROP TABLE t", "';'"},
	{"sqlite", "a = 1) OR (1 = 1", "unbalanced ')'"},
	{"sqlite", "(a = 1", "unbalanced '('"},
	{"sqlite", "a = 'x", "unterminated string"},
	{"sqlite", "\"a = 1", "unterminated quoted"},
	{"sqlite", "a = 1 /* x", "unterminated /*"},
	{"sqlite", "   ", "empty"},
	{"sqlite", "a = 1 FOR  UPDATE", "for update"},
	{"postgresql", "a = $$;)$$ AND b = $q$ ' $q$", NULL},
	{"postgresql", "a = E'\\';' AND b = 1", NULL},
	{"postgresql", "a = '\\' AND b = 1", NULL},  /* standard strings: \ is a character */
	{"postgresql", "/* outer /* inner ; */ still comment */ a = 1", NULL},
	{"postgresql", "a = $$x", "unterminated dollar"},
	{"postgresql", "1=1) TO STDOUT; COPY (SELECT 1", "unbalanced ')'"},
	{"postgresql", "a = 1 FOR NO KEY UPDATE", "for no key update"},
	{"postgresql", "a = 1 INTO TEMP x", "into"},
	{"postgresql", "a = $1", NULL},
	{"mysql", "a = 'it\\'s; x' AND b = 1", NULL},
	{"mysql", "a = 1 # ; DROP", NULL},
	{"mysql", "a = 1 --; DROP TABLE t", "';'"},     /* -- needs a space in MySQL */
	{"mysql", "a = 1 /*! ; DROP TABLE t */", "executable"},
	{"mysql", "a = 1 /*M! ; DROP TABLE t */", "executable"},
	{"mysql", "a = 1 INTO OUTFILE '/tmp/x'", "into"},
	{"mysql", "a = 1 LOCK IN SHARE MODE", "lock in share mode"},
	{"mysql", "`a;)` = 1", NULL},
	/* ---- tokens: comments between words hide no phrase ---- */
	{"postgresql", "a = 1 FOR/**/UPDATE", "for update"},
	{"mysql", "a = 1 FOR/* x */SHARE", "for share"},
	{"sqlite", "a = 1 FOR -- c\n UPDATE", "for update"},
	{"postgresql", "a = 1 FOR\nKEY\tSHARE", "for key share"},
	{"mysql", "a = 1 LOCK/**/IN/**/SHARE/**/MODE", "lock in share mode"},
	{"postgresql", "a = 1 /* x */ INTO/**/TEMP t", "into"},
	{"postgresql", "id IN (SELECT 1) FOR UPDATE OF t", "for update"},
	{"postgresql", "copy = 1", "copy"},
	{"mysql", "a = 1 PROCEDURE ANALYSE()", "procedure"},
	{"mysql", "a = 1 HANDLER", "handler"},
	{"mysql", "NEXT VALUE FOR s > 0", "next value for"},
	{"postgresql", "nextval('s') > 0", "nextval"},
	{"postgresql", "setval('s', 1) > 0", "setval"},
	{"sqlite", "id IN (SELECT x FROM t WHERE y = 1) AND \"into\" = 2 AND into_x = 3", NULL},
	/* ---- MySQL '--' is a comment before ANY white space or control character ---- */
	{"mysql", "1=1 --\x01 '\n; DROP TABLE canary; SELECT 1 -- '", "';'"},
	{"mysql", "1=1 --\x01 '\n) OR kill_canary() OR (1=1 -- '", "unbalanced ')'"},
	{"mysql", "1=1 --\t)\n AND b = 1", NULL},
	{"mysql", "1=1 --\x7f )\n AND b = 1", NULL},
	{"mysql", "1=1 --\xc2\xa0 x", "non-ASCII"},
	{"mysql", "a = 1--", NULL},
	{"mysql", "a = 1 --1", NULL},                      /* minus minus one */
	{"mysql", "a = 1 #\x01 ) \n AND b = 2", NULL},
	/* line comments end where the server ends them */
	{"postgresql", "a = 1 -- x\r) OR (1=1", "unbalanced ')'"},
	{"mysql", "a = 1 -- x\r) still comment\n AND b = 2", NULL},
	{"sqlite", "a = 1 -- x\r) still comment\n AND b = 2", NULL},
	/* block comments: nested in PostgreSQL only */
	{"mysql", "/* a /* b */ c = 1", NULL},
	{"sqlite", "/* a /* b */ 1 = 1", NULL},
	{"postgresql", "/* a /* b */ 1 = 1", "unterminated /*"},
	{"mysql", "a = 1 /*+ SET_VAR(x=1) */", "optimizer hints"},
	/* ---- PostgreSQL identifiers: bytes >= 0x80 and '$' inside words ---- */
	{"postgresql", "\xc3\xa9$a$ = 1 AND b = 2", NULL},
	{"postgresql", "\xc3\xa9$a$ = 1 AND b = ';'", NULL},
	{"postgresql", "x$ = 1 AND $a$;$a$ = b", NULL},
	{"postgresql", "\xc3\xa9t\xc3\xa9 = 1", NULL},
	{"mysql", "\xc3\xa9t\xc3\xa9 = 1 AND a$b = 2", NULL},
	{"postgresql", "a = $", "'$'"},
	{"postgresql", "a = $tag$x$ta$", "unterminated dollar"},
	{"postgresql", "a = $1 AND b = $2::int", NULL},
	{"postgresql", "a = U&'d\\0061t' AND U&\"x\" = 1 AND b = B'0101' AND c = X'1F' AND d = N'x'", NULL},
	{"postgresql", "a = U&'x", "unterminated string"},
	{"postgresql", "a = e'\\\\' AND b = E'it''s'", NULL},
	{"postgresql", "a = 'x' 'y'", NULL},
	/* numbers */
	{"postgresql", "a > 1.5e-3 AND b < .5 AND c = 0x1F AND d = 10", NULL},
	{"mysql", "1abs(x) = 1", "number directly followed"},
	{"sqlite", "a = 123abc", "number directly followed"},
	/* ---- literals and quoting per dialect ---- */
	{"mysql", "a = \"say \\\"hi\\\"; \" AND b = 'x''y' AND `c``;` = 1", NULL},
	{"mysql", "a = 'x\\\\' AND b = 1", NULL},
	{"sqlite", "a = 'x\\' AND b = 1", NULL},           /* no escapes in SQLite */
	{"sqlite", "[a;b] = 1 AND `x` = 2 AND \"y\"\"z\" = 3 AND x'ab' = b", NULL},
	{"sqlite", "[a = 1", "unterminated quoted"},
	{"mysql", "`a = 1", "unterminated quoted"},
	{"postgresql", "a = 1 \\ b", "'\\'"},
	{"mysql", "a = 1 AND b = \x01", "control character"},
	{"sqlite", "a = ?", "'?'"},
	{"sqlite", "a = :x", "':'"},
	{"mysql", "@x := 1", "'@'"},
	{"mysql", "a = {fn now()}", "'{'"},
	/* parentheses */
	{"sqlite", "((a = 1) OR (b = 2)) AND (c = 3)", NULL},
	{"sqlite", "(a = 1))", "unbalanced ')'"},
	{"sqlite", ")(", "unbalanced ')'"},
	{"postgresql", "((a = 1)", "unbalanced '('"},
	{"sqlite", "-- only a comment", "empty"},
	{"postgresql", "/* only */ /* comments */", "empty"},
	{"sqlite", "", "empty"},
	/* ---- function calls: the allow-list ---- */
	{"postgresql", "dblink_exec('dbname=src', 'DELETE FROM canary') IS NOT NULL", "function dblink_exec"},
	{"postgresql", "pg_terminate_backend(pg_backend_pid()) IS NOT NULL", "function pg_terminate_backend"},
	{"postgresql", "pg_create_physical_replication_slot('x') IS NOT NULL", "function pg_create_physical_replication_slot"},
	{"postgresql", "pg_advisory_lock(1) IS NOT NULL", "function pg_advisory_lock"},
	{"postgresql", "pg_stat_reset() IS NOT NULL", "function pg_stat_reset"},
	{"postgresql", "pg_switch_wal() IS NOT NULL", "function pg_switch_wal"},
	{"postgresql", "pg_reload_conf()", "function pg_reload_conf"},
	{"postgresql", "pg_logical_emit_message(true, 'x', 'y') IS NOT NULL", "function pg_logical_emit_message"},
	{"postgresql", "set_config('work_mem', '1GB', false) IS NOT NULL", "function set_config"},
	{"postgresql", "lo_import('/etc/passwd') > 0", "function lo_import"},
	{"postgresql", "lo_unlink(1) = 1", "function lo_unlink"},
	{"postgresql", "pg_read_file('/etc/passwd') <> ''", "function pg_read_file"},
	{"postgresql", "query_to_xml('DELETE FROM canary', true, true, '') IS NOT NULL", "function query_to_xml"},
	{"postgresql", "kill_canary() = 1", "function kill_canary"},
	{"postgresql", "a = 1 AND (b = 2 OR lower(kill_canary()::text) = 'x')", "function kill_canary"},
	{"postgresql", "public.lower(a) = 'x'", "function lower"},
	{"postgresql", "pg_catalog.pg_sleep(1) IS NULL", "schema-qualified"},
	{"postgresql", "\"kill_canary\"() = 1", "quoted name"},
	{"postgresql", "\"lower\"(a) = 'x'", "quoted name"},
	{"mysql", "`kill_canary`() = 1", "quoted name"},
	{"mysql", "\"kill_canary\"() = 1", "quoted name"},
	{"mysql", "src.kill_canary() = 1", "function kill_canary"},
	{"mysql", "kill_canary() = 1", "function kill_canary"},
	{"mysql", "GET_LOCK('x', 10) = 1", "function GET_LOCK"},
	{"mysql", "RELEASE_LOCK('x') = 1", "function RELEASE_LOCK"},
	{"mysql", "BENCHMARK(100000000, md5('x')) = 0", "function BENCHMARK"},
	{"mysql", "LOAD_FILE('/etc/passwd') IS NOT NULL", "function LOAD_FILE"},
	{"mysql", "LAST_INSERT_ID(5) > 0", "function LAST_INSERT_ID"},
	{"sqlite", "load_extension('x') IS NULL", "function load_extension"},
	{"sqlite", "writefile('/tmp/x', 'y') > 0", "function writefile"},
	{"sqlite", "now() > 0", "function now"},                 /* PostgreSQL/MySQL only */
	{"postgresql", "ifnull(a, 0) = 0", "function ifnull"},      /* not built into PostgreSQL */
	{"postgresql", "OPERATOR(public.===)(a, b)", "function OPERATOR"},
	/* a keyword PostgreSQL lets a function be named after is no call only after an operand */
	{"postgresql", "like(1) = 1", "function like"},
	{"postgresql", "NOT filter(a)", "function filter"},
	{"postgresql", "a LIKE ('x%') AND b NOT ILIKE ('y') AND c NOT LIKE (d)", NULL},
	{"postgresql", "count(*) FILTER (WHERE x > 1) OVER (PARTITION BY y) > 0", NULL},
	{"sqlite", "like('a%', name) AND glob('b*', name) AND name LIKE ('c')", NULL},
	/* keywords followed by '(' are no calls */
	{"postgresql", "EXISTS (SELECT 1) AND a IN (1) AND b = ANY (ARRAY[1,2]) AND c > ALL (SELECT 1) "
		       "AND NOT (d = 1) AND ROW(e, f) = ROW(1, 2) AND g = SOME (SELECT 1)", NULL},
	{"postgresql", "a IN (SELECT x FROM (VALUES (1), (2)) AS v(x))", NULL},
	{"postgresql", "a IN (SELECT x FROM t JOIN u USING (k) JOIN LATERAL (SELECT 1) AS l(y) ON (true))", NULL},
	{"postgresql", "a IN (SELECT x FROM generate_series(1, 10) AS g(x))", NULL},
	{"postgresql", "a IN (SELECT x FROM generate_series(1, 10) g(x))", "function g"},
	{"postgresql", "a IN (SELECT x FROM t AS v(x, 1))", "function v"},
	{"postgresql", "a IN (SELECT id FROM t TABLESAMPLE BERNOULLI (10) REPEATABLE (42))", NULL},
	{"postgresql", "a IN (SELECT id FROM ONLY (t))", NULL},
	{"mysql", "MATCH (title) AGAINST ('word') AND a XOR (b) AND c = INTERVAL(5, 1, 10) "
		  "AND d DIV (2) = 1 AND e MOD (3) = 0 AND f SOUNDS LIKE ('x')", NULL},
	/* CTEs */
	{"sqlite", "(WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) "
		   "SELECT count(*) FROM c) > 0", NULL},
	{"postgresql", "a IN (WITH c AS MATERIALIZED (SELECT 1), d(y) AS NOT MATERIALIZED (SELECT 2) "
		       "SELECT * FROM c, d)", NULL},
	{"mysql", "a IN (WITH `c` AS (SELECT 1), `d`(y) AS (SELECT 2) SELECT 1)", NULL},
	{"postgresql", "a IN (WITH \"c\" AS (SELECT 1), \"d\"(y) AS (SELECT 2) SELECT 1)", NULL},
	{"mysql", "a IN (WITH \"c\"(y) AS (SELECT 1) SELECT 1)", "quoted name"},   /* a string in MySQL */
	{"postgresql", "a IN (WITH c(kill_canary()) AS (SELECT 1) SELECT 1)", "function c"},
	{"postgresql", "a IN (WITH c AS (SELECT 1) SELECT kill_canary())", "function kill_canary"},
	{"postgresql", "a IN (SELECT x FROM unnest(ARRAY[1]) WITH ORDINALITY AS u(x, n))", NULL},
	/* ---- operators ---- */
	{"postgresql", "a === b", "operator ==="},
	{"postgresql", "a <<->> b", "operator <<->>"},
	{"postgresql", "a !=- 1", "operator !=-"},
	{"postgresql", "a=-1 AND b<-1 AND c*-1 > 0 AND d+-1 > 0 AND e>=+1", NULL},
	{"postgresql", "a ~ '^x' AND b ~* 'y' AND c !~ 'z' AND d !~* 'w' AND e ~~ 'v%' AND f !~~ 'u%'", NULL},
	{"postgresql", "j @> '{\"a\":1}' AND j <@ k AND arr && other AND j ? 'k' AND j ?| array['a'] "
		       "AND j ?& array['b'] AND j -> 'a' = k AND j ->> 'a' = 'x' AND j #> '{a}' = k "
		       "AND j #>> '{a}' = 'x' AND ip <<= '10.0.0.0/8'", NULL},
	{"postgresql", "a <*> b", "operator <*>"},
	{"postgresql", "a = 1 AND b = 2 -- c", NULL},
	{"postgresql", "a =/* c */1", NULL},
	{"mysql", "a <=> b AND c << 2 > 0 AND d & 1 = 1 AND e | 2 > 0 AND f ^ 1 = 0 AND !g AND h && i "
		  "AND j -> '$.a' = 1 AND k ->> '$.b' = 'x' AND l || m", NULL},
	{"mysql", "a=-1 AND b<-1 AND c!=-1", NULL},
	{"mysql", "@@version > '5'", "'@'"},
	{"sqlite", "a == 1 AND b != 2 AND c <> 3 AND d || e = 'x' AND f -> '$.a' = 1 AND g >> 1 = 0", NULL},
	{"sqlite", "!a", "'!'"},
	{"sqlite", "a ^ b", "'^'"},
	/* ---- casts ---- */
	{"postgresql", "'x'::mydomain IS NOT NULL", "type mydomain"},
	{"postgresql", "CAST(x AS mydomain) IS NOT NULL", "type mydomain"},
	{"postgresql", "a::regclass IS NOT NULL", "type regclass"},
	{"postgresql", "a::regproc IS NOT NULL", "type regproc"},
	{"postgresql", "a::public.int4 = 1", "type public"},
	{"postgresql", "a::\"mydomain\" = 1", "built-in type"},
	{"postgresql", "varying 'x' IS NOT NULL", "type varying"},
	{"postgresql", "zone 'x' IS NOT NULL", "type zone"},
	{"postgresql", "a = 1 AND escape 'x' IS NOT NULL", "type escape"},
	{"postgresql", "format('%s', VARIADIC filter(a)) = 'x'", "function filter"},
	{"postgresql", "a LIKE 'x!%' ESCAPE '!' AND b SIMILAR TO 'y' AND U&'!0061' UESCAPE '!' = 'a' "
		       "AND character varying 'x' = c AND bit varying '101' = d", NULL},
	{"postgresql", "mydomain 'x' IS NOT NULL", "type mydomain"},
	{"postgresql", "public.mydomain 'x' IS NOT NULL", "type mydomain"},
	{"postgresql", "\"mydomain\" 'x' IS NOT NULL", "quoted type"},
	{"postgresql", "a::varchar(kill_canary()) = 'x'", "modifier"},
	{"postgresql", "a::int[] = b::text[]::int[] AND c::numeric(10,2) > 1 AND d::double precision > 1 "
		       "AND e::timestamp with time zone > now() AND f::timestamp(3) without time zone > now() "
		       "AND g::character varying(5) = 'x' AND h::bit varying(3) = B'1' AND i::int4[3] = j "
		       "AND k::uuid = l::uuid AND m::jsonb ? 'a' AND n::bool AND o::interval > interval '1 day'", NULL},
	{"postgresql", "CAST(a AS varchar(10)) = 'x' AND CAST(b AS timestamp with time zone) > now() "
		       "AND CAST((SELECT x AS y FROM t) AS int) = 1 AND date '2024-01-01' < d "
		       "AND timestamp '2024-01-01 00:00' < e AND double precision '1.5' > f "
		       "AND time with time zone '10:00+00' > g AND d AT TIME ZONE 'UTC' > h", NULL},
	{"postgresql", "a::", "without a type"},
	{"mysql", "CAST(a AS SIGNED) > 1 AND CAST(b AS UNSIGNED INTEGER) > 1 AND CAST(c AS CHAR(10) "
		  "CHARACTER SET utf8mb4) = 'x' AND CAST(d AS DATE) > '2024-01-01' AND CAST(e AS DATETIME(6)) "
		  "> now() AND CAST(f AS DECIMAL(10,2)) > 5 AND CAST(g AS BINARY) = 'x' AND CAST(h AS TIME) "
		  "> '10:00' AND CAST(i AS JSON) IS NOT NULL AND CAST(j AS DOUBLE) > 1 AND CAST(k AS FLOAT) > 1", NULL},
	{"mysql", "CONVERT(a, SIGNED) > 1 AND CONVERT(b USING utf8mb4) = 'x' AND CONVERT(c, CHAR(5)) = 'y'", NULL},
	{"mysql", "CONVERT(a, kill_canary) > 1", "type kill_canary"},
	{"mysql", "CAST(a AS mytype) > 1", "type mytype"},
	{"sqlite", "CAST(a AS INTEGER) > 1 AND CAST(b AS TEXT) = 'x' AND CAST(c AS REAL) > 1.5 "
		   "AND CAST(d AS NUMERIC) > 1 AND CAST(e AS BLOB) = x'00' AND CAST(f AS VARCHAR(10)) = 'y'", NULL},
	{"sqlite", "CAST(a AS whatever) > 1", "type whatever"},
	/* ---- clauses people write: all must stay accepted ---- */
	{"postgresql", "created_at > now() - interval '30 days'", NULL},
	{"mysql", "created_at > now() - INTERVAL 30 DAY", NULL},
	{"sqlite", "created_at > datetime('now', '-30 days')", NULL},
	{"postgresql", "lower(email) LIKE '%@corp.com'", NULL},
	{"mysql", "lower(email) LIKE '%@corp.com'", NULL},
	{"sqlite", "lower(email) LIKE '%@corp.com'", NULL},
	{"postgresql", "extract(year from d) = 2024", NULL},
	{"mysql", "extract(YEAR FROM d) = 2024 AND YEAR(d) = 2024", NULL},
	{"sqlite", "country IN ('NL','BE') AND NOT deleted", NULL},
	{"postgresql", "country IN ('NL','BE') AND NOT deleted", NULL},
	{"postgresql", "id IN (SELECT customer_id FROM orders WHERE total > 100 GROUP BY customer_id "
		       "HAVING count(*) > 2)", NULL},
	{"mysql", "id IN (SELECT customer_id FROM orders WHERE total > 100 GROUP BY customer_id "
		  "HAVING count(*) > 2)", NULL},
	{"sqlite", "EXISTS (SELECT 1 FROM x WHERE x.a = t.a)", NULL},
	{"postgresql", "EXISTS (SELECT 1 FROM x WHERE x.a = t.a)", NULL},
	{"sqlite", "coalesce(a, 0) % 10 = 3", NULL},
	{"postgresql", "coalesce(a, 0) % 10 = 3", NULL},
	{"postgresql", "status::text = 'open'", NULL},
	{"mysql", "CAST(amount AS DECIMAL(10,2)) > 5", NULL},
	{"postgresql", "CAST(amount AS DECIMAL(10,2)) > 5", NULL},
	{"sqlite", "d BETWEEN '2024-01-01' AND '2024-12-31'", NULL},
	{"postgresql", "d BETWEEN '2024-01-01' AND '2024-12-31'", NULL},
	{"sqlite", "json_extract(meta, '$.tier') = 'gold'", NULL},
	{"mysql", "json_extract(meta, '$.tier') = 'gold' AND JSON_UNQUOTE(meta->'$.x') = 'y'", NULL},
	{"postgresql", "meta->>'tier' = 'gold' AND meta #>> '{a,b}' = 'c'", NULL},
	{"sqlite", "abs(random()) % 100 < 10", NULL},
	{"postgresql", "random() < 0.1", NULL},
	{"mysql", "RAND() < 0.1", NULL},
	{"postgresql", "hashtext(id::text) % 10 = 0", NULL},
	{"mysql", "crc32(id) % 10 = 0 AND md5(email) LIKE 'a%'", NULL},
	{"postgresql", "date_trunc('month', created_at) >= date_trunc('month', now()) - interval '3 months'", NULL},
	{"postgresql", "created_at >= current_date - 7 AND created_at < current_timestamp", NULL},
	{"mysql", "created_at >= CURDATE() - INTERVAL 7 DAY AND DATE_FORMAT(d, '%Y') = '2024' "
		  "AND DATEDIFF(now(), d) < 30 AND DATE_ADD(d, INTERVAL 1 MONTH) > now()", NULL},
	{"sqlite", "strftime('%Y', d) = '2024' AND julianday('now') - julianday(d) < 30 "
		   "AND date(d) > date('now', '-1 year') AND unixepoch(d) > 0", NULL},
	{"postgresql", "to_char(d, 'YYYY') = '2024' AND age(birth) > interval '18 years'", NULL},
	{"postgresql", "CASE WHEN a > 1 THEN 'x' ELSE 'y' END = 'x'", NULL},
	{"mysql", "IF(a > 1, 'x', 'y') = 'x' AND IFNULL(b, 0) = 0", NULL},
	{"sqlite", "iif(a > 1, 'x', 'y') = 'x' AND ifnull(b, 0) = 0 AND typeof(c) = 'text'", NULL},
	{"postgresql", "substring(name from 1 for 3) = 'abc' AND position('x' in name) > 0 "
		       "AND trim(both ' ' from name) <> '' AND split_part(email, '@', 2) = 'corp.com'", NULL},
	{"postgresql", "length(trim(name)) > 0 AND upper(left(code, 2)) = 'NL' AND concat(a, b) <> ''", NULL},
	{"mysql", "CHAR_LENGTH(name) > 3 AND SUBSTRING_INDEX(email, '@', -1) = 'corp.com' "
		  "AND CONCAT_WS('-', a, b) <> '' AND LEFT(code, 2) = 'NL'", NULL},
	{"postgresql", "id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY c ORDER BY d DESC) AS rn "
		       "FROM t) AS s WHERE rn <= 3)", NULL},
	{"postgresql", "id = ANY (ARRAY[1, 2, 3]) AND tags @> ARRAY['a']::text[]", NULL},
	{"postgresql", "name ~* '^(ann|bob)$' AND email NOT LIKE '%@test.%' AND a IS NOT NULL "
		       "AND b IS DISTINCT FROM 'x' AND flag IS TRUE", NULL},
	{"postgresql", "pg_sleep(20) IS NOT NULL", NULL},   /* kept: see the table's comment */
	{"mysql", "SLEEP(20) = 0", NULL},
	{"mysql", "id IN (SELECT customer_id FROM orders o JOIN items i ON i.order_id = o.id "
		  "WHERE i.price * i.qty > 100) AND status <> 'x'", NULL},
	{"sqlite", "id % 10 = 3 AND name GLOB 'A*' AND round(total, 2) > 5.5 AND substr(code, 1, 2) = 'NL'", NULL},
	{"sqlite", "Total > 5 AND InvoiceDate >= '2010-01-01' AND CustomerId IN (SELECT CustomerId FROM Customer "
		   "WHERE Country IN ('USA', 'Canada', 'Brazil'))", NULL},
	{"postgresql", "greatest(a, b) > 10 AND least(c, d) < 5 AND nullif(e, '') IS NOT NULL "
		       "AND round(f::numeric, 2) > 1 AND abs(g) < 3 AND mod(h, 7) = 0", NULL},
};

static void test_cases(void **state)
{
	(void)state;
	int bad = 0;

	/* every case runs, every failing one is printed, then the test fails */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		dp_errbuf eb;
		int rc;
		dp_errbuf_clear(&eb);
		rc = dp_sql_fragment_check(cases[i].frag, cases[i].engine, "tables.t.subset.where", &eb);
		if (!cases[i].refused) {
			if (rc) {
				print_error("%s: [%s] refused: %s\n", cases[i].engine, cases[i].frag, eb.msg);
				bad++;
			}
			continue;
		}
		if (rc != DP_ERR_CONFIG) {
			print_error("%s: [%s] accepted\n", cases[i].engine, cases[i].frag);
			bad++;
		} else if (!strstr(eb.msg, cases[i].refused) ||
			   strncmp(eb.msg, "tables.t.subset.where: ", 23)) {
			print_error("%s: [%s] message [%s] lacks [%s] or the path\n", cases[i].engine,
				    cases[i].frag, eb.msg, cases[i].refused);
			bad++;
		}
	}
	if (bad)
		fail_msg("%d of %zu cases wrong", bad, sizeof(cases) / sizeof(cases[0]));
}

/* the message names the path and never repeats the clause (it may hold
 * values the user copied from the source) */
static void test_message_has_no_clause(void **state)
{
	dp_errbuf eb;
	(void)state;
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_sql_fragment_check("secret_value = 'abc123'; x", "sqlite", "p", &eb),
			 DP_ERR_CONFIG);
	assert_null(strstr(eb.msg, "abc123"));
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_sql_fragment_check("kill_canary('abc123') = 1", "postgresql", "p", &eb),
			 DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "kill_canary"));
	assert_null(strstr(eb.msg, "abc123"));
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_sql_fragment_check("'abc123'::secret_abc123x", "postgresql", "p", &eb),
			 DP_ERR_CONFIG);
	assert_null(strstr(eb.msg, "'abc123'"));
}

/* every refusal names the JSON path first; a NULL or over-long clause is
 * refused, a long accepted one does not fail for its size */
static void test_limits(void **state)
{
	dp_errbuf eb;
	size_t big = (1u << 20) + 1;
	char *s = malloc(big + 1);
	(void)state;
	assert_non_null(s);
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_sql_fragment_check(NULL, "sqlite", "tables.t.subset.where", &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "empty"));
	/* a long IN list: 100k ids */
	strcpy(s, "id IN (1");
	for (size_t n = strlen(s); n + 16 < 1000000; n += strlen(s + n))
		strcpy(s + n, ", 1234567");
	strcat(s, ")");
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_sql_fragment_check(s, "postgresql", "tables.t.subset.where", &eb), DP_OK);
	memset(s, '(', 300);
	s[300] = '\0';
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_sql_fragment_check(s, "mysql", "tables.t.subset.where", &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "nested deeper"));
	memset(s, ' ', big);
	s[big] = '\0';
	dp_errbuf_clear(&eb);
	assert_int_equal(dp_sql_fragment_check(s, "sqlite", "tables.t.subset.where", &eb), DP_ERR_CONFIG);
	assert_non_null(strstr(eb.msg, "longer than"));
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_message_has_no_clause),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
