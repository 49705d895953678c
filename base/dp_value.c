/* base/dp_value.c - row batches and their byte arena.
 *
 * The arena is a list of chunks so that pointers handed out stay valid while
 * the batch grows (a realloc'd single block would move them). Reset keeps
 * the first chunk for reuse and frees the rest, so a batch that once held a
 * huge value does not keep it forever.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dp_value.h"

/* Chunk size: big enough that typical rows fit many per chunk. */
#define ARENA_CHUNK ((size_t)64 << 10)

typedef struct chunk {
	struct chunk *next;
	size_t cap, used;
	char data[];
} chunk;

struct dp_batch {
	size_t ncols, nrows, cap;
	dp_value *vals;
	chunk *head;        /* current chunk (first in list) */
	size_t bytes;       /* bytes handed out since reset */
};

dp_batch *dp_batch_new(size_t ncols, size_t cap_rows)
{
	dp_batch *b;

	if (ncols == 0)
		ncols = 1;
	if (cap_rows == 0)
		cap_rows = 1;
	b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->ncols = ncols;
	b->cap = cap_rows;
	b->vals = calloc(ncols * cap_rows, sizeof(dp_value));
	if (!b->vals) {
		free(b);
		return NULL;
	}
	return b;
}

static void free_chunks(chunk *c)
{
	while (c) {
		chunk *n = c->next;
		free(c);
		c = n;
	}
}

void dp_batch_free(dp_batch *b)
{
	if (!b)
		return;
	free_chunks(b->head);
	free(b->vals);
	free(b);
}

void dp_batch_reset(dp_batch *b)
{
	chunk *c = b->head;

	b->nrows = 0;
	b->bytes = 0;
	if (!c)
		return;
	/* keep the oldest (last) ARENA_CHUNK-sized chunk, free the others */
	while (c->next) {
		chunk *n = c->next;
		free(c);
		c = n;
	}
	if (c->cap > ARENA_CHUNK) {
		free(c);
		c = NULL;
	} else {
		c->used = 0;
	}
	b->head = c;
}

size_t dp_batch_ncols(const dp_batch *b) { return b->ncols; }
size_t dp_batch_nrows(const dp_batch *b) { return b->nrows; }

void dp_batch_drop_last(dp_batch *b)
{
	if (b->nrows)
		b->nrows--;   /* its bytes stay in the arena until the next reset */
}
size_t dp_batch_cap(const dp_batch *b) { return b->cap; }
size_t dp_batch_bytes(const dp_batch *b) { return b->bytes + b->nrows * b->ncols * sizeof(dp_value); }

int dp_batch_full(const dp_batch *b)
{
	/* leave room for one maximal value so the next row cannot overflow */
	return b->nrows >= b->cap || b->bytes + DP_VALUE_MAX > DP_BATCH_ARENA_MAX;
}

dp_value *dp_batch_add_row(dp_batch *b)
{
	dp_value *row;

	if (b->nrows >= b->cap || b->bytes > DP_BATCH_ARENA_MAX - DP_VALUE_MAX)
		return NULL;
	row = b->vals + b->nrows * b->ncols;
	memset(row, 0, b->ncols * sizeof(*row));
	b->nrows++;
	return row;
}

dp_value *dp_batch_row(dp_batch *b, size_t r) { return b->vals + r * b->ncols; }
const dp_value *dp_batch_row_c(const dp_batch *b, size_t r) { return b->vals + r * b->ncols; }

static char *arena_alloc(dp_batch *b, size_t n)
{
	chunk *c = b->head;
	char *p;

	if (!c || c->cap - c->used < n) {
		size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		chunk *nc = malloc(sizeof(*nc) + cap);
		if (!nc)
			return NULL;
		nc->cap = cap;
		nc->used = 0;
		nc->next = c;
		b->head = c = nc;
	}
	p = c->data + c->used;
	c->used += n;
	b->bytes += n;
	return p;
}

