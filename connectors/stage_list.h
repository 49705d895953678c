/* connectors/stage_list.h - the tables a killed run left in a staging area
 * (what stage_state answers), one list shared by the drivers. */
#ifndef DP_STAGE_LIST_H
#define DP_STAGE_LIST_H

#include "connector.h"

typedef struct dp_stage_list {
	struct dp_stage_entry { char *name; int64_t rows; dp_stage_state state; } *v;
	size_t n;
} dp_stage_list;

/* Append (name copied). DP_OK or DP_ERR_NOMEM. */
int dp_stage_list_add(dp_stage_list *l, const char *name, int64_t rows, dp_stage_state st) DP_MUSTCHECK;
/* The state of `name` (case-insensitive when nocase), DP_STAGE_NEW when absent. */
dp_stage_state dp_stage_list_state(const dp_stage_list *l, const char *name, int nocase,
				   int64_t *rows);
void dp_stage_list_free(dp_stage_list *l);

#endif
