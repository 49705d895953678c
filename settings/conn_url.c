/* settings/conn_url.c - parse connection URLs (see conn_url.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "conn_url.h"
#include "../base/dp_buf.h"

static int hexv(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* copy [s, s+n) with %XX decoded; NULL on a bad escape or no memory */
static char *decode(const char *s, size_t n)
{
	char *r = malloc(n + 1), *w = r;
	if (!r)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n ? hexv(s[i + 1]) : -1;
			int lo = i + 2 < n ? hexv(s[i + 2]) : -1;
			if (hi < 0 || lo < 0) {
				free(r);
				return NULL;
			}
			*w++ = (char)(hi * 16 + lo);
			i += 2;
		} else {
			*w++ = s[i];
		}
	}
	*w = '\0';
	return r;
}

static int parse_sqlite(const char *url, dp_conn_cfg *cfg, dp_errbuf *eb)
{
	const char *p;

	if (!strncmp(url, "sqlite:///", 10)) {
		p = url + 10;
		/* sqlite:///tmp/x.db meaning /tmp/x.db is common: fall back to it */
		if (*p != '/' && access(p, F_OK) != 0 && access(p - 1, F_OK) == 0)
			p--;
	} else if (!strncmp(url, "sqlite://", 9)) {
		p = url + 9;
	} else if (!strncmp(url, "sqlite:", 7)) {
		p = url + 7;
	} else {
		p = url;
	}
	if (!*p)
		return dp_fail(eb, DP_ERR_CONFIG, "%s: no database file in the URL", url);
	cfg->connector_type = dp_strdup("sqlite");
	cfg->database = dp_strdup(p);
	if (!cfg->connector_type || !cfg->database)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	return DP_OK;
}

/* user[:password]@host[:port]/database[?params] for the network
 * connectors ("postgresql", "mysql"); `what` names the URL kind in messages */
static int parse_net(const char *what, const char *rest, dp_conn_cfg *cfg, dp_errbuf *eb)
{
	const char *at, *hostp, *slash, *q, *colon, *end;

	cfg->connector_type = dp_strdup(what);
	if (!cfg->connector_type)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	end = rest + strlen(rest);
	q = strchr(rest, '?');
	if (!q)
		q = end;
	slash = memchr(rest, '/', (size_t)(q - rest));
	if (!slash)
		slash = q;
	at = NULL;
	for (const char *s = rest; s < slash; s++)
		if (*s == '@')
			at = s;
	hostp = at ? at + 1 : rest;
	if (at) {
		const char *pc = memchr(rest, ':', (size_t)(at - rest));
		cfg->username = decode(rest, (size_t)((pc ? pc : at) - rest));
		if (!cfg->username)
			return dp_fail(eb, DP_ERR_CONFIG, "%s URL: bad user name", what);
		if (pc && !(cfg->password = decode(pc + 1, (size_t)(at - pc - 1))))
			return dp_fail(eb, DP_ERR_CONFIG, "%s URL: bad password escape", what);
	}
	colon = NULL;
	for (const char *s = hostp; s < slash; s++)
		if (*s == ':')
			colon = s;
	if ((colon ? colon : slash) > hostp &&
	    !(cfg->host = decode(hostp, (size_t)((colon ? colon : slash) - hostp))))
		return dp_fail(eb, DP_ERR_CONFIG, "%s URL: bad host", what);
	if (colon) {
		char *e;
		long port = strtol(colon + 1, &e, 10);
		if (e != slash || port < 1 || port > 65535)
			return dp_fail(eb, DP_ERR_CONFIG, "%s URL: port must be 1..65535", what);
		cfg->port = (int)port;
	}
	if (slash < q && slash + 1 < q && !(cfg->database = decode(slash + 1, (size_t)(q - slash - 1))))
		return dp_fail(eb, DP_ERR_CONFIG, "%s URL: bad database name", what);
	if (q < end) {
		const char *k = q + 1;
		while (k < end) {
			const char *amp = strchr(k, '&');
			if (!amp)
				amp = end;
			if (!strncmp(k, "schema=", 7) && !strcmp(what, "postgresql")) {
				free(cfg->schema_name);
				if (!(cfg->schema_name = decode(k + 7, (size_t)(amp - k - 7))))
					return dp_fail(eb, DP_ERR_CONFIG, "%s URL: bad schema", what);
			} else {
				return dp_fail(eb, DP_ERR_CONFIG, "%.*s: unknown URL parameter (known: %s)",
					       (int)(amp - k), k, strcmp(what, "postgresql") ? "none" : "schema");
			}
			k = amp + (amp < end);
		}
	}
	/* MySQL has no PGPASSWORD / ~/.pgpass: MYSQL_PWD, as the mariadb client */
	if (!cfg->password && !strcmp(what, "mysql") && getenv("MYSQL_PWD") &&
	    !(cfg->password = dp_strdup(getenv("MYSQL_PWD"))))
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	return DP_OK;
}

/* Schemes, SQLAlchemy's dialect[+driver] spellings included. */
static const struct { const char *scheme; const char *connector; } schemes[] = {
	{ "postgresql", "postgresql" }, { "postgres", "postgresql" },
	{ "mysql", "mysql" }, { "mariadb", "mysql" },
};

int dp_conn_url_parse(const char *url, dp_conn_cfg *cfg, dp_errbuf *eb)
{
	const char *sep;

	memset(cfg, 0, sizeof(*cfg));
	if (!url || !*url)
		return dp_fail(eb, DP_ERR_CONFIG, "empty database URL");
	if (!strncmp(url, "sqlite:", 7) || !strstr(url, "://"))
		return parse_sqlite(url, cfg, eb);
	sep = strstr(url, "://");
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		size_t n = strlen(schemes[i].scheme);
		const char *after = url + n;
		/* "mysql://", "mysql+pymysql://", "postgresql+psycopg2://" */
		if (strncmp(url, schemes[i].scheme, n) || (after != sep && *after != '+'))
			continue;
		return parse_net(schemes[i].connector, sep + 3, cfg, eb);
	}
	return dp_fail(eb, DP_ERR_UNSUPPORTED,
		       "URL scheme \"%.*s\" is not available in this build (available: sqlite, "
		       "postgresql, mysql, mariadb)", (int)(sep - url) > 40 ? 40 : (int)(sep - url), url);
}
