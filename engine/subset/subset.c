/* engine/subset/subset.c - the subset closure (see subset.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "subset.h"
#include "../run/run.h"
#include "../../base/dp_buf.h"
#include "../../base/dp_log.h"
#include "../../base/dp_rng.h"

/* ---- encoded tuples: per field 'N' (NULL) or 'V' + u32 length + text ---- */

static int enc_value(dp_buf *b, const dp_value *v)
{
	char tmp[64];
	const char *p;
	size_t n;
	unsigned char len[4];

	if (v->kind == DP_V_NULL)
		return dp_buf_append(b, "N", 1);
	/* text form, so INT 5 and TEXT '5' (engines differ) compare equal */
	if (v->kind == DP_V_TEXT || v->kind == DP_V_BLOB) {
		p = v->u.s;
		n = v->len;
	} else {
		n = dp_value_to_text(v, tmp, sizeof(tmp), NULL);
		p = tmp;
	}
	len[0] = (unsigned char)n;
	len[1] = (unsigned char)(n >> 8);
	len[2] = (unsigned char)(n >> 16);
	len[3] = (unsigned char)(n >> 24);
	if (dp_buf_append(b, "V", 1) || dp_buf_append(b, len, 4))
		return DP_ERR_NOMEM;
	return dp_buf_append(b, p, n);
}

/* Field i of an encoded tuple: pointer and encoded length (incl. header). */
static const char *field_at(const char *t, size_t i, size_t *flen)
{
	for (;;) {
		size_t l = 1;
		if (*t == 'V')
			l = 5 + ((size_t)(unsigned char)t[1] | (size_t)(unsigned char)t[2] << 8 |
				 (size_t)(unsigned char)t[3] << 16 | (size_t)(unsigned char)t[4] << 24);
		if (!i--) {
			*flen = l;
			return t;
		}
		t += l;
	}
}

/* ---- tuple -> row-list map ----
 * Open addressing over rows; a slot holds the first row with its key and
 * the key's hash, rows with equal keys are chained by next[]. Keys are not
 * copied: a slot's key is recomputed from its first row (the row's whole
 * tuple, or the sub-tuple at `pos`), which keeps the maps at ~20 bytes per
 * row. */

struct stab;
typedef struct smap {
	size_t cap;              /* slots, power of two */
	long *head;              /* first row of the slot's key, -1: empty */
	uint32_t *hash;
	long *next;              /* per row: next row with the same key, -1 */
	const struct stab *st;
	const size_t *pos;       /* sub-tuple field positions, NULL: whole tuple */
	size_t npos;
} smap;


/* ---- tables and edges ---- */

/* How a filtered table's rows are decided. Most tables' key tuples are read
 * before the load and closed over (materialised); two kinds need no stored
 * row at all and are decided row by row while the load reads them:
 *   KEY_LOCAL  a SUBSET table chosen by percent that references no filtered
 *              table and whose filtered children are all REF_LOCAL: a row
 *              is kept iff the keyed hash of its key says so (the same hash
 *              its children compute from their FK values);
 *   REF_LOCAL  a non-SUBSET filtered table no filtered table references: a
 *              row is kept iff each of its references to a filtered table is
 *              NULL or points at a kept row.
 * A percent subset of a big table with dependants (the common shape) then
 * holds no key in memory and reads the table once. */
enum { ST_MATERIALISED = 0, ST_KEY_LOCAL, ST_REF_LOCAL };

typedef struct stab {
	int filtered, is_subset;
	int stream;              /* ST_*: how rows are decided */
	double percent;          /* KEY_LOCAL: the target share */
	const dp_plan_table *pt;
	size_t nkc;
	size_t *kc;              /* key columns (indexes in t->cols) */
	size_t nrows;
	size_t *roff;            /* row r's tuple is rows[roff[r] .. roff[r + 1]) */
	dp_buf rows;
	unsigned char *sel;
	unsigned char *allowed;  /* include_when: rows that may come in as children */
	int64_t nsel;
	smap full;               /* full tuple -> rows */
} stab;

typedef struct sedge {
	size_t child, parent;    /* plan table indexes */
	size_t ncols;
	size_t cpos[64], ppos[64];/* field positions in the child / parent tuples */
	smap cidx, pidx;         /* child fk tuple -> rows, parent ref tuple -> rows */
	int self;
	int soft;                /* null_if_unselected: no closure, NULL at load */
	size_t ccol[64];         /* child FK columns (indexes in the child's cols) */
	const dp_fk *fk;         /* owned by the schema */
} sedge;

struct dp_subset {
	dp_hmac h;               /* the job key: percent hashes */
	size_t ntables;
	stab *tabs;
	size_t nedges;
	sedge *edges;
	long *queue;             /* worklist of (table, row) pairs */
	size_t qcap, qlen;
};

static long kc_pos(const stab *st, size_t col)
{
	for (size_t i = 0; i < st->nkc; i++)
		if (st->kc[i] == col)
			return (long)i;
	return -1;
}

