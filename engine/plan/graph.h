/* engine/plan/graph.h - the schema graph: FK edges, cycles, load order.
 *
 * Tables are nodes, every FK (real or virtual) an edge child -> parent. The
 * load order puts parents before children. Cycles (strongly connected
 * components, self-references included) are handled one of two ways:
 *   - deferred: the target checks FKs only at the end of the load (or adds
 *     them post-data), so any order inside a cycle works;
 *   - immediate: FKs are enforced row by row, so inside each cycle every
 *     nullable FK is "broken": loaded NULL and filled by an UPDATE once the
 *     whole cycle is loaded. A cycle made only of NOT NULL FKs cannot be
 *     loaded that way and is an error naming its tables.
 */
#ifndef DP_GRAPH_H
#define DP_GRAPH_H

#include <stddef.h>
#include "../../base/dp_err.h"
#include "../../base/dp_buf.h"
#include "../../connectors/schema.h"

typedef struct dp_edge {
	size_t child, parent;   /* table indexes in the schema */
	const dp_fk *fk;        /* owned by the schema */
	int nullable;           /* every FK column is nullable */
	int in_cycle;           /* both ends in the same cycle (SCC or self-loop) */
	int broken;             /* immediate mode: loaded NULL, then UPDATEd */
} dp_edge;

typedef struct dp_graph {
	size_t ntables;
	size_t norder;
	size_t *order;          /* included tables, parents first */
	size_t *cycle_of;       /* per table: 0 = not in a cycle, else cycle number */
	size_t ncycles;
	size_t nedges;
	dp_edge *edges;         /* edges between included tables */
	int immediate;          /* built for immediate FK enforcement */
} dp_graph;

/* Build the graph over the tables with included[i] != 0 (NULL = all).
 * FKs whose parent table is missing from the schema (SQLite allows them)
 * are ignored with a warning naming them; FKs to a table that exists but is not
 * included are ignored here (the planner decides what that means).
 * Returns DP_ERR_CYCLE for a cycle of NOT NULL FKs (a NOT NULL self-reference
 * included) when immediate is set. */
int dp_graph_build(const dp_schema *s, const unsigned char *included, int immediate,
		   dp_graph **out, dp_errbuf *eb) DP_MUSTCHECK;
void dp_graph_free(dp_graph *g);

/* Describe cycle number c (1-based), appended to out:
 * "Employee(ReportsTo) -> Employee" or
 * "store(manager_staff_id) -> staff, staff(store_id) -> store". */
int dp_graph_describe_cycle(const dp_graph *g, const dp_schema *s, size_t c, dp_buf *out) DP_MUSTCHECK;

#endif
