/* settings/api/body.c - request bodies: one strict JSON object.
 *
 * cJSON parses bytes, not text: it takes invalid UTF-8, NUL-truncated
 * input, trailing garbage and duplicate member names (of which later
 * lookups see only the first). Each of those is refused here, before any
 * handler sees the document, naming where it is. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "api.h"

/* Nesting cJSON accepts (CJSON_NESTING_LIMIT is 1000); bodies of this API
 * are three levels deep at most, so deeper ones are refused early. */
#define BODY_MAX_DEPTH 64

/* offset of the first invalid UTF-8 sequence, or len */
static size_t utf8_bad(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned cp;
		if (c < 0x80) { i++; continue; }
		if (c >= 0xc2 && c <= 0xdf) { n = 1; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { n = 2; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { n = 3; cp = c & 0x07; }
		else return i;
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		/* overlong, surrogates, beyond U+10FFFF */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

static void set_err(api_body_err *e, api_ec ec, const char *field, const char *fmt, ...)
	DP_PRINTF(4, 5);
static void set_err(api_body_err *e, api_ec ec, const char *field, const char *fmt, ...)
{
	va_list ap;

	e->ec = ec;
	snprintf(e->field, sizeof(e->field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
	va_end(ap);
}

static int by_name(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* the first member name given twice (sorted copy: O(n log n), a body of
 * many members must not cost n^2), or NULL; *nomem on allocation failure */
static const cJSON *duplicate(const cJSON *obj, int *nomem)
{
	size_t n = 0, i = 0;
	const cJSON *a, **v, *dup = NULL;

	for (a = obj->child; a; a = a->next)
		n++;
	if (n < 2)
		return NULL;
	if (!(v = malloc(n * sizeof(*v)))) {
		*nomem = 1;
		return NULL;
	}
	for (a = obj->child; a; a = a->next)
		v[i++] = a;
	qsort(v, n, sizeof(*v), by_name);
	for (i = 1; i < n && !dup; i++)
		if (!strcmp(v[i - 1]->string, v[i]->string))
			dup = v[i];
	free(v);
	return dup;
}

/* no member name twice in any object; depth bounded */
static int strict(const cJSON *v, const char *path, int depth, api_body_err *e)
{
	const cJSON *a;
	char p[256];
	int i = 0, nomem = 0;

	if (depth > BODY_MAX_DEPTH) {
		set_err(e, API_EC_VALIDATION, path, "nested deeper than %d levels", BODY_MAX_DEPTH);
		return -1;
	}
	if (cJSON_IsObject(v) && (a = duplicate(v, &nomem)) != NULL) {
		snprintf(p, sizeof(p), "%s%s%.120s", path, *path ? "." : "", a->string);
		set_err(e, API_EC_VALIDATION, p, "member given twice");
		return -1;
	}
	if (nomem) {
		set_err(e, API_EC_INTERNAL, path, "out of memory");
		return -1;
	}
	for (a = v ? v->child : NULL; a; a = a->next, i++) {
		if (!cJSON_IsObject(a) && !cJSON_IsArray(a))
			continue;
		if (cJSON_IsObject(v))
			snprintf(p, sizeof(p), "%s%s%.120s", path, *path ? "." : "", a->string);
		else
			snprintf(p, sizeof(p), "%.200s[%d]", path, i);
		if (strict(a, p, depth + 1, e))
			return -1;
	}
	return 0;
}

int api_body_parse(const char *data, size_t len, cJSON **out, api_body_err *e)
{
	const char *end = NULL;
	cJSON *root;
	size_t bad;

	*out = NULL;
	memset(e, 0, sizeof(*e));
	if (len == 0) {
		set_err(e, API_EC_INVALID_JSON, "", "empty body: expected a JSON object");
		return -1;
	}
	if (memchr(data, '\0', len)) {
		set_err(e, API_EC_INVALID_JSON, "", "NUL byte at offset %zu",
			(size_t)((const char *)memchr(data, '\0', len) - data));
		return -1;
	}
	if ((bad = utf8_bad((const unsigned char *)data, len)) < len) {
		set_err(e, API_EC_INVALID_UTF8, "", "invalid UTF-8 at byte offset %zu", bad);
		return -1;
	}
	root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
	if (!root) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= data && at <= data + len ? (size_t)(at - data) : 0;
		set_err(e, API_EC_INVALID_JSON, "", "malformed JSON near byte offset %zu", off);
		return -1;
	}
	for (const char *q = end ? end : data + len; q < data + len; q++)
		if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r') {
			cJSON_Delete(root);
			set_err(e, API_EC_INVALID_JSON, "", "trailing data at byte offset %zu",
				(size_t)(q - data));
			return -1;
		}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		set_err(e, API_EC_VALIDATION, "", "expected a JSON object");
		return -1;
	}
	if (strict(root, "", 0, e)) {
		cJSON_Delete(root);
		return -1;
	}
	*out = root;
	return 0;
}
