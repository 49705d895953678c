/* connectors/stage_list.c - see stage_list.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "stage_list.h"

int dp_stage_list_add(dp_stage_list *l, const char *name, int64_t rows, dp_stage_state st)
{
	struct dp_stage_entry *n = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	char *copy = dp_strdup(name);

	if (n)
		l->v = n;
	if (!n || !copy) {
		free(copy);
		return DP_ERR_NOMEM;
	}
	l->v[l->n].name = copy;
	l->v[l->n].rows = rows;
	l->v[l->n].state = st;
	l->n++;
	return DP_OK;
}

dp_stage_state dp_stage_list_state(const dp_stage_list *l, const char *name, int nocase,
				   int64_t *rows)
{
	for (size_t i = 0; i < l->n; i++)
		if (nocase ? !strcasecmp(l->v[i].name, name) : !strcmp(l->v[i].name, name)) {
			*rows = l->v[i].rows;
			return l->v[i].state;
		}
	return DP_STAGE_NEW;
}

void dp_stage_list_free(dp_stage_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
