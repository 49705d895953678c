/* engine/plan/graph.c - FK graph, strongly connected components, load order.
 *
 * Tarjan's algorithm finds the cycles; Kahn's algorithm orders the tables,
 * always taking the ready table with the lowest schema index so that the
 * order is deterministic (same schema => same plan text).
 */
#include <stdlib.h>
#include <string.h>
#include "graph.h"
#include "../../base/dp_log.h"

typedef struct tarjan {
	const dp_graph *g;
	size_t *index, *low, *stack;
	unsigned char *on_stack;
	size_t next_index, sp, ncomp;
	size_t *comp;          /* component id per table (1-based) */
	size_t *comp_size;
	size_t **adj;          /* adjacency: parents per table */
	size_t *nadj;
} tarjan;

#define UNVISITED ((size_t)-1)

/* Recursion depth is bounded by the number of tables in one FK chain; a
 * schema with tens of thousands of chained tables would need the iterative
 * form, which no schema we have met needs. */
static void strongconnect(tarjan *t, size_t v)
{
	t->index[v] = t->low[v] = t->next_index++;
	t->stack[t->sp++] = v;
	t->on_stack[v] = 1;
	for (size_t k = 0; k < t->nadj[v]; k++) {
		size_t w = t->adj[v][k];
		if (t->index[w] == UNVISITED) {
			strongconnect(t, w);
			if (t->low[w] < t->low[v])
				t->low[v] = t->low[w];
		} else if (t->on_stack[w] && t->index[w] < t->low[v]) {
			t->low[v] = t->index[w];
		}
	}
	if (t->low[v] == t->index[v]) {
		size_t w, id = ++t->ncomp, n = 0;
		do {
			w = t->stack[--t->sp];
			t->on_stack[w] = 0;
			t->comp[w] = id;
			n++;
		} while (w != v);
		t->comp_size[id] = n;
	}
}

static int fk_nullable(const dp_table *t, const dp_fk *fk)
{
	for (size_t i = 0; i < fk->ncols; i++) {
		long c = dp_table_col_index(t, fk->cols[i]);
		if (c < 0 || t->cols[c].notnull)
			return 0;
	}
	return 1;
}

/* Kahn's algorithm over edges where use[e]; writes g->order. Returns the
 * number of tables ordered (< count of included when a cycle remains). */
static size_t kahn(dp_graph *g, const unsigned char *inc, const unsigned char *use)
{
	size_t n = g->ntables, done = 0;
	size_t *indeg = calloc(n ? n : 1, sizeof(size_t));
	unsigned char *placed = calloc(n ? n : 1, 1);

	if (!indeg || !placed)
		goto out;
	for (size_t e = 0; e < g->nedges; e++)
		if (use[e] && g->edges[e].child != g->edges[e].parent)
			indeg[g->edges[e].child]++;
	for (;;) {
		size_t pick = UNVISITED;
		for (size_t i = 0; i < n; i++)
			if (inc[i] && !placed[i] && indeg[i] == 0) {
				pick = i;
				break;
			}
		if (pick == UNVISITED)
			break;
		placed[pick] = 1;
		g->order[done++] = pick;
		for (size_t e = 0; e < g->nedges; e++)
			if (use[e] && g->edges[e].parent == pick && g->edges[e].child != pick)
				indeg[g->edges[e].child]--;
	}
out:
	free(indeg);
	free(placed);
	return done;
}

