/* engine/models/ngram.h - free-text model: word or character n-grams.
 *
 * Trained on one column's values (each cut to cutoff_length characters),
 * it generates new text by walking the (n-1)-token contexts it saw, from a
 * start marker to an end marker. Only the vocabulary_limit most frequent
 * tokens are kept; a rarer token becomes UNK in training and is generated
 * as a frequent token drawn by its unigram frequency, so rare words (names,
 * ids written in free text) are not reproduced.
 * Read-only after dp_ngram_finish: generation is thread-safe.
 */
#ifndef DP_NGRAM_H
#define DP_NGRAM_H

#include <stddef.h>
#include "../../base/dp_rng.h"

typedef struct dp_ngram dp_ngram;

/* word_level: 1 = words split on white space, 0 = Unicode characters. */
dp_ngram *dp_ngram_new(int word_level, int order, int vocab_limit, int cutoff);
void dp_ngram_free(dp_ngram *m);
/* Add one training value (UTF-8). DP_OK or DP_ERR_NOMEM. */
int dp_ngram_add(dp_ngram *m, const char *s, size_t len);
/* Build the model after the last add. DP_OK or DP_ERR_NOMEM. */
int dp_ngram_finish(dp_ngram *m);
/* Generate one value into out (NUL-terminated, at most max_chars
 * characters and outsz-1 bytes). Returns its byte length. */
size_t dp_ngram_generate(const dp_ngram *m, dp_rng *r, size_t max_chars, char *out, size_t outsz);
/* Distinct tokens kept. */
size_t dp_ngram_vocab(const dp_ngram *m);

#endif
