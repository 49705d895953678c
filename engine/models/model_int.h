/* engine/models/model_int.h - helpers shared by the model's files only. */
#ifndef DP_MODEL_INT_H
#define DP_MODEL_INT_H

#include "model.h"

/* A dictionary of values -> dense codes (categories). */
typedef struct dp_dict {
	dp_value *vals;      /* code -> value; TEXT/BLOB bytes malloc'd by the dict */
	uint64_t *hash;
	size_t n, cap;
	int32_t *slots;
	size_t nslots;
} dp_dict;

int dp_dict_init(dp_dict *d, size_t hint) DP_MUSTCHECK;
/* free_bytes: also free the values' bytes (else the caller took them). */
void dp_dict_free(dp_dict *d, int free_bytes);
/* Code of v, adding it (bytes copied) if new; -1 on out-of-memory. */
int32_t dp_dict_add(dp_dict *d, const dp_value *v);
int32_t dp_dict_find(const dp_dict *d, const dp_value *v);
uint64_t dp_vhash(const dp_value *v);

/* A number held by v (INT, REAL, or decimal TEXT): 1 and *out, *scale
 * (digits after the point; -1 for REAL). */
int dp_text_number(const dp_value *v, double *out, int *scale);

/* prepare.c: the steps of dp_tmodel_train before the trees */
int dp_prep_encode_col(dp_tmodel *m, const dp_train_in *in, size_t ci, dp_errbuf *eb) DP_MUSTCHECK;
int dp_prep_rare_categories(dp_tmodel *m, dp_mcol *mc, dp_errbuf *eb) DP_MUSTCHECK;
int dp_prep_clip_numeric(dp_tmodel *m, dp_mcol *mc, dp_errbuf *eb) DP_MUSTCHECK;
/* rank and qv of a numeric/datetime column (after clipping and noise) */
int dp_prep_ranks(dp_tmodel *m, dp_mcol *mc, dp_errbuf *eb) DP_MUSTCHECK;
void dp_prep_sample_noise(dp_tmodel *m, dp_rng *rng, size_t *nperturbed);
/* the feature of mc (its bins), stored in m->fbin[mc->feat] */
int dp_prep_make_bins(dp_tmodel *m, dp_mcol *mc, dp_errbuf *eb) DP_MUSTCHECK;
/* the bin of a number in mc's feature */
int dp_mcol_bin_num(const dp_mcol *mc, double x);

#endif
