/* connectors/sqlfrag.c - the check every user SQL fragment passes before it
 * is placed in a source query (see sqlfrag.h).
 *
 * The fragment is lexed the way the engine's own parser lexes it: string
 * literals, quoted identifiers and comments are skipped as units, so a `;`
 * or `)` inside 'text' is data, while one outside ends the statement or the
 * parentheses doppel put around the predicate. The check is one layer: the
 * drivers also send each source request as exactly one statement (extended
 * protocol, no multi-statements, empty prepare tail) inside a read-only
 * transaction, so a fragment that slipped past the lexer still could not
 * write.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "sqlfrag.h"

typedef enum { D_STD, D_PG, D_MYSQL } dialect;

static dialect dialect_of(const char *engine)
{
	if (engine && !strcmp(engine, "postgresql"))
		return D_PG;
	if (engine && !strcmp(engine, "mysql"))
		return D_MYSQL;
	return D_STD;
}

/* End of a quoted run starting at s[i] (the opening quote q); doubled
 * quotes stay inside; with `bs`, a backslash escapes the next byte.
 * Returns the index just past the closing quote, or n when unterminated. */
static size_t skip_quoted(const char *s, size_t i, size_t n, char q, int bs)
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
	return n + 1;
}

/* PostgreSQL dollar quoting: $tag$ ... $tag$ (tag may be empty). Returns 0
 * when s[i] does not start one. */
static size_t skip_dollar(const char *s, size_t i, size_t n, int *unterminated)
{
	size_t j = i + 1, tl;
	const char *end;

	while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '_'))
		j++;
	if (j >= n || s[j] != '$' || (j > i + 1 && isdigit((unsigned char)s[i + 1])))
		return 0;
	tl = j + 1 - i;                       /* "$tag$" */
	for (end = s + j + 1; end + tl <= s + n; end++)
		if (!memcmp(end, s + i, tl))
			return (size_t)(end - s) + tl;
	*unterminated = 1;
	return n;
}

static int word_at(const char *s, size_t i, size_t n, const char *w)
{
	size_t l = strlen(w);
	if (i + l > n || strncasecmp(s + i, w, l))
		return 0;
	if (i > 0 && (isalnum((unsigned char)s[i - 1]) || s[i - 1] == '_' || s[i - 1] == '$'))
		return 0;
	return i + l == n || !(isalnum((unsigned char)s[i + l]) || s[i + l] == '_' || s[i + l] == '$');
}

/* Words that would make a read take locks or write somewhere: INTO
 * (MySQL INTO OUTFILE/DUMPFILE writes a file on the server, SELECT INTO
 * creates a table), FOR UPDATE / FOR SHARE and LOCK IN SHARE MODE (row
 * locks that block production writers). Outside literals only. */
static const char *const refused_words[] = { "into", "for update", "for share",
	"for no key update", "for key share", "lock in share mode", NULL };

/* "for   update" as one phrase: words separated by any white space. */
static size_t phrase_at(const char *s, size_t i, size_t n, const char *ph)
{
	size_t k = i;
	const char *p = ph;

	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t wl = sp ? (size_t)(sp - p) : strlen(p);
		char w[32];
		if (wl >= sizeof(w))
			return 0;
		memcpy(w, p, wl);
		w[wl] = '\0';
		if (!word_at(s, k, n, w))
			return 0;
		k += wl;
		p += wl;
		if (*p == ' ') {
			p++;
			if (k >= n || !isspace((unsigned char)s[k]))
				return 0;
			while (k < n && isspace((unsigned char)s[k]))
				k++;
		}
	}
	return k;
}

