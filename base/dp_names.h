/* base/dp_names.h - finding an object by name the way doppel does
 * everywhere: the exact name first, else a case-insensitive match when it is
 * the only one (engines fold unquoted names differently; two names that
 * differ only in case are never guessed between). */
#ifndef DP_NAMES_H
#define DP_NAMES_H

#include <stddef.h>

/* Index of the element of base[0..n) (elements `stride` bytes apart, each
 * holding a `const char *` name at byte offset `off`) named `name`, or -1. */
long dp_name_index(const void *base, size_t n, size_t stride, size_t off, const char *name);

#define DP_NAME_INDEX(arr, n, type, field, name) \
	dp_name_index((arr), (n), sizeof(type), offsetof(type, field), (name))

#endif