void dp_value_set_null(dp_value *v) { memset(v, 0, sizeof(*v)); }
void dp_value_set_int(dp_value *v, int64_t i) { v->kind = DP_V_INT; v->len = 0; v->u.i = i; }
void dp_value_set_real(dp_value *v, double d) { v->kind = DP_V_REAL; v->len = 0; v->u.d = d; }

static int set_bytes(dp_batch *b, dp_value *v, dp_vkind k, const void *p, size_t len)
{
	char *dst;

	if (len > DP_VALUE_MAX)
		return DP_ERR_TYPE;
	dst = arena_alloc(b, len + 1);
	if (!dst)
		return DP_ERR_NOMEM;
	if (len)
		memcpy(dst, p, len);
	dst[len] = '\0';   /* convenience: TEXT is also a C string */
	v->kind = k;
	v->len = len;
	v->u.s = dst;
	return DP_OK;
}

int dp_batch_set_text(dp_batch *b, dp_value *v, const char *s, size_t len)
{
	return set_bytes(b, v, DP_V_TEXT, s, len);
}

int dp_batch_set_blob(dp_batch *b, dp_value *v, const void *p, size_t len)
{
	return set_bytes(b, v, DP_V_BLOB, p, len);
}

size_t dp_value_to_text(const dp_value *v, char *buf, size_t bufsz, int *is_null)
{
	size_t n = 0;
	static const char hex[] = "0123456789abcdef";

	if (is_null)
		*is_null = 0;
	if (!bufsz)
		return 0;
	switch (v->kind) {
	case DP_V_NULL:
		if (is_null)
			*is_null = 1;
		buf[0] = '\0';
		return 0;
	case DP_V_INT:
		n = (size_t)snprintf(buf, bufsz, "%" PRId64, v->u.i);
		break;
	case DP_V_REAL:
		/* the shortest form that reads back as the same double (0.1, not
		 * 0.10000000000000001: a numeric target keeps what it is given);
		 * non-finite values in the spelling PostgreSQL reads */
		if (isnan(v->u.d))
			n = (size_t)snprintf(buf, bufsz, "NaN");
		else if (isinf(v->u.d))
			n = (size_t)snprintf(buf, bufsz, "%sInfinity", v->u.d < 0 ? "-" : "");
		else
			for (int prec = 15; prec <= 17; prec++) {
				n = (size_t)snprintf(buf, bufsz, "%.*g", prec, v->u.d);
				if (prec == 17 || strtod(buf, NULL) == v->u.d)
					break;
			}
		break;
	case DP_V_TEXT:
		n = v->len < bufsz - 1 ? v->len : bufsz - 1;
		memcpy(buf, v->u.s, n);
		buf[n] = '\0';
		return n;
	case DP_V_BLOB:
		for (size_t i = 0; i < v->len && n + 2 < bufsz; i++) {
			buf[n++] = hex[(unsigned char)v->u.s[i] >> 4];
			buf[n++] = hex[(unsigned char)v->u.s[i] & 15];
		}
		buf[n] = '\0';
		return n;
	}
	return n < bufsz ? n : bufsz - 1;
}

int dp_value_equal(const dp_value *a, const dp_value *b)
{
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case DP_V_NULL: return 1;
	case DP_V_INT: return a->u.i == b->u.i;
	case DP_V_REAL: return a->u.d == b->u.d;
	default: return a->len == b->len && memcmp(a->u.s, b->u.s, a->len) == 0;
	}
}

/* An integer key from INT, integral REAL or decimal TEXT (engines differ
 * in how they hand keys over). */
int dp_value_to_i64(const dp_value *v, int64_t *out)
{
	char *end;

	if (v->kind == DP_V_INT) {
		*out = v->u.i;
		return 1;
	}
	if (v->kind == DP_V_TEXT && v->len > 0 && v->len < 24) {
		char tmp[24];
		memcpy(tmp, v->u.s, v->len);
		tmp[v->len] = '\0';
		errno = 0;
		*out = strtoll(tmp, &end, 10);
		return errno == 0 && *end == '\0';
	}
	if (v->kind == DP_V_REAL && v->u.d == (double)(int64_t)v->u.d) {
		*out = (int64_t)v->u.d;
		return 1;
	}
	return 0;
}
