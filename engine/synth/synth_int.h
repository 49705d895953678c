/* engine/synth/synth_int.h - the SYNTHESIZE stage's private state, shared by
 * synth.c (the stage), synth_sample.c (training samples and models),
 * synth_gen.c (generation and writing) and synth_report.c (`doppel
 * report`). See synth.c for how the stage works. */
#ifndef DP_SYNTH_INT_H
#define DP_SYNTH_INT_H

#include <stdint.h>
#include "synth.h"
#include "../load/load.h"
#include "../models/model.h"
#include "../models/report.h"

typedef struct syn_tab syn_tab;
struct syn_tab {
	size_t k;                      /* plan / job index */
	dp_table_run *jt;
	const dp_plan_table *pt;
	const dp_table *t;
	const dp_settings *st;
	syn_tab *parent;               /* sequence parent, NULL for a root */
	int copied;                    /* a copied table (DUPLICATE, DE_IDENTIFY,
	                                  SUBSET) rows are generated for: modelled
	                                  for its features only, never written */
	dp_table_run own_jt;              /* copied: counters that are not the table's */
	syn_tab *kids[32];
	size_t nkids;
	/* training sample (raw rows; kept while the tree is generated) */
	dp_value **rows;
	size_t nrows, nhold;
	int64_t *src_key;              /* tables with children: source key per row */
	dp_tmodel *m;
	int fallback;                  /* fewer rows than default_min_sample_size */
	dp_ssample sample;
	int have_sample;
	/* generation */
	int64_t nout;                  /* rows generated: keys 1..nout */
	size_t nparents;               /* parent rows generated for (report) */
	dp_writer *w;
	dp_batch *out;
	double train_s, gen_s;
	uint64_t tseed;                /* table part of the seeds */
	/* composite keys made of FKs: key parts used under the current parent */
	uint64_t used[256];
	size_t nused;
	int64_t ndropped;              /* children dropped: no unused key left */
};

typedef struct synth {
	const dp_stage *sg;
	struct dp_report **report;     /* the quality report (created on first use) */
	syn_tab *tabs;                 /* p->nsynth, in synth_order */
	size_t n;
} synth;

/* synth.c */
uint64_t syn_str_hash(const char *s);
int syn_setup_tabs(synth *sy, dp_errbuf *eb);
void syn_free_tabs(synth *sy);
/* trees: tabs[first..syn_tree_end(first)) are generated together */
size_t syn_tree_end(const synth *sy, size_t first);
int syn_train_tree(synth *sy, size_t first, size_t last, dp_errbuf *eb);
int syn_score_table(synth *sy, syn_tab *s, dp_errbuf *eb);
void syn_release_tree(synth *sy, size_t first, size_t last);
/* synth_sample.c: read s's training sample and train its model */
int syn_train_table(synth *sy, syn_tab *s, dp_errbuf *eb);
void syn_free_rows(syn_tab *s);
/* synth_gen.c: generate the tree tabs[first..last) (nroot root rows) */
int syn_gen_tree(synth *sy, size_t first, size_t last, int64_t nroot, dp_errbuf *eb);
int syn_flush_tree(synth *sy, size_t first, size_t last, int force, dp_errbuf *eb);
void syn_row_rng(const syn_tab *s, uint64_t i, dp_rng *r);

#endif
