/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A tiny benchmark harness (tests/bench/README.md).
 *
 * A timed case runs @run repeatedly: the value is the median time of one run
 * over --runs samples (each sample repeats @run until it lasts ≥ 20 ms), and
 * the ratio is against the case named @baseline, measured the same way.
 * A measured case (@measure set instead of @run) computes its own value and
 * its baseline value (heap growth, items announced, …).
 *
 * Output, one line per case:  name: value unit (ratio x baseline)
 *
 * Options: --list (name and baseline of each case), --case NAME (repeatable),
 * --runs N (samples, default 9), --once (setup, one warm-up run, then one run
 * inside hub_bench_measured(): build-aux/bench --callgrind runs valgrind
 * with --instr-atstart=no, and that function switches instrumentation on
 * around the run, so only its instructions are counted, in all threads). */

typedef struct
{
  const char *name;
  const char *baseline;    /* another case of the same program, or NULL */
  gpointer  (*setup)    (void);                 /* nullable */
  void      (*run)      (gpointer state);       /* timed cases */
  double    (*measure)  (gpointer state,        /* measured cases: returns the value */
                         double  *baseline_value);
  const char *unit;        /* measured cases: unit of the value */
  const char *baseline_label;  /* measured cases: what the baseline value is */
  void      (*teardown) (gpointer state);       /* nullable */
} HubBenchCase;

int  hub_bench_main      (int                  argc,
                          char               **argv,
                          const HubBenchCase  *cases,
                          gsize                n_cases);

/* Runs @run once; the only window build-aux/bench --callgrind counts. */
void hub_bench_measured  (const HubBenchCase  *bench_case,
                          gpointer             state);

/* Iterates the default main context until *@done is TRUE, at most 30 s. */
void hub_bench_wait      (gboolean            *done);

G_END_DECLS
