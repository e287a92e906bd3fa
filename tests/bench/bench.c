/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-bench"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

#ifdef HAVE_CALLGRIND_H
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#endif

#define DEFAULT_RUNS      9
#define MIN_SAMPLE_USEC   20000   /* each sample repeats the run for at least 20 ms */

typedef struct
{
  double      value;     /* seconds per run, or the measured value */
  double      baseline;  /* measured cases */
  gboolean    done;
} Result;

/* Under callgrind --instr-atstart=no, only this window is counted, in every
 * thread (the account store parses and writes in worker threads). */
G_GNUC_NO_INLINE void
hub_bench_measured (const HubBenchCase *bench_case,
                    gpointer            state)
{
  CALLGRIND_START_INSTRUMENTATION;
  bench_case->run (state);
  CALLGRIND_STOP_INSTRUMENTATION;
}

void
hub_bench_wait (gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!*done)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("a benchmark step did not finish within 30 s");
      g_main_context_iteration (NULL, TRUE);
    }
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Median of @runs samples of the time of one run, in seconds. */
static double
time_case (const HubBenchCase *bench_case,
           gpointer            state,
           guint               runs)
{
  g_autofree double *samples = g_new (double, runs);
  guint repeat = 1;
  gint64 start;
  gint64 elapsed;

  /* Warm up, and find how many runs make a sample of at least 20 ms. */
  bench_case->run (state);
  for (;;)
    {
      start = g_get_monotonic_time ();
      for (guint i = 0; i < repeat; i++)
        bench_case->run (state);
      elapsed = g_get_monotonic_time () - start;
      if (elapsed >= MIN_SAMPLE_USEC || repeat >= 1u << 20)
        break;
      repeat *= elapsed > 0 ? MAX (2, (guint) (MIN_SAMPLE_USEC / elapsed) + 1) : 16;
    }

  for (guint s = 0; s < runs; s++)
    {
      start = g_get_monotonic_time ();
      for (guint i = 0; i < repeat; i++)
        bench_case->run (state);
      elapsed = g_get_monotonic_time () - start;
      samples[s] = (double) elapsed / G_USEC_PER_SEC / repeat;
    }
  qsort (samples, runs, sizeof (double), compare_doubles);
  return samples[runs / 2];
}

static void
format_time (double  seconds,
             char   *buffer,
             gsize   size)
{
  if (seconds >= 1.0)
    g_snprintf (buffer, size, "%.3f s", seconds);
  else if (seconds >= 1e-3)
    g_snprintf (buffer, size, "%.3f ms", seconds * 1e3);
  else
    g_snprintf (buffer, size, "%.2f us", seconds * 1e6);
}

static gssize
find_case (const HubBenchCase *cases,
           gsize               n_cases,
           const char         *name)
{
  for (gsize i = 0; i < n_cases; i++)
    if (g_strcmp0 (cases[i].name, name) == 0)
      return (gssize) i;
  return -1;
}

static void
run_case (const HubBenchCase *cases,
          gsize               index,
          Result             *results,
          guint               runs)
{
  const HubBenchCase *bench_case = &cases[index];
  gpointer state;

  if (results[index].done)
    return;
  state = bench_case->setup != NULL ? bench_case->setup () : NULL;
  if (bench_case->measure != NULL)
    results[index].value = bench_case->measure (state, &results[index].baseline);
  else
    results[index].value = time_case (bench_case, state, runs);
  if (bench_case->teardown != NULL)
    bench_case->teardown (state);
  results[index].done = TRUE;
}

static void
print_case (const HubBenchCase *cases,
            gsize               n_cases,
            gsize               index,
            Result             *results,
            guint               runs)
{
  const HubBenchCase *bench_case = &cases[index];
  char value[64];

  if (bench_case->measure != NULL)
    {
      double ratio = results[index].baseline != 0 ?
                     results[index].value / results[index].baseline : 0;

      printf ("%s: %.1f %s (%.2f x %s)\n", bench_case->name, results[index].value,
              bench_case->unit, ratio, bench_case->baseline_label);
      return;
    }

  format_time (results[index].value, value, sizeof value);
  if (bench_case->baseline != NULL)
    {
      gssize b = find_case (cases, n_cases, bench_case->baseline);

      g_assert (b >= 0);
      run_case (cases, (gsize) b, results, runs);
      printf ("%s: %s (%.2f x %s)\n", bench_case->name, value,
              results[index].value / results[b].value, bench_case->baseline);
    }
  else
    printf ("%s: %s (baseline)\n", bench_case->name, value);
}

int
hub_bench_main (int                 argc,
                char              **argv,
                const HubBenchCase *cases,
                gsize               n_cases)
{
  g_auto(GStrv) only = NULL;
  gboolean list = FALSE;
  gboolean once = FALSE;
  int runs = DEFAULT_RUNS;
  g_autoptr(GError) error = NULL;
  g_autofree Result *results = g_new0 (Result, n_cases);
  GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, "List the cases and their baselines", NULL },
    { "case", 0, 0, G_OPTION_ARG_STRING_ARRAY, &only, "Run only this case", "NAME" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Samples per timed case", "N" },
    { "once", 0, 0, G_OPTION_ARG_NONE, &once, "One measured run (for callgrind)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- Connect Hub benchmark");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1)
    {
      fprintf (stderr, "%s\n", error != NULL ? error->message : "--runs must be ≥ 1");
      return 2;
    }

  if (list)
    {
      for (gsize i = 0; i < n_cases; i++)
        printf ("%s %s %s\n", cases[i].name,
                cases[i].measure != NULL ? "measured" : "timed",
                cases[i].baseline != NULL ? cases[i].baseline : "-");
      return 0;
    }

  for (gsize i = 0; i < n_cases; i++)
    {
      const HubBenchCase *bench_case = &cases[i];

      if (only != NULL && !g_strv_contains ((const char * const *) only, bench_case->name))
        continue;

      if (once)
        {
          gpointer state = bench_case->setup != NULL ? bench_case->setup () : NULL;

          if (bench_case->run == NULL)
            {
              fprintf (stderr, "%s is a measured case: --once needs a timed one\n",
                       bench_case->name);
              return 2;
            }
          bench_case->run (state);        /* warm-up: lazy initialisation */
          hub_bench_measured (bench_case, state);
          if (bench_case->teardown != NULL)
            bench_case->teardown (state);
          continue;
        }

      run_case (cases, i, results, (guint) runs);
      print_case (cases, n_cases, i, results, (guint) runs);
      fflush (stdout);
    }
  return 0;
}