int dp_sql_fragment_check(const char *frag, const char *engine, const char *path,
			  dp_errbuf *eb)
{
	dialect d = dialect_of(engine);
	size_t n = frag ? strlen(frag) : 0, i = 0;
	long depth = 0;
	int nonblank = 0;

	if (!path)
		path = "SQL fragment";
	while (i < n) {
		char ch = frag[i];
		size_t e;
		int unterminated = 0;

		if (ch == '\'' || ch == '"' || (ch == '`' && d != D_PG) || (ch == '[' && d == D_STD)) {
			int bs = d == D_MYSQL && ch != '`';
			/* PostgreSQL E'...' strings take backslash escapes */
			if (d == D_PG && ch == '\'' && i > 0 && (frag[i - 1] == 'e' || frag[i - 1] == 'E') &&
			    (i < 2 || !(isalnum((unsigned char)frag[i - 2]) || frag[i - 2] == '_')))
				bs = 1;
			if (ch == '[') {
				const char *close = memchr(frag + i, ']', n - i);
				e = close ? (size_t)(close - frag) + 1 : n + 1;
			} else {
				e = skip_quoted(frag, i, n, ch, bs);
			}
			if (e > n)
				return dp_fail(eb, DP_ERR_CONFIG, "%s: unterminated %s", path,
					       ch == '\'' ? "string literal" : "quoted identifier");
			i = e;
			nonblank = 1;
			continue;
		}
		if (d == D_PG && ch == '$' && (e = skip_dollar(frag, i, n, &unterminated))) {
			if (unterminated)
				return dp_fail(eb, DP_ERR_CONFIG, "%s: unterminated dollar-quoted string", path);
			i = e;
			nonblank = 1;
			continue;
		}
		if ((ch == '-' && i + 1 < n && frag[i + 1] == '-' &&
		     (d != D_MYSQL || i + 2 >= n || isspace((unsigned char)frag[i + 2]))) ||
		    (ch == '#' && d == D_MYSQL)) {
			/* a line comment: doppel puts the fragment on lines of its own,
			 * so it cannot swallow what follows */
			while (i < n && frag[i] != '\n')
				i++;
			continue;
		}
		if (ch == '/' && i + 1 < n && frag[i + 1] == '*') {
			int nest = 1;
			if (d == D_MYSQL && i + 2 < n && (frag[i + 2] == '!' ||
			    (frag[i + 2] == 'M' && i + 3 < n && frag[i + 3] == '!')))
				return dp_fail(eb, DP_ERR_CONFIG, "%s: MySQL executable comments (/*! ... */) "
					       "are not allowed", path);
			for (i += 2; i < n && nest; i++) {
				if (frag[i] == '*' && i + 1 < n && frag[i + 1] == '/') {
					nest--;
					i++;
				} else if (d == D_PG && frag[i] == '/' && i + 1 < n && frag[i + 1] == '*') {
					nest++;   /* PostgreSQL block comments nest */
					i++;
				}
			}
			if (nest)
				return dp_fail(eb, DP_ERR_CONFIG, "%s: unterminated /* comment", path);
			continue;
		}
		if (ch == ';')
			return dp_fail(eb, DP_ERR_CONFIG, "%s: ';' is not allowed: a subset clause is one "
				       "predicate, never a second statement", path);
		if (ch == '(')
			depth++;
		if (ch == ')' && --depth < 0)
			return dp_fail(eb, DP_ERR_CONFIG, "%s: unbalanced ')': the clause may not close "
				       "the parentheses doppel puts around it", path);
		if (isalpha((unsigned char)ch) || ch == '_') {
			for (const char *const *w = refused_words; *w; w++)
				if (phrase_at(frag, i, n, *w))
					return dp_fail(eb, DP_ERR_CONFIG, "%s: \"%s\" is not allowed in a subset "
						       "clause (it would write or lock on the source)", path, *w);
			while (i < n && (isalnum((unsigned char)frag[i]) || frag[i] == '_' || frag[i] == '$'))
				i++;
			nonblank = 1;
			continue;
		}
		if (!isspace((unsigned char)ch))
			nonblank = 1;
		i++;
	}
	if (depth > 0)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: unbalanced '(': %ld parenthesis%s not closed",
			       path, depth, depth == 1 ? "" : "es");
	if (!nonblank)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: empty clause", path);
	return DP_OK;
}
