/* tests/unit/test_chan.c - bounded channel: FIFO, producers/consumers on
 * threads, backpressure (capacity), close semantics. Items are fake batch
 * pointers that are never dereferenced. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <cmocka.h>
#include "engine/load/chan.h"

#define ITEM(i) ((dp_batch *)(uintptr_t)(i))
#define VAL(b) ((size_t)(uintptr_t)(b))

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void test_fifo_single_thread(void **st)
{
	dp_chan c;
	dp_batch *b = ITEM(99);

	(void)st;
	assert_int_equal(dp_chan_init(&c, 3), 0);
	for (size_t round = 0; round < 5; round++) {   /* wraps the ring */
		for (size_t i = 1; i <= 3; i++)
			assert_int_equal(dp_chan_push(&c, ITEM(round * 10 + i)), 0);
		assert_int_equal(c.count, 3);
		for (size_t i = 1; i <= 3; i++) {
			assert_int_equal(dp_chan_pop(&c, &b), 0);
			assert_int_equal(VAL(b), round * 10 + i);
		}
	}
	/* NULL is a legal item */
	assert_int_equal(dp_chan_push(&c, NULL), 0);
	b = ITEM(5);
	assert_int_equal(dp_chan_pop(&c, &b), 0);
	assert_null(b);
	dp_chan_destroy(&c);

	/* capacity 0 behaves as 1 */
	assert_int_equal(dp_chan_init(&c, 0), 0);
	assert_int_equal(c.cap, 1);
	assert_int_equal(dp_chan_push(&c, ITEM(1)), 0);
	assert_int_equal(dp_chan_pop(&c, &b), 0);
	assert_int_equal(VAL(b), 1);
	dp_chan_destroy(&c);
}

static void test_close_semantics(void **st)
{
	dp_chan c;
	dp_batch *b = NULL;

	(void)st;
	assert_int_equal(dp_chan_init(&c, 4), 0);
	assert_int_equal(dp_chan_push(&c, ITEM(1)), 0);
	assert_int_equal(dp_chan_push(&c, ITEM(2)), 0);
	dp_chan_close(&c);
	/* pushes fail after close; the item is not taken */
	assert_int_equal(dp_chan_push(&c, ITEM(3)), -1);
	assert_int_equal(c.count, 2);
	/* pops drain what is left, then fail */
	assert_int_equal(dp_chan_pop(&c, &b), 0);
	assert_int_equal(VAL(b), 1);
	assert_int_equal(dp_chan_pop(&c, &b), 0);
	assert_int_equal(VAL(b), 2);
	b = ITEM(77);
	assert_int_equal(dp_chan_pop(&c, &b), -1);
	assert_int_equal(dp_chan_pop(&c, &b), -1);
	assert_int_equal(VAL(b), 77);
	dp_chan_close(&c);   /* twice is harmless */
	dp_chan_destroy(&c);
}

/* ---- threaded helpers ---- */

typedef struct worker {
	dp_chan *c;
	size_t from, n;       /* producer: push from..from+n-1 */
	int rc;
	volatile int done;
	size_t got;           /* consumer: items popped */
	size_t *seen;         /* consumer: count per value (shared, under mu) */
	pthread_mutex_t *mu;
	size_t max_count;     /* consumer: largest c->count observed */
} worker;

