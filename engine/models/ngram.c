/* engine/models/ngram.c - n-gram text model (see ngram.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ngram.h"
#include "../../base/dp_err.h"

#define TOK_BOS (-2)
#define TOK_EOS (-1)
#define TOK_UNK (-3)

typedef struct tok { char *s; size_t len; uint64_t h; int64_t count; int32_t kept; } tok;
typedef struct next { int32_t tok; uint32_t count; } next;
typedef struct ctxent { uint64_t h; next *nx; uint32_t nnx, cap; uint64_t total; } ctxent;

struct dp_ngram {
	int word_level, order, vocab_limit, cutoff;
	/* interned tokens */
	tok *toks;
	size_t ntoks, capt;
	int32_t *tslots;          /* open addressing over toks, -1 empty */
	size_t nslots;
	/* training sequences: token ids, TOK_EOS after each value */
	int32_t *seq;
	size_t nseq, capseq;
	/* after finish: kept vocabulary by frequency, contexts */
	int32_t *vocab;           /* kept token ids */
	uint64_t *vcum;           /* cumulative counts for UNK draws */
	size_t nvocab;
	ctxent *ctx;
	size_t nctx, cslots;
	int32_t *cidx;            /* open addressing over ctx, -1 empty */
};

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ull;
	}
	return h;
}

dp_ngram *dp_ngram_new(int word_level, int order, int vocab_limit, int cutoff)
{
	dp_ngram *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->word_level = word_level;
	m->order = order < 1 ? 1 : order > 10 ? 10 : order;
	m->vocab_limit = vocab_limit < 1 ? 1 : vocab_limit;
	m->cutoff = cutoff < 1 ? 1 : cutoff;
	return m;
}

void dp_ngram_free(dp_ngram *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ntoks; i++)
		free(m->toks[i].s);
	for (size_t i = 0; i < m->nctx; i++)
		free(m->ctx[i].nx);
	free(m->toks);
	free(m->tslots);
	free(m->seq);
	free(m->vocab);
	free(m->vcum);
	free(m->ctx);
	free(m->cidx);
	free(m);
}

static int grow_tslots(dp_ngram *m)
{
	size_t ns = m->nslots ? m->nslots * 2 : 1024;
	int32_t *sl = malloc(ns * sizeof(*sl));
	if (!sl)
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < ns; i++)
		sl[i] = -1;
	for (size_t t = 0; t < m->ntoks; t++) {
		size_t i = m->toks[t].h & (ns - 1);
		while (sl[i] >= 0)
			i = (i + 1) & (ns - 1);
		sl[i] = (int32_t)t;
	}
	free(m->tslots);
	m->tslots = sl;
	m->nslots = ns;
	return DP_OK;
}

static int32_t intern(dp_ngram *m, const char *s, size_t len)
{
	uint64_t h = fnv(s, len, 1469598103934665603ull);
	size_t i;

	if ((m->ntoks + 1) * 2 > m->nslots && grow_tslots(m))
		return -1;
	for (i = h & (m->nslots - 1); m->tslots[i] >= 0; i = (i + 1) & (m->nslots - 1)) {
		tok *t = &m->toks[m->tslots[i]];
		if (t->h == h && t->len == len && !memcmp(t->s, s, len)) {
			t->count++;
			return m->tslots[i];
		}
	}
	if (m->ntoks == m->capt) {
		size_t nc = m->capt ? m->capt * 2 : 256;
		tok *nt = realloc(m->toks, nc * sizeof(*nt));
		if (!nt)
			return -1;
		m->toks = nt;
		m->capt = nc;
	}
	tok *t = &m->toks[m->ntoks];
	t->s = malloc(len + 1);
	if (!t->s)
		return -1;
	memcpy(t->s, s, len);
	t->s[len] = 0;
	t->len = len;
	t->h = h;
	t->count = 1;
	t->kept = 0;
	m->tslots[i] = (int32_t)m->ntoks;
	return (int32_t)m->ntoks++;
}

