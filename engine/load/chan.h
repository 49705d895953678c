/* engine/load/chan.h - a bounded channel of batch pointers between pipeline
 * stages. Its capacity is the backpressure: a fast reader blocks once
 * default_max_pending_tasks batches wait for the transform/write stage. */
#ifndef DP_CHAN_H
#define DP_CHAN_H

#include <pthread.h>
#include <stddef.h>
#include "../../base/dp_value.h"

typedef struct dp_chan {
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	dp_batch **items;
	size_t cap, head, count;
	int closed;
} dp_chan;

int dp_chan_init(dp_chan *c, size_t cap) DP_MUSTCHECK;
void dp_chan_destroy(dp_chan *c);
/* Blocks while full. Returns 0, or -1 when the channel is closed (the item
 * is not taken). */
int dp_chan_push(dp_chan *c, dp_batch *b);
/* Blocks while empty. Sets *out (NULL is a legal item: end of stream).
 * Returns 0, or -1 when closed and empty. */
int dp_chan_pop(dp_chan *c, dp_batch **out);
/* Wake everyone; pushes fail from now on, pops drain what is left. */
void dp_chan_close(dp_chan *c);

#endif