static void *producer(void *arg)
{
	worker *w = arg;
	w->rc = 0;
	for (size_t i = 0; i < w->n; i++)
		if (dp_chan_push(w->c, ITEM(w->from + i)) != 0) {
			w->rc = -1;
			break;
		}
	__atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void *consumer(void *arg)
{
	worker *w = arg;
	dp_batch *b;

	for (;;) {
		pthread_mutex_lock(&w->c->mu);
		if (w->c->count > w->max_count)
			w->max_count = w->c->count;
		pthread_mutex_unlock(&w->c->mu);
		if (dp_chan_pop(w->c, &b) != 0)
			break;
		pthread_mutex_lock(w->mu);
		w->seen[VAL(b)]++;
		pthread_mutex_unlock(w->mu);
		w->got++;
	}
	__atomic_store_n(&w->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void test_threads_many_to_many(void **st)
{
	enum { NP = 4, NC = 3, PER = 20000, CAP = 8 };
	dp_chan c;
	pthread_t pt[NP], ct[NC];
	worker pw[NP], cw[NC];
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	size_t *seen = calloc(NP * PER + 1, sizeof(size_t)), total = 0;

	(void)st;
	assert_non_null(seen);
	assert_int_equal(dp_chan_init(&c, CAP), 0);
	for (int i = 0; i < NC; i++) {
		memset(&cw[i], 0, sizeof(cw[i]));
		cw[i].c = &c;
		cw[i].seen = seen;
		cw[i].mu = &mu;
		assert_int_equal(pthread_create(&ct[i], NULL, consumer, &cw[i]), 0);
	}
	for (int i = 0; i < NP; i++) {
		memset(&pw[i], 0, sizeof(pw[i]));
		pw[i].c = &c;
		pw[i].from = 1 + (size_t)i * PER;
		pw[i].n = PER;
		assert_int_equal(pthread_create(&pt[i], NULL, producer, &pw[i]), 0);
	}
	for (int i = 0; i < NP; i++) {
		pthread_join(pt[i], NULL);
		assert_int_equal(pw[i].rc, 0);
	}
	dp_chan_close(&c);   /* consumers drain, then see -1 */
	for (int i = 0; i < NC; i++) {
		pthread_join(ct[i], NULL);
		total += cw[i].got;
		assert_true(cw[i].max_count <= CAP);
	}
	assert_int_equal(total, NP * PER);
	for (size_t v = 1; v <= NP * PER; v++)
		if (seen[v] != 1)
			fail_msg("item %zu seen %zu times", v, seen[v]);
	assert_int_equal(c.count, 0);
	dp_chan_destroy(&c);
	free(seen);
}

static void test_single_consumer_keeps_order(void **st)
{
	enum { N = 50000 };
	dp_chan c;
	pthread_t t;
	worker w;
	dp_batch *b;

	(void)st;
	assert_int_equal(dp_chan_init(&c, 2), 0);
	memset(&w, 0, sizeof(w));
	w.c = &c;
	w.from = 0;
	w.n = N;
	assert_int_equal(pthread_create(&t, NULL, producer, &w), 0);
	for (size_t i = 0; i < N; i++) {
		assert_int_equal(dp_chan_pop(&c, &b), 0);
		assert_int_equal(VAL(b), i);
	}
	pthread_join(t, NULL);
	assert_int_equal(w.rc, 0);
	dp_chan_destroy(&c);
}

static void test_capacity_backpressure(void **st)
{
	dp_chan c;
	pthread_t t;
	worker w;
	dp_batch *b;

	(void)st;
	assert_int_equal(dp_chan_init(&c, 3), 0);
	memset(&w, 0, sizeof(w));
	w.c = &c;
	w.from = 1;
	w.n = 5;
	assert_int_equal(pthread_create(&t, NULL, producer, &w), 0);
	/* the producer fills the channel and blocks on item 4 */
	for (int i = 0; i < 200; i++) {
		pthread_mutex_lock(&c.mu);
		size_t n = c.count;
		pthread_mutex_unlock(&c.mu);
		if (n == 3)
			break;
		sleep_ms(5);
	}
	sleep_ms(50);
	pthread_mutex_lock(&c.mu);
	assert_int_equal(c.count, 3);
	pthread_mutex_unlock(&c.mu);
	assert_int_equal(__atomic_load_n(&w.done, __ATOMIC_SEQ_CST), 0);
	/* one pop lets exactly one more in */
	assert_int_equal(dp_chan_pop(&c, &b), 0);
	assert_int_equal(VAL(b), 1);
	sleep_ms(50);
	pthread_mutex_lock(&c.mu);
	assert_int_equal(c.count, 3);
	pthread_mutex_unlock(&c.mu);
	assert_int_equal(__atomic_load_n(&w.done, __ATOMIC_SEQ_CST), 0);
	/* close wakes the blocked producer, whose push fails */
	dp_chan_close(&c);
	pthread_join(t, NULL);
	assert_int_equal(w.rc, -1);
	for (size_t i = 2; i <= 4; i++) {
		assert_int_equal(dp_chan_pop(&c, &b), 0);
		assert_int_equal(VAL(b), i);
	}
	assert_int_equal(dp_chan_pop(&c, &b), -1);
	dp_chan_destroy(&c);
}

static void test_close_wakes_blocked_pop(void **st)
{
	dp_chan c;
	pthread_t t;
	worker w;
	size_t seen[4] = { 0 };
	pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

	(void)st;
	assert_int_equal(dp_chan_init(&c, 2), 0);
	memset(&w, 0, sizeof(w));
	w.c = &c;
	w.seen = seen;
	w.mu = &mu;
	assert_int_equal(pthread_create(&t, NULL, consumer, &w), 0);
	sleep_ms(50);   /* consumer blocks on the empty channel */
	assert_int_equal(__atomic_load_n(&w.done, __ATOMIC_SEQ_CST), 0);
	dp_chan_close(&c);
	pthread_join(t, NULL);
	assert_int_equal(w.got, 0);
	dp_chan_destroy(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_single_thread),
		cmocka_unit_test(test_close_semantics),
		cmocka_unit_test(test_threads_many_to_many),
		cmocka_unit_test(test_single_consumer_keeps_order),
		cmocka_unit_test(test_capacity_backpressure),
		cmocka_unit_test(test_close_wakes_blocked_pop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
