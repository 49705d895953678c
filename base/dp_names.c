/* base/dp_names.c - see dp_names.h. */
#include <string.h>
#include <strings.h>
#include "dp_names.h"

long dp_name_index(const void *base, size_t n, size_t stride, size_t off, const char *name)
{
	const char *p = base;
	long ci = -1;
	int nci = 0;

	if (!base || !name)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *s = *(const char *const *)(p + i * stride + off);
		if (!s)
			continue;
		if (!strcmp(s, name))
			return (long)i;
		if (!strcasecmp(s, name)) {
			ci = (long)i;
			nci++;
		}
	}
	return nci == 1 ? ci : -1;
}