static int push_seq(dp_ngram *m, int32_t id)
{
	if (m->nseq == m->capseq) {
		size_t nc = m->capseq ? m->capseq * 2 : 4096;
		int32_t *ns = realloc(m->seq, nc * sizeof(*ns));
		if (!ns)
			return DP_ERR_NOMEM;
		m->seq = ns;
		m->capseq = nc;
	}
	m->seq[m->nseq++] = id;
	return DP_OK;
}

/* byte length of the UTF-8 sequence starting with c (1 for invalid bytes) */
static size_t u8len(unsigned char c)
{
	return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

int dp_ngram_add(dp_ngram *m, const char *s, size_t len)
{
	size_t i = 0, chars = 0;

	while (i < len && chars < (size_t)m->cutoff) {
		size_t st, n;
		if (m->word_level) {
			while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
				i++, chars++;
			if (i >= len)
				break;
			st = i;
			while (i < len && !(s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
				i++;
			n = i - st;
			chars += n;
			if (chars > (size_t)m->cutoff)
				break;
		} else {
			st = i;
			n = u8len((unsigned char)s[i]);
			if (st + n > len)
				n = len - st;
			i += n;
			chars++;
		}
		int32_t id = intern(m, s + st, n);
		if (id < 0 || push_seq(m, id))
			return DP_ERR_NOMEM;
	}
	return push_seq(m, TOK_EOS);
}

static int cmp_count_desc(const void *a, const void *b, void *arg)
{
	const tok *t = arg;
	int64_t x = t[*(const int32_t *)a].count, y = t[*(const int32_t *)b].count;
	if (x != y)
		return x > y ? -1 : 1;
	return *(const int32_t *)a < *(const int32_t *)b ? -1 : 1;
}

static uint64_t ctx_hash(const int32_t *c, int n)
{
	return fnv(c, (size_t)n * sizeof(int32_t), 14695981039346656037ull) | 1;
}

static ctxent *ctx_get(dp_ngram *m, uint64_t h, int create)
{
	size_t i;
	if (create && (m->nctx + 1) * 2 > m->cslots) {
		size_t ns = m->cslots ? m->cslots * 2 : 1024;
		int32_t *ci = malloc(ns * sizeof(*ci));
		ctxent *nc = realloc(m->ctx, ns / 2 * sizeof(*nc));
		if (!ci || !nc) {
			free(ci);
			if (nc)
				m->ctx = nc;
			return NULL;
		}
		m->ctx = nc;
		for (size_t k = 0; k < ns; k++)
			ci[k] = -1;
		for (size_t k = 0; k < m->nctx; k++) {
			size_t j = m->ctx[k].h & (ns - 1);
			while (ci[j] >= 0)
				j = (j + 1) & (ns - 1);
			ci[j] = (int32_t)k;
		}
		free(m->cidx);
		m->cidx = ci;
		m->cslots = ns;
	}
	if (!m->cslots)
		return NULL;
	for (i = h & (m->cslots - 1); m->cidx[i] >= 0; i = (i + 1) & (m->cslots - 1))
		if (m->ctx[m->cidx[i]].h == h)
			return &m->ctx[m->cidx[i]];
	if (!create)
		return NULL;
	memset(&m->ctx[m->nctx], 0, sizeof(ctxent));
	m->ctx[m->nctx].h = h;
	m->cidx[i] = (int32_t)m->nctx;
	return &m->ctx[m->nctx++];
}

static int ctx_add(ctxent *e, int32_t t)
{
	for (uint32_t i = 0; i < e->nnx; i++)
		if (e->nx[i].tok == t) {
			e->nx[i].count++;
			e->total++;
			return DP_OK;
		}
	if (e->nnx == e->cap) {
		uint32_t nc = e->cap ? e->cap * 2 : 4;
		next *nn = realloc(e->nx, nc * sizeof(*nn));
		if (!nn)
			return DP_ERR_NOMEM;
		e->nx = nn;
		e->cap = nc;
	}
	e->nx[e->nnx++] = (next){t, 1};
	e->total++;
	return DP_OK;
}

int dp_ngram_finish(dp_ngram *m)
{
	int32_t *ids = malloc((m->ntoks + 1) * sizeof(*ids));
	int32_t hist[10];
	int k = m->order - 1;
	uint64_t cum = 0;

	if (!ids)
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < m->ntoks; i++)
		ids[i] = (int32_t)i;
	qsort_r(ids, m->ntoks, sizeof(*ids), cmp_count_desc, m->toks);
	m->nvocab = m->ntoks < (size_t)m->vocab_limit ? m->ntoks : (size_t)m->vocab_limit;
	m->vocab = ids;
	m->vcum = malloc((m->nvocab + 1) * sizeof(uint64_t));
	if (!m->vcum)
		return DP_ERR_NOMEM;
	for (size_t i = 0; i < m->nvocab; i++) {
		m->toks[ids[i]].kept = 1;
		cum += (uint64_t)m->toks[ids[i]].count;
		m->vcum[i] = cum;
	}
	for (int i = 0; i < k; i++)
		hist[i] = TOK_BOS;
	for (size_t i = 0; i < m->nseq; i++) {
		int32_t t = m->seq[i];
		if (t >= 0 && !m->toks[t].kept)
			t = TOK_UNK;
		ctxent *e = ctx_get(m, ctx_hash(hist, k), 1);
		if (!e || ctx_add(e, t))
			return DP_ERR_NOMEM;
		if (t == TOK_EOS) {
			for (int j = 0; j < k; j++)
				hist[j] = TOK_BOS;
		} else if (k > 0) {
			memmove(hist, hist + 1, (size_t)(k - 1) * sizeof(int32_t));
			hist[k - 1] = t;
		}
	}
	free(m->seq);
	m->seq = NULL;
	m->nseq = m->capseq = 0;
	return DP_OK;
}

size_t dp_ngram_vocab(const dp_ngram *m)
{
	return m->nvocab;
}

size_t dp_ngram_generate(const dp_ngram *m, dp_rng *r, size_t max_chars, char *out, size_t outsz)
{
	int32_t hist[10];
	int k = m->order - 1;
	size_t len = 0, chars = 0;

	if (outsz)
		out[0] = 0;
	if (!m->nctx || outsz < 2)
		return 0;
	for (int i = 0; i < k; i++)
		hist[i] = TOK_BOS;
	for (;;) {
		const ctxent *e = NULL;
		size_t i;
		/* contexts are only ever followed as seen; the lookup cannot
		 * fail except through a hash collision, which ends the text */
		uint64_t h = ctx_hash(hist, k);
		for (i = h & (m->cslots - 1); m->cidx[i] >= 0; i = (i + 1) & (m->cslots - 1))
			if (m->ctx[m->cidx[i]].h == h) {
				e = &m->ctx[m->cidx[i]];
				break;
			}
		if (!e || !e->total)
			break;
		uint64_t x = dp_rng_below(r, e->total), acc = 0;
		int32_t t = TOK_EOS;
		for (uint32_t q = 0; q < e->nnx; q++) {
			acc += e->nx[q].count;
			if (x < acc) {
				t = e->nx[q].tok;
				break;
			}
		}
		if (t == TOK_EOS)
			break;
		int32_t emit = t;
		if (t == TOK_UNK && m->nvocab) {
			uint64_t y = dp_rng_below(r, m->vcum[m->nvocab - 1]);
			size_t lo = 0, hi = m->nvocab - 1;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (m->vcum[mid] > y)
					hi = mid;
				else
					lo = mid + 1;
			}
			emit = m->vocab[lo];
		}
		if (emit >= 0) {
			const tok *tk = &m->toks[emit];
			size_t need = tk->len + (m->word_level && len ? 1 : 0);
			size_t nch = m->word_level ? tk->len + (len ? 1 : 0) : 1;
			if (len + need + 1 > outsz || chars + nch > max_chars)
				break;
			if (m->word_level && len)
				out[len++] = ' ';
			memcpy(out + len, tk->s, tk->len);
			len += tk->len;
			chars += nch;
		}
		if (k > 0) {
			memmove(hist, hist + 1, (size_t)(k - 1) * sizeof(int32_t));
			hist[k - 1] = t;
		}
	}
	out[len] = 0;
	return len;
}
