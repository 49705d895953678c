/* engine/load/chan.c - bounded channel (mutex + two condition variables). */
#include <stdlib.h>
#include "chan.h"

int dp_chan_init(dp_chan *c, size_t cap)
{
	c->items = calloc(cap ? cap : 1, sizeof(dp_batch *));
	if (!c->items)
		return DP_ERR_NOMEM;
	c->cap = cap ? cap : 1;
	c->head = c->count = 0;
	c->closed = 0;
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->not_empty, NULL);
	pthread_cond_init(&c->not_full, NULL);
	return DP_OK;
}

void dp_chan_destroy(dp_chan *c)
{
	pthread_mutex_destroy(&c->mu);
	pthread_cond_destroy(&c->not_empty);
	pthread_cond_destroy(&c->not_full);
	free(c->items);
	c->items = NULL;
}

int dp_chan_push(dp_chan *c, dp_batch *b)
{
	pthread_mutex_lock(&c->mu);
	while (c->count == c->cap && !c->closed)
		pthread_cond_wait(&c->not_full, &c->mu);
	if (c->closed) {
		pthread_mutex_unlock(&c->mu);
		return -1;
	}
	c->items[(c->head + c->count) % c->cap] = b;
	c->count++;
	pthread_cond_signal(&c->not_empty);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

int dp_chan_pop(dp_chan *c, dp_batch **out)
{
	pthread_mutex_lock(&c->mu);
	while (c->count == 0 && !c->closed)
		pthread_cond_wait(&c->not_empty, &c->mu);
	if (c->count == 0) {
		pthread_mutex_unlock(&c->mu);
		return -1;
	}
	*out = c->items[c->head];
	c->head = (c->head + 1) % c->cap;
	c->count--;
	pthread_cond_signal(&c->not_full);
	pthread_mutex_unlock(&c->mu);
	return 0;
}

void dp_chan_close(dp_chan *c)
{
	pthread_mutex_lock(&c->mu);
	c->closed = 1;
	pthread_cond_broadcast(&c->not_empty);
	pthread_cond_broadcast(&c->not_full);
	pthread_mutex_unlock(&c->mu);
}