static int add_kc(stab *st, size_t col)
{
	size_t *n;
	if (kc_pos(st, col) >= 0)
		return DP_OK;
	n = realloc(st->kc, (st->nkc + 1) * sizeof(size_t));
	if (!n)
		return DP_ERR_NOMEM;
	st->kc = n;
	st->kc[st->nkc++] = col;
	return DP_OK;
}

/* sub-tuple of row r of table st made of the fields at positions pos[] */
static int sub_tuple(const stab *st, size_t r, const size_t *pos, size_t n, dp_buf *out,
		     int *has_null)
{
	const char *t = st->rows.data + st->roff[r];
	dp_buf_reset(out);
	*has_null = 0;
	for (size_t i = 0; i < n; i++) {
		size_t fl;
		const char *f = field_at(t, pos[i], &fl);
		if (*f == 'N')
			*has_null = 1;
		if (dp_buf_append(out, f, fl))
			return DP_ERR_NOMEM;
	}
	return DP_OK;
}

static int smap_init(smap *m, size_t nrows, const stab *st, const size_t *pos, size_t npos)
{
	size_t cap = 16;
	while (cap < nrows * 2 + 16)
		cap <<= 1;
	memset(m, 0, sizeof(*m));
	m->cap = cap;
	m->st = st;
	m->pos = pos;
	m->npos = npos;
	m->head = malloc(cap * sizeof(long));
	m->hash = malloc(cap * sizeof(uint32_t));
	m->next = malloc((nrows + 1) * sizeof(long));
	if (!m->head || !m->hash || !m->next)
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < cap; i++)
		m->head[i] = -1;
	for (size_t i = 0; i <= nrows; i++)
		m->next[i] = -1;
	return DP_OK;
}

static void smap_free(smap *m)
{
	free(m->head);
	free(m->hash);
	free(m->next);
}

/* The map's key of row r: a pointer into the rows arena, or a sub-tuple
 * built in scratch. *null is set when a field is NULL. */
static int smap_key(const smap *m, size_t r, dp_buf *scratch, const char **k, size_t *n,
		    int *null)
{
	const stab *st = m->st;
	if (!m->pos) {
		*k = st->rows.data + st->roff[r];
		*n = st->roff[r + 1] - st->roff[r];
		*null = 0;
		return DP_OK;
	}
	if (sub_tuple(st, r, m->pos, m->npos, scratch, null))
		return DP_ERR_NOMEM;
	*k = scratch->data ? scratch->data : "";
	*n = scratch->len;
	return DP_OK;
}

/* Slot of key k: its own slot, or the empty one where it would go. */
static int smap_slot(const smap *m, const char *k, size_t n, dp_buf *scratch, size_t *slot)
{
	uint32_t h = dp_fnv1a32(k, n);
	size_t i = h & (m->cap - 1);

	for (;; i = (i + 1) & (m->cap - 1)) {
		const char *sk;
		size_t sn;
		int null;
		if (m->head[i] < 0)
			break;
		if (m->hash[i] != h)
			continue;
		if (smap_key(m, (size_t)m->head[i], scratch, &sk, &sn, &null))
			return DP_ERR_NOMEM;
		if (sn == n && !memcmp(sk, k, n))
			break;
	}
	*slot = i;
	return DP_OK;
}

/* Index row r (rows whose key has a NULL are not indexed). */
static int smap_add(smap *m, size_t r, dp_buf *key, dp_buf *scratch)
{
	const char *k;
	size_t n, i;
	int null;

	if (smap_key(m, r, key, &k, &n, &null))
		return DP_ERR_NOMEM;
	if (null)
		return DP_OK;
	if (smap_slot(m, k, n, scratch, &i))
		return DP_ERR_NOMEM;
	if (m->head[i] < 0)
		m->hash[i] = dp_fnv1a32(k, n);
	m->next[r] = m->head[i];
	m->head[i] = (long)r;
	return DP_OK;
}

/* First row with key k, or -1 (also -1 on out of memory: callers treat a
 * lookup they cannot do as "not selected", never as selected). */
static long smap_get(const smap *m, const char *k, size_t n, dp_buf *scratch)
{
	size_t i;
	if (!m->cap || smap_slot(m, k, n, scratch, &i))
		return -1;
	return m->head[i];
}

void dp_subset_free(dp_subset *s)
{
	if (!s)
		return;
	for (size_t k = 0; k < s->ntables; k++) {
		stab *st = &s->tabs[k];
		free(st->kc);
		free(st->roff);
		dp_buf_free(&st->rows);
		free(st->sel);
		free(st->allowed);
		smap_free(&st->full);
	}
	for (size_t e = 0; e < s->nedges; e++) {
		smap_free(&s->edges[e].cidx);
		smap_free(&s->edges[e].pidx);
	}
	free(s->tabs);
	free(s->edges);
	free(s->queue);
	free(s);
}