int dp_graph_build(const dp_schema *s, const unsigned char *included, int immediate,
		   dp_graph **out, dp_errbuf *eb)
{
	dp_graph *g = calloc(1, sizeof(*g));
	tarjan t;
	unsigned char *inc = NULL, *use = NULL;
	size_t n = s->ntables, ninc = 0, cap = 0, *pos = NULL;
	int rc = DP_OK;

	memset(&t, 0, sizeof(t));
	if (!g)
		return dp_fail(eb, DP_ERR_NOMEM, "out of memory building the schema graph");
	g->ntables = n;
	g->immediate = immediate;
	inc = calloc(n + 1, 1);
	g->order = calloc(n + 1, sizeof(size_t));
	g->cycle_of = calloc(n + 1, sizeof(size_t));
	pos = calloc(n + 1, sizeof(size_t));
	if (!inc || !g->order || !g->cycle_of || !pos) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory building the schema graph");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!included || included[i]) {
			inc[i] = 1;
			ninc++;
		}

	/* edges */
	for (size_t i = 0; i < n; i++) {
		const dp_table *ct = &s->tables[i];
		if (!inc[i])
			continue;
		for (size_t f = 0; f < ct->nfks; f++) {
			const dp_fk *fk = &ct->fks[f];
			dp_table *pt = dp_schema_table(s, fk->ref_table);
			size_t p;
			if (!pt) {
				dp_log_warn("table %s: foreign key to missing table %s ignored",
					    ct->name, fk->ref_table);
				continue;
			}
			p = (size_t)(pt - s->tables);
			if (!inc[p])
				continue;
			if (g->nedges == cap) {
				size_t nc = cap ? cap * 2 : 16;
				dp_edge *ne = realloc(g->edges, nc * sizeof(*ne));
				if (!ne) {
					rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
					goto out;
				}
				g->edges = ne;
				cap = nc;
			}
			g->edges[g->nedges++] = (dp_edge){.child = i, .parent = p, .fk = fk,
				.nullable = fk_nullable(ct, fk)};
		}
	}

	/* strongly connected components */
	t.g = g;
	t.index = malloc((n + 1) * sizeof(size_t));
	t.low = calloc(n + 1, sizeof(size_t));
	t.stack = calloc(n + 1, sizeof(size_t));
	t.on_stack = calloc(n + 1, 1);
	t.comp = calloc(n + 1, sizeof(size_t));
	t.comp_size = calloc(n + 2, sizeof(size_t));
	t.adj = calloc(n + 1, sizeof(size_t *));
	t.nadj = calloc(n + 1, sizeof(size_t));
	if (!t.index || !t.low || !t.stack || !t.on_stack || !t.comp || !t.comp_size ||
	    !t.adj || !t.nadj) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t e = 0; e < g->nedges; e++)
		t.nadj[g->edges[e].child]++;
	for (size_t i = 0; i < n; i++) {
		t.adj[i] = calloc(t.nadj[i] + 1, sizeof(size_t));
		if (!t.adj[i]) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		t.nadj[i] = 0;
		t.index[i] = UNVISITED;
	}
	for (size_t e = 0; e < g->nedges; e++)
		t.adj[g->edges[e].child][t.nadj[g->edges[e].child]++] = g->edges[e].parent;
	for (size_t i = 0; i < n; i++)
		if (inc[i] && t.index[i] == UNVISITED)
			strongconnect(&t, i);

	/* number the cycles: components of size > 1, or with a self-loop */
	{
		size_t *cyc_id = calloc(t.ncomp + 2, sizeof(size_t));
		if (!cyc_id) {
			rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
			goto out;
		}
		for (size_t e = 0; e < g->nedges; e++)
			if (g->edges[e].child == g->edges[e].parent)
				t.comp_size[t.comp[g->edges[e].child]] += n + 1; /* mark */
		/* assign cycle numbers in schema order for stable output */
		for (size_t i = 0; i < n; i++) {
			size_t c = t.comp[i];
			if (!inc[i] || t.comp_size[c] < 2)
				continue;
			if (!cyc_id[c])
				cyc_id[c] = ++g->ncycles;
			g->cycle_of[i] = cyc_id[c];
		}
		free(cyc_id);
	}
	for (size_t e = 0; e < g->nedges; e++) {
		dp_edge *ed = &g->edges[e];
		ed->in_cycle = g->cycle_of[ed->child] &&
			       g->cycle_of[ed->child] == g->cycle_of[ed->parent];
	}

	/* order: ignore nullable in-cycle edges first */
	use = calloc(g->nedges + 1, 1);
	if (!use) {
		rc = dp_fail(eb, DP_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (size_t e = 0; e < g->nedges; e++)
		use[e] = !(g->edges[e].in_cycle && g->edges[e].nullable);
	if (kahn(g, inc, use) < ninc) {
		if (immediate) {
			/* name the tables held by NOT NULL in-cycle edges */
			dp_buf b = DP_BUF_INIT;
			size_t shown = 0;
			for (size_t e = 0; e < g->nedges && shown < 12; e++) {
				const dp_edge *ed = &g->edges[e];
				if (!ed->in_cycle || ed->nullable)
					continue;
				if (dp_buf_printf(&b, "%s%s.%s -> %s", shown ? ", " : "",
						  s->tables[ed->child].name, ed->fk->cols[0],
						  s->tables[ed->parent].name))
					break;
				shown++;
			}
			rc = dp_fail(eb, DP_ERR_CYCLE,
				     "foreign-key cycle of NOT NULL columns cannot be loaded with "
				     "FKs enforced during the load: %s; make one of these columns "
				     "nullable, or set default_drop_indexes to true so FKs are "
				     "checked after the load", dp_buf_str(&b));
			dp_buf_free(&b);
			goto out;
		}
		for (size_t e = 0; e < g->nedges; e++)
			use[e] = !g->edges[e].in_cycle;
		if (kahn(g, inc, use) < ninc) {
			rc = dp_fail(eb, DP_ERR_INTERNAL, "schema graph: cannot order tables");
			goto out;
		}
	}
	/* a NOT NULL self-reference cannot be loaded with FKs enforced row by
	 * row: a row may point at one that comes later in the read order */
	for (size_t e = 0; immediate && e < g->nedges; e++) {
		const dp_edge *ed = &g->edges[e];
		if (ed->child == ed->parent && !ed->nullable) {
			rc = dp_fail(eb, DP_ERR_CYCLE,
				     "foreign-key cycle of NOT NULL columns cannot be loaded with FKs "
				     "enforced during the load: %s.%s -> %s (self-reference); make the "
				     "column nullable, or set default_drop_indexes to true so FKs are "
				     "checked after the load", s->tables[ed->child].name, ed->fk->cols[0],
				     s->tables[ed->parent].name);
			goto out;
		}
	}
	g->norder = ninc;
	for (size_t k = 0; k < g->norder; k++)
		pos[g->order[k]] = k;
	for (size_t e = 0; e < g->nedges; e++) {
		dp_edge *ed = &g->edges[e];
		ed->broken = immediate && ed->in_cycle && ed->nullable &&
			     pos[ed->parent] >= pos[ed->child];
	}
out:
	if (t.adj)
		for (size_t i = 0; i < n; i++)
			free(t.adj[i]);
	free(t.adj);
	free(t.nadj);
	free(t.index);
	free(t.low);
	free(t.stack);
	free(t.on_stack);
	free(t.comp);
	free(t.comp_size);
	free(inc);
	free(use);
	free(pos);
	if (rc) {
		dp_graph_free(g);
		g = NULL;
	}
	*out = g;
	return rc;
}

void dp_graph_free(dp_graph *g)
{
	if (!g)
		return;
	free(g->order);
	free(g->cycle_of);
	free(g->edges);
	free(g);
}

int dp_graph_describe_cycle(const dp_graph *g, const dp_schema *s, size_t c, dp_buf *out)
{
	int first = 1, rc = DP_OK;

	/* list the cycle's edges in load order of their child table */
	for (size_t k = 0; k < g->norder && !rc; k++) {
		size_t i = g->order[k];
		if (g->cycle_of[i] != c)
			continue;
		for (size_t e = 0; e < g->nedges && !rc; e++) {
			const dp_edge *ed = &g->edges[e];
			if (ed->child != i || !ed->in_cycle)
				continue;
			rc = dp_buf_printf(out, "%s%s(", first ? "" : ", ", s->tables[i].name);
			for (size_t j = 0; j < ed->fk->ncols && !rc; j++)
				rc = dp_buf_printf(out, "%s%s", j ? "," : "", ed->fk->cols[j]);
			if (!rc)
				rc = dp_buf_printf(out, ") -> %s", s->tables[ed->parent].name);
			first = 0;
		}
	}
	return rc;
}
