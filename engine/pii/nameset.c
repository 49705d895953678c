/* engine/pii/nameset.c - name words as a lower-case hash set (see
 * nameset.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "nameset.h"

uint64_t dp_nameset_hash(const char *w, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)tolower((unsigned char)w[i])) * 1099511628211ull;
	return h >> 2 ? h >> 2 : 1;
}

void dp_nameset_init(dp_nameset *s, size_t expected)
{
	s->slots = 1024;
	while (s->slots < expected * 2)
		s->slots *= 2;
	s->set = calloc(s->slots, sizeof(uint64_t));
	if (!s->set)
		s->slots = 0;
}

void dp_nameset_add(dp_nameset *s, const char *w, unsigned bit)
{
	uint64_t h;
	size_t i;

	if (!s->slots)
		return;
	h = dp_nameset_hash(w, strlen(w));
	i = h & (s->slots - 1);
	while (s->set[i] && s->set[i] >> 2 != h)
		i = (i + 1) & (s->slots - 1);
	s->set[i] = h << 2 | (s->set[i] & 3) | bit;
}

unsigned dp_nameset_bits(const dp_nameset *s, const char *w, size_t n)
{
	uint64_t h;

	if (!s->slots || n == 0 || n > 40)
		return 0;
	h = dp_nameset_hash(w, n);
	for (size_t i = h & (s->slots - 1); s->set[i]; i = (i + 1) & (s->slots - 1))
		if (s->set[i] >> 2 == h)
			return (unsigned)(s->set[i] & 3);
	return 0;
}