/* Selection levels: REQUIRED rows are there because a selected row
 * references them (they pull their own parents, nothing else); FULL rows are
 * targets and their descendants (they also pull their children). Keeping
 * the two apart stops "a customer of a selected invoice" from dragging in
 * all that customer's other invoices. */
enum { SEL_NONE = 0, SEL_REQUIRED = 1, SEL_FULL = 2 };

static int select_row(dp_subset *s, size_t k, size_t r, unsigned char level)
{
	stab *st = &s->tabs[k];
	if (st->sel[r] >= level)
		return DP_OK;
	if (!st->sel[r])
		st->nsel++;
	st->sel[r] = level;
	if (s->qlen + 2 > s->qcap) {
		size_t nc = s->qcap ? s->qcap * 2 : 1024;
		long *q = realloc(s->queue, nc * sizeof(long));
		if (!q)
			return DP_ERR_NOMEM;
		s->queue = q;
		s->qcap = nc;
	}
	s->queue[s->qlen++] = (long)k;
	s->queue[s->qlen++] = (long)r;
	return DP_OK;
}

/* A one-table view reading only the key columns, in key order. */
static int read_keys(const dp_stage *sg, stab *st, const dp_read_spec *base, dp_errbuf *eb,
		     int (*row_cb)(stab *, const dp_value *, void *), void *arg)
{
	const dp_table *t = st->pt->t;
	dp_table view = *t;
	dp_column *cols = calloc(st->nkc, sizeof(dp_column));
	size_t *pk = calloc(t->npk ? t->npk : 1, sizeof(size_t));
	dp_read_spec spec = *base;
	dp_reader *r = NULL;
	dp_batch *b = dp_batch_new(st->nkc, 4096);
	int eof = 0, rc = DP_OK;

	if (!cols || !pk || !b) {
		free(cols);
		free(pk);
		dp_batch_free(b);
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	for (size_t i = 0; i < st->nkc; i++)
		cols[i] = t->cols[st->kc[i]];
	for (size_t i = 0; i < t->npk; i++)
		pk[i] = (size_t)kc_pos(st, t->pk[i]);
	view.ncols = st->nkc;
	view.cols = cols;
	view.pk = pk;
	view.nfks = 0;
	view.nidx = 0;
	spec.table = &view;
	(void)dp_source_lock(sg->src);
	rc = sg->src_drv->read_open(dp_source_leader(sg->src), &spec, &r, eb);
	while (!rc && !eof) {
		dp_batch_reset(b);
		rc = sg->src_drv->read_next(r, b, &eof, eb);
		for (size_t i = 0; !rc && i < dp_batch_nrows(b); i++)
			rc = row_cb(st, dp_batch_row_c(b, i), arg);
	}
	if (r)
		sg->src_drv->read_close(r);
	dp_source_unlock(sg->src);
	dp_batch_free(b);
	free(cols);
	free(pk);
	return rc;
}

static int store_row(stab *st, const dp_value *v, void *arg)
{
	size_t *ro;
	(void)arg;
	for (size_t i = 0; i < st->nkc; i++)
		if (enc_value(&st->rows, &v[i]))
			return DP_ERR_NOMEM;
	ro = realloc(st->roff, (st->nrows + 2) * sizeof(size_t));
	if (!ro)
		return DP_ERR_NOMEM;
	st->roff = ro;
	if (!st->nrows)
		st->roff[0] = 0;
	st->nrows++;
	st->roff[st->nrows] = st->rows.len;
	return DP_OK;
}

typedef struct target_ctx {
	dp_subset *s;
	size_t k;
	dp_buf tmp;
	int allow_only;          /* include_when: mark allowed, do not select */
} target_ctx;

/* a row the target rule returned: select the stored row with that tuple */
static int mark_target(stab *st, const dp_value *v, void *arg)
{
	target_ctx *tc = arg;
	long r;
	dp_buf_reset(&tc->tmp);
	for (size_t i = 0; i < st->nkc; i++)
		if (enc_value(&tc->tmp, &v[i]))
			return DP_ERR_NOMEM;
	for (r = smap_get(&st->full, tc->tmp.data, tc->tmp.len, NULL); r >= 0; r = st->full.next[r]) {
		if (tc->allow_only)
			st->allowed[r] = 1;
		else if (select_row(tc->s, tc->k, (size_t)r, SEL_FULL))
			return DP_ERR_NOMEM;
	}
	return DP_OK;
}

/* Are all references of row r (non-SUBSET filtered table k) to filtered
 * tables selected or NULL? */
static int refs_selected(dp_subset *s, size_t k, size_t r, dp_buf *tmp, int *ok)
{
	*ok = 1;
	for (size_t e = 0; e < s->nedges && *ok; e++) {
		sedge *ed = &s->edges[e];
		int null;
		long pr;
		if (ed->child != k || ed->self || ed->soft)
			continue;
		if (sub_tuple(&s->tabs[k], r, ed->cpos, ed->ncols, tmp, &null))
			return DP_ERR_NOMEM;
		if (null)
			continue;
		*ok = 0;
		{
			dp_buf sc = DP_BUF_INIT;
			for (pr = smap_get(&ed->pidx, tmp->data, tmp->len, &sc); pr >= 0; pr = ed->pidx.next[pr])
				if (s->tabs[ed->parent].sel[pr])
					*ok = 1;
			dp_buf_free(&sc);
		}
	}
	return DP_OK;
}

/* Does edge ed reference exactly its parent's primary key, in key order? A
 * KEY_LOCAL parent's children decide by hashing their FK tuple, which must
 * then be the parent's key tuple. */
static int refs_parent_pk(const dp_subset *s, const sedge *ed)
{
	const dp_table *pt = s->tabs[ed->parent].pt->t;

	if (ed->ncols != pt->npk)
		return 0;
	for (size_t i = 0; i < ed->ncols; i++)
		if (dp_table_col_index(pt, ed->fk->ref_cols[i]) != (long)pt->pk[i])
			return 0;
	return 1;
}

/* Which filtered tables are decided row by row during the load (see the
 * ST_* comment): REF_LOCAL first, then the KEY_LOCAL tables whose children
 * all are. */
static void mark_streamed(dp_subset *s)
{
	for (size_t k = 0; k < s->ntables; k++) {
		stab *st = &s->tabs[k];
		/* no key needed: the decision reads only the row's references */
		int ok = st->filtered && !st->is_subset, pulls = 0;
		for (size_t e = 0; e < s->nedges && ok; e++) {
			ok = s->edges[e].parent != k;     /* no filtered child, no self edge */
			pulls += s->edges[e].child == k && !s->edges[e].soft;
		}
		/* with two filtered parents the closure keeps a row that descends
		 * from a target through one and pulls the other parent in: only
		 * the closure can decide that */
		if (ok && pulls <= 1)
			st->stream = ST_REF_LOCAL;
	}
	for (size_t k = 0; k < s->ntables; k++) {
		stab *st = &s->tabs[k];
		const dp_subset_cfg *sc = st->pt->sub;
		int ok = st->filtered && st->is_subset && sc && sc->percent >= 0 && !sc->include_when &&
			 st->pt->t->npk > 0;
		for (size_t e = 0; e < s->nedges && ok; e++) {
			const sedge *ed = &s->edges[e];
			if (ed->child == k && !ed->soft)
				ok = 0;             /* it pulls filtered parents (or itself) */
			else if (ed->parent == k)
				ok = refs_parent_pk(s, ed) &&
				     (ed->soft || s->tabs[ed->child].stream == ST_REF_LOCAL);
		}
		if (ok) {
			st->stream = ST_KEY_LOCAL;
			st->percent = sc->percent;
		}
	}
}

static int build(const dp_stage *sg, dp_subset *s, dp_errbuf *eb)
{
	const dp_plan *p = sg->plan;
	int rc = DP_OK;

	s->ntables = p->ntables;
	s->tabs = calloc(p->ntables + 1, sizeof(stab));
	s->edges = calloc(1, sizeof(sedge));
	if (!s->tabs || !s->edges)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	for (size_t k = 0; k < p->ntables; k++) {
		s->tabs[k].pt = &p->tables[k];
		s->tabs[k].filtered = p->tables[k].filtered;
		s->tabs[k].is_subset = p->tables[k].mode == DP_MODE_SUBSET;
	}
	/* edges between filtered tables, and the key columns they need */
	for (size_t k = 0; k < p->ntables && !rc; k++) {
		const dp_table *t = p->tables[k].t;
		if (!s->tabs[k].filtered)
			continue;
		for (size_t i = 0; i < t->npk && !rc; i++)
			rc = add_kc(&s->tabs[k], t->pk[i]);
		for (size_t f = 0; f < t->nfks && !rc; f++) {
			const dp_fk *fk = &t->fks[f];
			size_t pk_i = p->ntables;
			sedge *ne;
			for (size_t m = 0; m < p->ntables; m++)
				if (!strcmp(p->tables[m].t->name, fk->ref_table))
					pk_i = m;
			if (pk_i == p->ntables || !s->tabs[pk_i].filtered)
				continue;
			if (fk->ncols > 64)
				return dp_fail(eb, DP_ERR_UNSUPPORTED, "%s: foreign key of more than 64 columns",
					       t->name);
			ne = realloc(s->edges, (s->nedges + 1) * sizeof(sedge));
			if (!ne)
				return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			s->edges = ne;
			memset(&ne[s->nedges], 0, sizeof(sedge));
			ne[s->nedges].child = k;
			ne[s->nedges].parent = pk_i;
			ne[s->nedges].ncols = fk->ncols;
			ne[s->nedges].self = pk_i == k;
			ne[s->nedges].fk = fk;
			ne[s->nedges].soft = 1;
			for (size_t c = 0; c < fk->ncols && !rc; c++) {
				long ci = dp_table_col_index(t, fk->cols[c]);
				long pi = dp_table_col_index(p->tables[pk_i].t, fk->ref_cols[c]);
				if (ci < 0 || pi < 0)
					return dp_fail(eb, DP_ERR_SCHEMA, "%s: foreign key to %s names a "
						       "missing column", t->name, fk->ref_table);
				ne[s->nedges].ccol[c] = (size_t)ci;
				if (!p->tables[k].cols[ci].null_unsel)
					ne[s->nedges].soft = 0;
				rc = add_kc(&s->tabs[k], (size_t)ci);
				if (!rc)
					rc = add_kc(&s->tabs[pk_i], (size_t)pi);
			}
			s->nedges++;
		}
	}
	if (rc)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	mark_streamed(s);
	/* the key columns of every materialised filtered table, once */
	for (size_t k = 0; k < p->ntables && !rc; k++) {
		stab *st = &s->tabs[k];
		dp_read_spec spec;
		if (!st->filtered || st->stream != ST_MATERIALISED)
			continue;
		if (!st->nkc) {
			/* no key and no link: keep-all cannot be told apart; the table
			 * is filtered only through references, so it has some */
			continue;
		}
		memset(&spec, 0, sizeof(spec));
		spec.limit = -1;
		/* key sets may be big: not limited by dp_buf's default guard */
		st->rows.max = (size_t)1 << 40;
		rc = read_keys(sg, st, &spec, eb, store_row, NULL);
		if (rc)
			return eb->code ? rc : dp_fail(eb, rc, "out of memory reading keys of %s",
						       st->pt->t->name);
		st->sel = calloc(st->nrows + 1, 1);
		if (!st->sel || smap_init(&st->full, st->nrows, st, NULL, 0))
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		for (size_t r = 0; r < st->nrows && !rc; r++)
			rc = smap_add(&st->full, r, NULL, NULL);
		if (rc)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	/* edge indexes: child fk tuple and parent ref tuple */
	for (size_t e = 0; e < s->nedges && !rc; e++) {
		sedge *ed = &s->edges[e];
		stab *c = &s->tabs[ed->child], *pa = &s->tabs[ed->parent];
		const dp_table *ct = c->pt->t, *ptab = pa->pt->t;
		const dp_fk *fk = ed->fk;
		dp_buf tmp = DP_BUF_INIT;
		for (size_t i = 0; i < ed->ncols; i++) {
			ed->cpos[i] = (size_t)kc_pos(c, (size_t)dp_table_col_index(ct, fk->cols[i]));
			ed->ppos[i] = (size_t)kc_pos(pa, (size_t)dp_table_col_index(ptab, fk->ref_cols[i]));
		}
		if (smap_init(&ed->cidx, c->nrows, c, ed->cpos, ed->ncols) ||
		    smap_init(&ed->pidx, pa->nrows, pa, ed->ppos, ed->ncols))
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		{
			dp_buf sc = DP_BUF_INIT;
			/* added in reverse so each chain lists children in key order
			 * (max_per_parent keeps the first ones) */
			for (size_t r = c->nrows; r-- > 0 && !rc; )
				rc = smap_add(&ed->cidx, r, &tmp, &sc);
			for (size_t r = 0; r < pa->nrows && !rc; r++)
				rc = smap_add(&ed->pidx, r, &tmp, &sc);
			dp_buf_free(&sc);
		}
		dp_buf_free(&tmp);
		if (rc)
			return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	}
	return DP_OK;
}

/* percent: a keyed hash of the primary key decides, so the same seed picks
 * the same rows on any engine and in any read order. `key` is the encoded
 * key tuple (or, from a child, the encoded FK tuple that references it). */
static int percent_keeps(const dp_subset *s, const char *table, const char *key, size_t n,
			 double percent, dp_buf *tmp)
{
	unsigned char d[32];
	char msg[512];
	uint64_t x = 0;
	int w = snprintf(msg, sizeof(msg), "subset|%s|", table);

	/* called for every row of a streamed table: the message is built on
	 * the stack; only an unusually long key takes the heap */
	if (w > 0 && (size_t)w + n <= sizeof(msg)) {
		memcpy(msg + w, key ? key : "", n);
		dp_hmac_compute(&s->h, msg, (size_t)w + n, d);
	} else {
		dp_buf_reset(tmp);
		if (dp_buf_printf(tmp, "subset|%s|", table) || dp_buf_append(tmp, key ? key : "", n))
			return 0;
		dp_hmac_compute(&s->h, tmp->data, tmp->len, d);
	}
	for (int i = 0; i < 8; i++)
		x = (x << 8) | d[i];
	return (double)(x % 1000000) < percent * 10000.0;
}

/* Is the parent row an edge's child tuple `key` references kept? */
static int parent_kept(const dp_subset *s, const sedge *ed, const char *key, size_t n, dp_buf *tmp)
{
	const stab *pa = &s->tabs[ed->parent];
	dp_buf sc = DP_BUF_INIT;
	int kept = 0;

	if (pa->stream == ST_KEY_LOCAL)
		return percent_keeps(s, pa->pt->t->name, key, n, pa->percent, tmp);
	for (long x = smap_get(&ed->pidx, key ? key : "", n, &sc); x >= 0 && !kept; x = ed->pidx.next[x])
		kept = pa->sel[x] != 0;
	dp_buf_free(&sc);
	return kept;
}

static int seed_percent(const dp_stage *sg, dp_subset *s, size_t k, double percent)
{
	stab *st = &s->tabs[k];
	const dp_table *t = st->pt->t;
	size_t pos[64];
	dp_buf tmp = DP_BUF_INIT, key = DP_BUF_INIT;
	int rc = DP_OK;

	(void)sg;
	for (size_t i = 0; i < t->npk && i < 64; i++)
		pos[i] = (size_t)kc_pos(st, t->pk[i]);
	for (size_t r = 0; r < st->nrows && !rc; r++) {
		int null;
		rc = sub_tuple(st, r, pos, t->npk, &key, &null);
		if (!rc && percent_keeps(s, t->name, key.data, key.len, percent, &tmp))
			rc = select_row(s, k, r, SEL_FULL);
	}
	dp_buf_free(&tmp);
	dp_buf_free(&key);
	return rc;
}

static int close_selection(dp_subset *s, dp_errbuf *eb)
{
	dp_buf tmp = DP_BUF_INIT, t2 = DP_BUF_INIT, sc = DP_BUF_INIT;
	int rc = DP_OK;

	while (s->qlen && !rc) {
		size_t r = (size_t)s->queue[--s->qlen];
		size_t k = (size_t)s->queue[--s->qlen];
		int full = s->tabs[k].sel[r] == SEL_FULL;
		for (size_t e = 0; e < s->nedges && !rc; e++) {
			sedge *ed = &s->edges[e];
			int null;
			long x;
			if (ed->soft)
				continue;    /* null_if_unselected: never pulls rows */
			if (ed->child == k) {
				/* upward: every row this row references is required */
				rc = sub_tuple(&s->tabs[k], r, ed->cpos, ed->ncols, &tmp, &null);
				for (x = rc || null ? -1 : smap_get(&ed->pidx, tmp.data, tmp.len, &sc);
				     x >= 0 && !rc; x = ed->pidx.next[x])
					rc = select_row(s, ed->parent, (size_t)x, SEL_REQUIRED);
			}
			if (rc || ed->parent != k || ed->self)
				continue;
			/* downward: rows referencing this row */
			rc = sub_tuple(&s->tabs[k], r, ed->ppos, ed->ncols, &tmp, &null);
			if (rc || null)
				continue;
			int64_t taken = 0;
			for (x = smap_get(&ed->cidx, tmp.data, tmp.len, &sc); x >= 0 && !rc;
			     x = ed->cidx.next[x]) {
				stab *c = &s->tabs[ed->child];
				const dp_subset_cfg *pc = s->tabs[k].pt->sub, *cc = c->pt->sub;
				if (c->sel[x] == SEL_FULL)
					continue;
				if (full && (!c->is_subset || !(pc && pc->include_children == DP_CHILDREN_NONE)) &&
				    (!c->is_subset || ((!c->allowed || c->allowed[x]) &&
						       !(cc && cc->max_per_parent >= 0 && taken >= cc->max_per_parent)))) {
					/* a descendant of a target row */
					taken++;
					rc = select_row(s, ed->child, (size_t)x, SEL_FULL);
				} else if (!c->is_subset && !c->sel[x]) {
					/* other rows of non-SUBSET tables, once all they reference is in */
					int ok;
					rc = refs_selected(s, ed->child, (size_t)x, &t2, &ok);
					if (!rc && ok)
						rc = select_row(s, ed->child, (size_t)x, SEL_REQUIRED);
				}
			}
		}
	}
	dp_buf_free(&tmp);
	dp_buf_free(&t2);
	dp_buf_free(&sc);
	return rc ? dp_fail(eb, DP_ERR_NOMEM, "out of memory computing the subset") : DP_OK;
}

/* Run a rule's query over the key columns of table k and mark the rows it
 * returns (selected as targets, or allowed as children). Errors name the
 * engine-file field the query came from. */
static int rule_rows(const dp_stage *sg, dp_subset *s, size_t k, const dp_read_spec *spec, int allow_only,
		     const char *field, dp_errbuf *eb)
{
	stab *st = &s->tabs[k];
	target_ctx tc;
	int rc;

	memset(&tc, 0, sizeof(tc));
	tc.s = s;
	tc.k = k;
	tc.allow_only = allow_only;
	rc = read_keys(sg, st, spec, eb, mark_target, &tc);
	dp_buf_free(&tc.tmp);
	if (rc) {
		char msg[DP_ERRMSG_MAX];
		snprintf(msg, sizeof(msg), "%s", eb->msg);
		dp_errbuf_clear(eb);
		rc = dp_fail(eb, rc == DP_ERR_NOMEM ? rc : DP_ERR_CONFIG, "tables.%s.subset.%s: %s",
			     st->pt->t->name, field, msg[0] ? msg : "out of memory");
	}
	return rc;
}

int dp_subset_compute(const struct dp_plan *plan, struct dp_source *src, dp_subset **out, dp_errbuf *eb)
{
	dp_stage stage = dp_stage_of(plan, src, NULL, NULL, NULL);
	const dp_stage *sg = &stage;
	const dp_plan *p = sg->plan;
	dp_subset *s;
	int any = 0, rc;

	*out = NULL;
	for (size_t k = 0; k < p->ntables; k++)
		any |= p->tables[k].filtered;
	if (!any)
		return DP_OK;
	s = calloc(1, sizeof(*s));
	if (!s)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory");
	dp_hmac_init(&s->h, p->jkey.k, sizeof(p->jkey.k));
	rc = build(sg, s, eb);
	/* include_when: the rows each table may take as children */
	for (size_t k = 0; k < p->ntables && !rc; k++) {
		stab *st = &s->tabs[k];
		const dp_subset_cfg *sc = st->pt->sub;
		dp_read_spec spec;
		if (!st->filtered || !st->nkc || !sc || !sc->include_when || st->stream != ST_MATERIALISED)
			continue;
		st->allowed = calloc(st->nrows + 1, 1);
		if (!st->allowed) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			break;
		}
		memset(&spec, 0, sizeof(spec));
		spec.where = sc->include_when;
		spec.limit = -1;
		rc = rule_rows(sg, s, k, &spec, 1, "include_when", eb);
	}
	/* seeds: target rules, and rows of other filtered tables that reference
	 * no filtered row at all */
	for (size_t k = 0; k < p->ntables && !rc; k++) {
		stab *st = &s->tabs[k];
		const dp_subset_cfg *sc = st->pt->sub;
		if (!st->filtered || !st->nkc || st->stream != ST_MATERIALISED)
			continue;
		if (st->is_subset && sc && sc->percent >= 0) {
			rc = seed_percent(sg, s, k, sc->percent);
			if (rc)
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		} else if (st->is_subset && sc && (sc->where || sc->limit >= 0)) {
			dp_read_spec spec;
			const char *ob[1];
			memset(&spec, 0, sizeof(spec));
			spec.where = sc->where;
			spec.limit = sc->limit;
			if (sc->order_by) {
				ob[0] = sc->order_by;
				spec.order_by = ob;
				spec.n_order_by = 1;
			}
			rc = rule_rows(sg, s, k, &spec, 0, sc->where ? "where" : "order_by", eb);
		} else if (!st->is_subset) {
			dp_buf tmp = DP_BUF_INIT;
			for (size_t r = 0; r < st->nrows && !rc; r++) {
				int ok = 1, null;
				for (size_t e = 0; e < s->nedges && ok && !rc; e++) {
					sedge *ed = &s->edges[e];
					if (ed->child != k || ed->self || ed->soft)
						continue;
					rc = sub_tuple(st, r, ed->cpos, ed->ncols, &tmp, &null);
					ok = null;
				}
				if (!rc && ok)
					rc = select_row(s, k, r, SEL_REQUIRED);
			}
			dp_buf_free(&tmp);
			if (rc)
				rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		}
	}
	for (size_t k = 0; !rc && k < p->ntables; k++)
		if (s->tabs[k].filtered)
			dp_log_debug("subset: %s seeds %" PRId64 " rows", p->tables[k].t->name,
				     s->tabs[k].nsel);
	if (!rc)
		rc = close_selection(s, eb);
	if (rc) {
		dp_subset_free(s);
		return rc;
	}
	for (size_t k = 0; k < p->ntables; k++) {
		if (!s->tabs[k].filtered)
			continue;
		if (s->tabs[k].stream == ST_KEY_LOCAL)
			dp_log_info("subset: %s keeps %g%% of its rows, decided by the keyed hash of each "
				    "key while it is loaded (no key set in memory)", p->tables[k].t->name,
				    s->tabs[k].percent);
		else if (s->tabs[k].stream == ST_REF_LOCAL)
			dp_log_info("subset: %s keeps the rows whose references are kept, decided while "
				    "it is loaded (no key set in memory)", p->tables[k].t->name);
		else
			dp_log_info("subset: %s keeps %" PRId64 " of %zu rows", p->tables[k].t->name,
				    s->tabs[k].nsel, s->tabs[k].nrows);
	}
	*out = s;
	return DP_OK;
}

/* A streamed table's row: kept? (see ST_*) */
static int streamed_keeps(const dp_subset *s, const stab *st, size_t k, const dp_value *row, dp_buf *b)
{
	dp_buf tmp = DP_BUF_INIT;
	int kept = 1;

	if (st->stream == ST_KEY_LOCAL) {
		const dp_table *t = st->pt->t;
		dp_buf_reset(b);
		for (size_t i = 0; i < t->npk; i++)
			if (enc_value(b, &row[t->pk[i]]))
				kept = 0;
		if (kept)
			kept = percent_keeps(s, t->name, b->data, b->len, st->percent, &tmp);
		dp_buf_free(&tmp);
		return kept;
	}
	for (size_t e = 0; e < s->nedges && kept; e++) {
		const sedge *ed = &s->edges[e];
		int null = 0;
		if (ed->child != k || ed->soft)
			continue;
		dp_buf_reset(b);
		for (size_t i = 0; i < ed->ncols; i++) {
			null |= row[ed->ccol[i]].kind == DP_V_NULL;
			if (enc_value(b, &row[ed->ccol[i]]))
				kept = 0;
		}
		if (kept && !null)
			kept = parent_kept(s, ed, b->data, b->len, &tmp);
	}
	dp_buf_free(&tmp);
	return kept;
}

long dp_subset_row_at(const dp_subset *s, size_t k, const dp_value *row, uint64_t ordinal,
		      dp_buf *b)
{
	const stab *st;
	long r, found = -1;

	if (!s || k >= s->ntables || !s->tabs[k].filtered)
		return -1;
	st = &s->tabs[k];
	if (st->stream != ST_MATERIALISED)
		return streamed_keeps(s, st, k, row, b) ? (long)ordinal : -1;
	if (!st->nkc)
		return -1;
	dp_buf_reset(b);
	for (size_t i = 0; i < st->nkc; i++)
		if (enc_value(b, &row[st->kc[i]]))
			return -1;
	for (r = smap_get(&st->full, b->data ? b->data : "", b->len, NULL); r >= 0 && found < 0;
	     r = st->full.next[r])
		if (st->sel[r])
			found = r;
	return found;
}

long dp_subset_row(const dp_subset *s, size_t k, const dp_value *row, dp_buf *b)
{
	return dp_subset_row_at(s, k, row, 0, b);
}

int dp_subset_streamed(const dp_subset *s, size_t k)
{
	return s && k < s->ntables && s->tabs[k].filtered && s->tabs[k].stream != ST_MATERIALISED;
}

int64_t dp_subset_estimate(const dp_subset *s, size_t k, int64_t rows)
{
	if (!s || k >= s->ntables || !s->tabs[k].filtered)
		return -1;
	if (s->tabs[k].stream == ST_KEY_LOCAL)
		return rows > 0 ? (int64_t)((double)rows * s->tabs[k].percent / 100.0 + 0.5) : rows;
	if (s->tabs[k].stream == ST_REF_LOCAL)
		return rows;
	return s->tabs[k].nsel;
}

int dp_subset_each_key(const dp_subset *s, size_t k,
		       int (*cb)(const char *val, size_t len, void *arg), void *arg)
{
	const stab *st;
	const dp_table *t;
	long pos;

	if (!s || k >= s->ntables || !s->tabs[k].filtered)
		return DP_ERR_INTERNAL;
	st = &s->tabs[k];
	t = st->pt->t;
	if (t->npk != 1 || (pos = kc_pos(st, t->pk[0])) < 0)
		return DP_ERR_INTERNAL;
	for (size_t r = 0; r < st->nrows; r++) {
		size_t fl;
		const char *f;
		int rc;
		if (!st->sel[r])
			continue;
		f = field_at(st->rows.data + st->roff[r], (size_t)pos, &fl);
		if (*f != 'V')
			continue;
		rc = cb(f + 5, fl - 5, arg);
		if (rc)
			return rc;
	}
	return DP_OK;
}

void dp_subset_null_unselected(const dp_subset *s, size_t k, const dp_value *in, dp_value *out)
{
	if (!s || k >= s->ntables || !s->tabs[k].filtered)
		return;
	for (size_t e = 0; e < s->nedges; e++) {
		const sedge *ed = &s->edges[e];
		dp_buf key = DP_BUF_INIT, sc = DP_BUF_INIT;
		int null = 0, kept = 0;
		if (ed->child != k || !ed->soft)
			continue;
		for (size_t i = 0; i < ed->ncols; i++) {
			null |= in[ed->ccol[i]].kind == DP_V_NULL;
			if (enc_value(&key, &in[ed->ccol[i]]))
				key.len = 0;  /* no memory: the lookup fails, the value is NULLed */
		}
		if (null) {
			/* a NULL reference needs no parent */
			dp_buf_free(&key);
			continue;
		}
		kept = parent_kept(s, ed, key.data, key.len, &sc);
		if (!kept)
			for (size_t i = 0; i < ed->ncols; i++)
				dp_value_set_null(&out[ed->ccol[i]]);
		dp_buf_free(&key);
		dp_buf_free(&sc);
	}
}

int64_t dp_subset_count(const dp_subset *s, size_t k)
{
	if (!s || k >= s->ntables || !s->tabs[k].filtered || s->tabs[k].stream != ST_MATERIALISED)
		return -1;
	return s->tabs[k].nsel;
}
