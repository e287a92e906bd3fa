/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The verifier against the provider emulator: real HTTP on 127.0.0.1. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "hub-catalog.h"
#include "hub-emulator.h"
#include "hub-verifier.h"

#define TEST_TIMEOUT 2   /* seconds: the verifier's deadline in these tests */
#define N_PROVIDERS  5

static const char *provider_ids[N_PROVIDERS] = {
  "leapsome", "unleashed", "sesame", "smartrecruiters", "humaans",
};

/* field id, value, … NULL */
static const char *good_values[N_PROVIDERS][7] = {
  { "secret", HUB_EMU_LEAPSOME_SECRET, NULL },
  { "api_id", HUB_EMU_UNLEASHED_API_ID, "api_key", HUB_EMU_UNLEASHED_API_KEY, NULL },
  { "api_token", HUB_EMU_SESAME_TOKEN, "region", HUB_EMU_SESAME_REGION, NULL },
  { "api_key", HUB_EMU_SMARTRECRUITERS_KEY, NULL },
  { "api_token", HUB_EMU_HUMAANS_TOKEN, NULL },
};

#define BAD_LEAPSOME   "WrongSecret-Leapsome-77"
#define BAD_UNLEASHED  "WrongKey/Unleashed+77=="
#define BAD_SESAME     "wrong-sesame-token-77"
#define BAD_SMART      "DCRA1-wrongwrongwrong77"
#define BAD_HUMAANS    "WrongHumaansToken77abcdef"

static const char *bad_values[N_PROVIDERS][7] = {
  { "secret", BAD_LEAPSOME, NULL },
  { "api_id", HUB_EMU_UNLEASHED_API_ID, "api_key", BAD_UNLEASHED, NULL },
  { "api_token", BAD_SESAME, "region", HUB_EMU_SESAME_REGION, NULL },
  { "api_key", BAD_SMART, NULL },
  { "api_token", BAD_HUMAANS, NULL },
};

/* Nothing of these may ever appear in a log line. */
static const char *secrets[] = {
  HUB_EMU_LEAPSOME_SECRET, HUB_EMU_LEAPSOME_JWT, HUB_EMU_UNLEASHED_API_KEY,
  HUB_EMU_SESAME_TOKEN, HUB_EMU_SMARTRECRUITERS_KEY, HUB_EMU_HUMAANS_TOKEN,
  "RecipeTestToken0123456789",
  BAD_LEAPSOME, BAD_UNLEASHED, BAD_SESAME, BAD_SMART, BAD_HUMAANS,
  "WrongKey%2FUnleashed%2B77%3D%3D",
};

/* ------------------------------------------------------------------------ */
/* Every log message of the process is recorded (G_MESSAGES_DEBUG=all).      */

static GMutex log_mutex;
static GPtrArray *log_lines;

static GLogWriterOutput
record_writer (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  g_autofree char *line = g_log_writer_format_fields (log_level, fields, n_fields, FALSE);

  g_mutex_lock (&log_mutex);
  g_ptr_array_add (log_lines, g_steal_pointer (&line));
  g_mutex_unlock (&log_mutex);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING |
                   G_LOG_LEVEL_MESSAGE))
    return g_log_writer_default (log_level, fields, n_fields, user_data);
  return G_LOG_WRITER_HANDLED;
}

/* g_test_init() installs its own default handler for g_log(): record there too. */
static void
record_handler (const char     *log_domain,
                GLogLevelFlags  log_level,
                const char     *message,
                gpointer        user_data)
{
  g_mutex_lock (&log_mutex);
  g_ptr_array_add (log_lines, g_strdup_printf ("%s: %s", log_domain ? log_domain : "", message));
  g_mutex_unlock (&log_mutex);

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING |
                   G_LOG_LEVEL_MESSAGE))
    g_log_default_handler (log_domain, log_level, message, user_data);
}

static guint
assert_no_secret_logged (void)
{
  guint n;
  gboolean leaked = FALSE;

  g_mutex_lock (&log_mutex);
  n = log_lines->len;
  for (guint i = 0; i < log_lines->len; i++)
    for (gsize s = 0; s < G_N_ELEMENTS (secrets); s++)
      if (strstr (g_ptr_array_index (log_lines, i), secrets[s]) != NULL)
        leaked = TRUE;
  g_ptr_array_set_size (log_lines, 0);
  g_mutex_unlock (&log_mutex);

  /* Outside the lock: the failure itself is logged. */
  g_assert_false (leaked);
  return n;
}

/* ------------------------------------------------------------------------ */

typedef struct
{
  HubEmulator *emu;
  HubCatalog  *catalog;
  HubVerifier *verifier;
} Fixture;

typedef struct
{
  HubVerifier     *verifier;
  guint           *pending;
  guint            n_callbacks;
  HubVerifyResult *result;
  GError          *error;
  char            *details;
  char            *failed_field;
  guint            retry_after;
  gint64           started;
  gint64           elapsed_ms;
} Outcome;

static void
outcome_clear (Outcome *o)
{
  g_clear_object (&o->result);
  g_clear_error (&o->error);
  g_clear_pointer (&o->details, g_free);
  g_clear_pointer (&o->failed_field, g_free);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->emu = hub_emulator_new ();
  hub_emulator_setenv (f->emu);
  f->catalog = hub_catalog_new_builtin (&error);
  g_assert_no_error (error);
  f->verifier = hub_verifier_new ();
  hub_verifier_set_timeout (f->verifier, TEST_TIMEOUT);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Let any stalled stream the emulator still holds notice its client left. */
  for (int i = 0; i < 10 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_assert_finalize_object (f->verifier);
  g_clear_object (&f->catalog);
  g_clear_pointer (&f->emu, hub_emulator_free);
  /* The recorder works (the emulator and the verifier log at debug level) … */
  g_assert_cmpuint (assert_no_secret_logged (), >, 0);
}

static GHashTable *
values_new (const char * const *pairs)
{
  GHashTable *values = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; pairs[i] != NULL; i += 2)
    g_hash_table_insert (values, (gpointer) pairs[i], (gpointer) pairs[i + 1]);
  return values;
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Outcome *o = user_data;

  o->n_callbacks++;
  o->result = hub_verifier_verify_finish (HUB_VERIFIER (object), result, &o->error);
  o->details = hub_verifier_dup_details (HUB_VERIFIER (object), result);
  o->failed_field = g_strdup (hub_verifier_get_failed_field (HUB_VERIFIER (object), result));
  o->retry_after = hub_verifier_get_retry_after (HUB_VERIFIER (object), result);
  o->elapsed_ms = (g_get_monotonic_time () - o->started) / 1000;
  (*o->pending)--;
}

static gboolean
too_long_cb (gpointer user_data)
{
  g_error ("a verification took longer than the test allows");
  return G_SOURCE_REMOVE;
}

static void
wait_pending (guint *pending)
{
  guint guard = g_timeout_add_seconds (TEST_TIMEOUT + 10, too_long_cb, NULL);

  while (*pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static HubProvider *
lookup (Fixture    *f,
        const char *id)
{
  HubProvider *provider = hub_catalog_lookup (f->catalog, id);

  g_assert_nonnull (provider);
  return provider;
}

static void
start (Fixture            *f,
       const char         *provider_id,
       const char * const *pairs,
       GCancellable       *cancellable,
       Outcome            *o,
       guint              *pending)
{
  g_autoptr(GHashTable) values = values_new (pairs);

  o->pending = pending;
  o->started = g_get_monotonic_time ();
  (*pending)++;
  hub_verifier_verify_async (f->verifier, lookup (f, provider_id), values, cancellable,
                             verify_cb, o);
}

static void
run_one (Fixture            *f,
         const char         *provider_id,
         const char * const *pairs,
         Outcome            *o)
{
  guint pending = 0;

  start (f, provider_id, pairs, NULL, o, &pending);
  wait_pending (&pending);
  g_assert_cmpuint (o->n_callbacks, ==, 1);
}

/* Runs all five providers at once (so slow faults cost one timeout). */
static void
run_all (Fixture            *f,
         const char * const  values[N_PROVIDERS][7],
         Outcome             outcomes[N_PROVIDERS])
{
  guint pending = 0;

  for (int i = 0; i < N_PROVIDERS; i++)
    start (f, provider_ids[i], values[i], NULL, &outcomes[i], &pending);
  wait_pending (&pending);
  for (int i = 0; i < N_PROVIDERS; i++)
    g_assert_cmpuint (outcomes[i].n_callbacks, ==, 1);
}

static void
assert_message_ok (const GError *error,
                   const char   *provider_name)
{
  g_assert_nonnull (error->message);
  g_assert_null (strstr (error->message, "(null)"));
  g_assert_nonnull (strstr (error->message, provider_name));
  for (gsize s = 0; s < G_N_ELEMENTS (secrets); s++)
    g_assert_null (strstr (error->message, secrets[s]));
}

static void
assert_details_clean (const char *details)
{
  if (details == NULL)
    return;
  g_assert_null (strstr (details, "(null)"));
  for (gsize s = 0; s < G_N_ELEMENTS (secrets); s++)
    g_assert_null (strstr (details, secrets[s]));
}

/* ------------------------------------------------------------------------ */
/* Good and bad credentials                                                   */

static char *
expected_identity (int i)
{
  switch (i)
    {
    case 0:
      return g_strdup_printf ("%s (%d employees)", strrchr (HUB_EMU_LEAPSOME_EMAIL, '@') + 1,
                              HUB_EMU_LEAPSOME_TOTAL);
    case 1:
      return g_strdup (HUB_EMU_UNLEASHED_COMPANY " (" HUB_EMU_UNLEASHED_CURRENCY ")");
    case 2:
      return g_strdup (HUB_EMU_SESAME_COMPANY);
    case 3:
      return g_strdup (HUB_EMU_SMARTRECRUITERS_COMPANY " (" HUB_EMU_SMARTRECRUITERS_EMAIL ")");
    case 4:
      return g_strdup (HUB_EMU_HUMAANS_COMPANY " (" HUB_EMU_HUMAANS_EMAIL ")");
    default:
      g_assert_not_reached ();
    }
}

static void
test_good (Fixture       *f,
           gconstpointer  data)
{
  int i = GPOINTER_TO_INT (data);
  Outcome o = { 0 };
  g_autofree char *identity = expected_identity (i);
  g_autofree char *total = g_strdup_printf ("%d", HUB_EMU_LEAPSOME_TOTAL);

  run_one (f, provider_ids[i], good_values[i], &o);
  g_assert_no_error (o.error);
  g_assert_nonnull (o.result);
  g_assert_cmpstr (hub_verify_result_get_provider_id (o.result), ==, provider_ids[i]);
  g_assert_cmpstr (hub_verify_result_get_identity (o.result), ==, identity);
  g_assert_null (o.details);

  switch (i)
    {
    case 0:
      g_assert_cmpstr (hub_verify_result_get_capture (o.result, "domain"), ==,
                       strrchr (HUB_EMU_LEAPSOME_EMAIL, '@') + 1);
      g_assert_cmpstr (hub_verify_result_get_capture (o.result, "employees"), ==, total);
      /* The JWT is a credential, never a capture. */
      g_assert_null (hub_verify_result_get_capture (o.result, "token"));
      break;
    case 1:
      g_assert_cmpstr (hub_verify_result_get_capture (o.result, "company"), ==,
                       HUB_EMU_UNLEASHED_COMPANY);
      g_assert_cmpstr (hub_verify_result_get_capture (o.result, "currency"), ==,
                       HUB_EMU_UNLEASHED_CURRENCY);
      break;
    case 2:
      g_assert_cmpstr (hub_verify_result_get_capture (o.result, "company"), ==,
                       HUB_EMU_SESAME_COMPANY);
      break;
    case 3:
      g_assert_cmpstr (hub_verify_result_get_capture (o.result, "company"), ==,
                       HUB_EMU_SMARTRECRUITERS_COMPANY);
      g_assert_cmpstr (hub_verify_result_get_capture (o.result, "email"), ==,
                       HUB_EMU_SMARTRECRUITERS_EMAIL);
      break;
    case 4:
      {
        const char * const *granted = hub_verify_result_get_granted_scopes (o.result);
        const char * const *missing = hub_verify_result_get_missing_scopes (o.result);

        g_assert_cmpstr (hub_verify_result_get_capture (o.result, "company"), ==,
                         HUB_EMU_HUMAANS_COMPANY);
        g_assert_cmpstr (hub_verify_result_get_capture (o.result, "email"), ==,
                         HUB_EMU_HUMAANS_EMAIL);
        g_assert_cmpstr (hub_verify_result_get_capture (o.result, "companyId"), ==,
                         HUB_EMU_HUMAANS_COMPANY_ID);
        g_assert_nonnull (granted);
        g_assert_true (g_strv_contains (granted, "public:read"));
        g_assert_true (g_strv_contains (granted, "private:read"));
        g_assert_nonnull (missing);
        g_assert_cmpuint (g_strv_length ((char **) missing), ==, 0);
      }
      break;
    default:
      g_assert_not_reached ();
    }

  /* No value of a capture holds a secret. */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, hub_verify_result_get_captures (o.result));
    while (g_hash_table_iter_next (&iter, NULL, &value))
      for (gsize s = 0; s < G_N_ELEMENTS (secrets); s++)
        g_assert_null (strstr (value, secrets[s]));
  }
  g_assert_cmpuint (hub_emulator_get_hits (f->emu, provider_ids[i]), >=, 1);
  outcome_clear (&o);
}

static void
test_rejected (Fixture       *f,
               gconstpointer  data)
{
  int i = GPOINTER_TO_INT (data);
  HubProvider *provider = lookup (f, provider_ids[i]);
  Outcome o = { 0 };

  run_one (f, provider_ids[i], bad_values[i], &o);
  g_assert_null (o.result);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_REJECTED);
  assert_message_ok (o.error, hub_provider_get_name (provider));
  /* The provider's own advice is part of the message. */
  g_assert_nonnull (strstr (o.error->message, hub_provider_get_rejected_hint (provider)));
  g_assert_nonnull (o.details);
  g_assert_nonnull (strstr (o.details, "HTTP 40"));
  assert_details_clean (o.details);
  g_assert_cmpuint (o.retry_after, ==, 0);
  g_test_message ("%s", o.error->message);

  /* Which field to look at: the credential, or also the region / API id. */
  if (g_str_equal (provider_ids[i], "sesame"))
    {
      g_assert_nonnull (strstr (o.error->message, "or the Region is wrong"));
      g_assert_null (o.failed_field);
    }
  else if (g_str_equal (provider_ids[i], "unleashed"))
    {
      g_assert_nonnull (strstr (o.error->message, "or the API Id is wrong"));
      g_assert_null (o.failed_field);
    }
  else
    {
      g_assert_nonnull (strstr (o.error->message, "is wrong or was revoked"));
      g_assert_cmpstr (o.failed_field, ==, good_values[i][0]);
    }
  outcome_clear (&o);
}

static void
test_leapsome_details (Fixture       *f,
                       gconstpointer  data)
{
  Outcome o = { 0 };

  run_one (f, "leapsome", bad_values[0], &o);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_REJECTED);
  /* The step is named by its template; the secret in its query never shows. */
  g_assert_nonnull (strstr (o.details, "GET /token"));
  g_assert_null (strstr (o.details, "secret="));
  outcome_clear (&o);
}

static void
test_humaans_details_template (Fixture       *f,
                               gconstpointer  data)
{
  Outcome o = { 0 };

  hub_emulator_set_fault (f->emu, "humaans", HUB_EMU_FAULT_WRONG_TYPE);
  run_one (f, "humaans", good_values[4], &o);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_UNEXPECTED);
  g_assert_nonnull (strstr (o.details, "GET /me"));
  outcome_clear (&o);
}

/* ------------------------------------------------------------------------ */
/* Faults: each runs against all five providers at once                       */

typedef struct
{
  HubEmuFault fault;
  int         code;
} FaultCase;

static const FaultCase fault_cases[] = {
  { HUB_EMU_FAULT_401, HUB_VERIFY_ERROR_REJECTED },
  { HUB_EMU_FAULT_403, HUB_VERIFY_ERROR_REJECTED },
  { HUB_EMU_FAULT_429, HUB_VERIFY_ERROR_RATE_LIMITED },
  { HUB_EMU_FAULT_500, HUB_VERIFY_ERROR_UNREACHABLE },
  { HUB_EMU_FAULT_STALL, HUB_VERIFY_ERROR_TIMED_OUT },
  { HUB_EMU_FAULT_TRICKLE, HUB_VERIFY_ERROR_TIMED_OUT },
  { HUB_EMU_FAULT_MALFORMED_JSON, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_HTML, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_EMPTY, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_NULL, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_WRONG_TYPE, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_DEEP_JSON, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_BAD_UTF8, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_OVERSIZED, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_OVERSIZED_GZIP, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_REDIRECT, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_REDIRECT_SAME, HUB_VERIFY_ERROR_UNEXPECTED },
  { HUB_EMU_FAULT_MISSING_CAPTURE, HUB_VERIFY_ERROR_UNEXPECTED },   /* row 16 */
  { HUB_EMU_FAULT_NUL_IN_BODY, HUB_VERIFY_ERROR_UNEXPECTED },       /* row 17 */
};

static void
test_fault (Fixture       *f,
            gconstpointer  data)
{
  const FaultCase *fc = data;
  Outcome outcomes[N_PROVIDERS] = { { 0 } };

  hub_emulator_set_fault (f->emu, NULL, fc->fault);
  hub_emulator_reset_counters (f->emu);
  run_all (f, good_values, outcomes);

  for (int i = 0; i < N_PROVIDERS; i++)
    {
      Outcome *o = &outcomes[i];

      g_test_message ("%s: %" G_GINT64_FORMAT " ms: %s", provider_ids[i], o->elapsed_ms,
                      o->error != NULL ? o->error->message : "ok");
      g_assert_null (o->result);
      g_assert_error (o->error, HUB_VERIFY_ERROR, fc->code);
      assert_message_ok (o->error, hub_provider_get_name (lookup (f, provider_ids[i])));
      g_assert_nonnull (o->details);
      assert_details_clean (o->details);
      /* Every verification ends by the deadline + 2 s. */
      g_assert_cmpint (o->elapsed_ms, <, (TEST_TIMEOUT + 2) * 1000);
      if (fc->code == HUB_VERIFY_ERROR_TIMED_OUT)
        g_assert_cmpint (o->elapsed_ms, >=, TEST_TIMEOUT * 1000 - 100);
      if (fc->fault == HUB_EMU_FAULT_429)
        {
          g_assert_cmpuint (o->retry_after, ==, 120);
          g_assert_nonnull (strstr (o->error->message, "2 minutes"));
        }
      else
        g_assert_cmpuint (o->retry_after, ==, 0);
      outcome_clear (o);
    }

  if (fc->fault == HUB_EMU_FAULT_REDIRECT || fc->fault == HUB_EMU_FAULT_REDIRECT_SAME)
    {
      /* Never followed: the other host saw nothing, least of all a credential. */
      g_assert_cmpuint (hub_emulator_get_redirect_credential_hits (f->emu), ==, 0);
      g_assert_cmpuint (hub_emulator_get_redirect_hits (f->emu), ==, 0);
      g_assert_cmpuint (hub_emulator_get_hits (f->emu, NULL), ==, N_PROVIDERS);
    }
}

/* Row 18: an integer capture (Leapsome meta.totalCount) that does not fit. */
static void
test_huge_number (Fixture       *f,
                  gconstpointer  data)
{
  static const struct { const char *literal; gboolean ok; } cases[] = {
    { "1e400", FALSE },
    { "-1e400", FALSE },
    { "9223372036854775808", FALSE },    /* 2^63: json-glib would wrap it to INT64_MIN */
    { "-9223372036854775809", FALSE },
    { "18446744073709551616", FALSE },
    { "42.5", FALSE },
    { "9223372036854775807", TRUE },     /* the largest that fits is still accepted */
    { "43", TRUE },
  };

  hub_emulator_set_fault (f->emu, "leapsome", HUB_EMU_FAULT_HUGE_NUMBER);
  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      Outcome o = { 0 };

      hub_emulator_set_huge_number (f->emu, cases[c].literal);
      run_one (f, "leapsome", good_values[0], &o);
      g_test_message ("totalCount %s: %s", cases[c].literal,
                      o.error != NULL ? o.error->message : hub_verify_result_get_identity (o.result));
      if (cases[c].ok)
        {
          g_autofree char *expected = g_strdup_printf ("%s (%s employees)",
                                                       strrchr (HUB_EMU_LEAPSOME_EMAIL, '@') + 1,
                                                       cases[c].literal);

          g_assert_no_error (o.error);
          g_assert_cmpstr (hub_verify_result_get_identity (o.result), ==, expected);
        }
      else
        {
          g_assert_null (o.result);
          g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_UNEXPECTED);
          assert_message_ok (o.error, hub_provider_get_name (lookup (f, "leapsome")));
          assert_details_clean (o.details);
        }
      outcome_clear (&o);
    }
}

/* Each of Humaans' three steps answers within the per-step deadline (2 s), but
 * together they pass the whole-verification deadline of timeout + 2 s. */
static void
test_overall_deadline (Fixture       *f,
                       gconstpointer  data)
{
  Outcome o = { 0 };

  hub_emulator_set_fault (f->emu, "humaans", HUB_EMU_FAULT_SLOW_STEPS);
  hub_emulator_set_step_delay (f->emu, 1500);
  run_one (f, "humaans", good_values[4], &o);
  g_test_message ("humaans, 3 × 1.5 s steps: %" G_GINT64_FORMAT " ms: %s", o.elapsed_ms,
                  o.error != NULL ? o.error->message : "ok");
  g_assert_null (o.result);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_TIMED_OUT);
  assert_message_ok (o.error, hub_provider_get_name (lookup (f, "humaans")));
  assert_details_clean (o.details);
  /* The third step was under way when the overall deadline cut it off. */
  g_assert_cmpuint (hub_emulator_get_hits (f->emu, "humaans"), ==, 3);
  g_assert_cmpint (o.elapsed_ms, >=, (TEST_TIMEOUT + 2) * 1000 - 100);
  g_assert_cmpint (o.elapsed_ms, <, (TEST_TIMEOUT + 2) * 1000 + 300);
  outcome_clear (&o);
}

/* Slow steps that fit in the overall deadline still succeed. */
static void
test_overall_deadline_fits (Fixture       *f,
                            gconstpointer  data)
{
  Outcome o = { 0 };

  hub_emulator_set_fault (f->emu, "humaans", HUB_EMU_FAULT_SLOW_STEPS);
  hub_emulator_set_step_delay (f->emu, 1000);
  run_one (f, "humaans", good_values[4], &o);
  g_test_message ("humaans, 3 × 1 s steps: %" G_GINT64_FORMAT " ms", o.elapsed_ms);
  g_assert_no_error (o.error);
  g_assert_nonnull (o.result);
  g_assert_cmpint (o.elapsed_ms, >=, 3000);
  g_assert_cmpint (o.elapsed_ms, <, (TEST_TIMEOUT + 2) * 1000);
  outcome_clear (&o);
}

static void
test_retry_after_forms (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 600);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  struct { const char *value; guint min, max; } cases[] = {
    { "120", 120, 120 },
    { date, 590, 600 },
    { "garbage", 60, 60 },
    { "-30", 60, 60 },
    { "99999", 3600, 3600 },
  };

  hub_emulator_set_fault (f->emu, "sesame", HUB_EMU_FAULT_429);
  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      Outcome o = { 0 };

      hub_emulator_set_retry_after (f->emu, cases[c].value);
      run_one (f, "sesame", good_values[2], &o);
      g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_RATE_LIMITED);
      g_assert_cmpuint (o.retry_after, >=, cases[c].min);
      g_assert_cmpuint (o.retry_after, <=, cases[c].max);
      outcome_clear (&o);
    }
}

static void
test_humaans_no_token_info (Fixture       *f,
                            gconstpointer  data)
{
  Outcome o = { 0 };

  hub_emulator_set_fault (f->emu, "humaans", HUB_EMU_FAULT_NO_TOKEN_INFO);
  run_one (f, "humaans", good_values[4], &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (hub_verify_result_get_identity (o.result), ==,
                   HUB_EMU_HUMAANS_COMPANY " (" HUB_EMU_HUMAANS_EMAIL ")");
  g_assert_null (hub_verify_result_get_granted_scopes (o.result));
  g_assert_null (hub_verify_result_get_missing_scopes (o.result));
  outcome_clear (&o);
}

static void
test_humaans_missing_scopes (Fixture       *f,
                             gconstpointer  data)
{
  Outcome o = { 0 };
  const char * const *missing;

  hub_emulator_set_fault (f->emu, "humaans", HUB_EMU_FAULT_MISSING_SCOPES);
  run_one (f, "humaans", good_values[4], &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (hub_verify_result_get_identity (o.result), ==,
                   HUB_EMU_HUMAANS_COMPANY " (" HUB_EMU_HUMAANS_EMAIL ")");
  missing = hub_verify_result_get_missing_scopes (o.result);
  g_assert_nonnull (missing);
  g_assert_cmpuint (g_strv_length ((char **) missing), ==, 1);
  g_assert_cmpstr (missing[0], ==, "private:read");
  outcome_clear (&o);
}

/* ------------------------------------------------------------------------ */
/* Input, configuration and transport                                         */

static void
test_invalid_input (Fixture       *f,
                    gconstpointer  data)
{
  static const char *short_token[] = { "api_token", "short", NULL };
  static const char *bad_region[] = { "api_token", HUB_EMU_SESAME_TOKEN, "region", "EU 1", NULL };
  static const char *missing[] = { NULL };
  Outcome o = { 0 };

  hub_emulator_reset_counters (f->emu);

  run_one (f, "humaans", short_token, &o);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_INVALID_INPUT);
  g_assert_cmpstr (o.failed_field, ==, "api_token");
  outcome_clear (&o);

  memset (&o, 0, sizeof o);
  run_one (f, "sesame", bad_region, &o);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_INVALID_INPUT);
  g_assert_cmpstr (o.failed_field, ==, "region");
  g_assert_null (strstr (o.error->message, HUB_EMU_SESAME_TOKEN));
  outcome_clear (&o);

  memset (&o, 0, sizeof o);
  run_one (f, "leapsome", missing, &o);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_INVALID_INPUT);
  g_assert_cmpstr (o.failed_field, ==, "secret");
  outcome_clear (&o);

  /* Nothing was sent. */
  g_assert_cmpuint (hub_emulator_get_hits (f->emu, NULL), ==, 0);
}

static void
test_override_refused (Fixture       *f,
                       gconstpointer  data)
{
  Outcome o = { 0 };

  g_setenv ("CONNECT_HUB_BASE_URL_SMARTRECRUITERS", "http://example.com", TRUE);
  hub_emulator_reset_counters (f->emu);
  run_one (f, "smartrecruiters", good_values[3], &o);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_CONFIG);
  g_assert_nonnull (strstr (o.error->message, "CONNECT_HUB_BASE_URL_SMARTRECRUITERS"));
  g_assert_cmpuint (hub_emulator_get_hits (f->emu, NULL), ==, 0);
  outcome_clear (&o);
}

static void
test_resolve_base_url (Fixture       *f,
                       gconstpointer  data)
{
  static const struct { const char *value; gboolean ok; const char *expect; } cases[] = {
    { "https://api.example.com/v1/", TRUE, "https://api.example.com/v1" },
    { "http://127.0.0.1:8080/sesame", TRUE, "http://127.0.0.1:8080/sesame" },
    { "http://127.4.5.6", TRUE, "http://127.4.5.6" },
    { "http://localhost:1234", TRUE, "http://localhost:1234" },
    { "http://[::1]:99/x", TRUE, "http://[::1]:99/x" },
    { "http://example.com", FALSE, NULL },
    { "http://10.0.0.1", FALSE, NULL },
    { "http://127.0.0.1.example.com", FALSE, NULL },
    { "http://localhost.example.com", FALSE, NULL },
    { "ftp://127.0.0.1", FALSE, NULL },
    { "not a url", FALSE, NULL },
    { "https://", FALSE, NULL },
    { "https://user:pw@example.com", FALSE, NULL },
    { "https://example.com/?q=1", FALSE, NULL },
  };
  HubProvider *sesame = lookup (f, "sesame");
  g_autoptr(GHashTable) values = values_new ((const char * const []) {
                                               "api_token", "x", "region", "eu4", NULL });

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;

      g_setenv ("CONNECT_HUB_BASE_URL_SESAME", cases[c].value, TRUE);
      url = hub_verifier_resolve_base_url (sesame, values, &error);
      if (cases[c].ok)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (url, ==, cases[c].expect);
        }
      else
        {
          g_assert_null (url);
          g_assert_error (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_CONFIG);
          g_assert_nonnull (strstr (error->message, "CONNECT_HUB_BASE_URL_SESAME"));
        }
    }

  /* No override: the catalog's base with the region substituted. */
  g_unsetenv ("CONNECT_HUB_BASE_URL_SESAME");
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *url = hub_verifier_resolve_base_url (sesame, values, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (url, ==, "https://api-eu4.sesametime.com");
  }
  /* A value cannot add a host or a path. */
  {
    g_autoptr(GHashTable) evil = values_new ((const char * const []) {
                                               "region", "x/y@evil.test:1", NULL });
    g_autoptr(GError) error = NULL;
    g_autofree char *url = hub_verifier_resolve_base_url (sesame, evil, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (url, ==, "https://api-x%2Fy%40evil.test%3A1.sesametime.com");
  }
}

static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  Outcome o = { 0 };

  g_setenv ("CONNECT_HUB_BASE_URL_SESAME", url, TRUE);
  run_one (f, "sesame", good_values[2], &o);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_UNREACHABLE);
  assert_message_ok (o.error, "Sesame");
  outcome_clear (&o);
}

static void
test_cancel_midway (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome o = { 0 };
  guint pending = 0;

  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_STALL);
  start (f, "unleashed", good_values[1], cancellable, &o, &pending);
  /* Wait until the request is in flight (the emulator has answered headers). */
  while (hub_emulator_get_hits (f->emu, "unleashed") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  wait_pending (&pending);

  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (o.result);
  g_assert_cmpint (o.elapsed_ms, <, TEST_TIMEOUT * 1000);
  outcome_clear (&o);
}

static void
test_cancel_before_answer (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Outcome o = { 0 };
  guint pending = 0;

  /* A good answer would arrive, but the caller cancelled first. */
  start (f, "humaans", good_values[4], cancellable, &o, &pending);
  g_cancellable_cancel (cancellable);
  wait_pending (&pending);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (o.result);
  outcome_clear (&o);

  /* Already cancelled when called. */
  memset (&o, 0, sizeof o);
  start (f, "humaans", good_values[4], cancellable, &o, &pending);
  wait_pending (&pending);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  outcome_clear (&o);
}

static void
test_destroy_while_running (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  HubVerifier *verifier = hub_verifier_new ();
  g_autoptr(GHashTable) values = values_new (good_values[3]);
  Outcome o = { 0 };
  guint pending = 1;
  gpointer weak = verifier;

  hub_verifier_set_timeout (verifier, TEST_TIMEOUT);
  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_STALL);
  g_object_add_weak_pointer (G_OBJECT (verifier), &weak);

  o.pending = &pending;
  o.started = g_get_monotonic_time ();
  hub_verifier_verify_async (verifier, lookup (f, "smartrecruiters"), values, cancellable,
                             verify_cb, &o);
  /* The caller lets go of the verifier and cancels, as a closing window does. */
  g_object_unref (verifier);
  g_cancellable_cancel (cancellable);
  wait_pending (&pending);

  g_assert_cmpuint (o.n_callbacks, ==, 1);
  g_assert_error (o.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Once the callback has run, nothing holds the verifier any more … */
  for (int i = 0; i < 50 && weak != NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (weak);
  /* … and no second callback comes, even after the deadline would have passed. */
  {
    gint64 until = g_get_monotonic_time () + (TEST_TIMEOUT * G_USEC_PER_SEC) / 2;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }
  g_assert_cmpuint (o.n_callbacks, ==, 1);
  outcome_clear (&o);
}

/* TLS: a self-signed certificate made at test time with openssl. */
static void
test_tls_self_signed (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autofree char *url = NULL;
  GSList *uris;
  int status = 0;
  Outcome o = { 0 };

  if (openssl == NULL)
    {
      g_test_skip ("openssl is not installed: cannot make a self-signed certificate");
      return;
    }

  dir = g_dir_make_tmp ("hub-verifier-tls-XXXXXX", &error);
  g_assert_no_error (error);
  cert_path = g_build_filename (dir, "cert.pem", NULL);
  key_path = g_build_filename (dir, "key.pem", NULL);
  {
    const char *argv[] = { openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                           "-keyout", key_path, "-out", cert_path, "-days", "1",
                           "-subj", "/CN=127.0.0.1", NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  cert = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);

  server = soup_server_new ("tls-certificate", cert, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS,
                            &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  url = g_strdup_printf ("https://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_setenv ("CONNECT_HUB_BASE_URL_SESAME", url, TRUE);
  run_one (f, "sesame", good_values[2], &o);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_TLS);
  assert_message_ok (o.error, "Sesame");
  outcome_clear (&o);

  soup_server_disconnect (server);
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (dir);
}


/* A Leapsome token answer the verifier cannot use still holds the exchanged
 * token: it must not reach the details (the token is not known yet, so
 * redaction alone cannot remove it). */
static const char * const bad_token_answers[] = {
  "{\"token\": \"" HUB_EMU_LEAPSOME_JWT "\", \"expiresIn\": 18000}{\"again\": true}",
  "{\"token\": [\"" HUB_EMU_LEAPSOME_JWT "\"], \"expiresIn\": 18000}",
  "{\"access_token\": \"" HUB_EMU_LEAPSOME_JWT "\", \"expiresIn\": 18000}",
  "{\"token\": \"" HUB_EMU_LEAPSOME_JWT "\x01\"}",
};

static void
bad_token_server_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     const char        *path,
                     GHashTable        *query,
                     gpointer           user_data)
{
  const char *body = *(const char **) user_data;

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
test_bad_token_answer (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autofree char *url = NULL;
  const char *answer = NULL;
  GSList *uris;

  soup_server_add_handler (server, NULL, bad_token_server_cb, &answer, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_setenv ("CONNECT_HUB_BASE_URL_LEAPSOME", url, TRUE);

  for (gsize i = 0; i < G_N_ELEMENTS (bad_token_answers); i++)
    {
      Outcome o = { 0 };

      answer = bad_token_answers[i];
      run_one (f, "leapsome", good_values[0], &o);
      g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_UNEXPECTED);
      assert_message_ok (o.error, "Leapsome");
      g_assert_nonnull (o.details);
      g_assert_nonnull (strstr (o.details, "GET /token"));
      assert_details_clean (o.details);
      g_assert_null (strstr (o.details, "eyJhbGciOiJIUzI1NiJ9"));
      outcome_clear (&o);
    }

  hub_emulator_setenv (f->emu);
  soup_server_disconnect (server);
}

/* ------------------------------------------------------------------------ */
/* A recipe of our own against a tiny local server: behaviour the emulator   */
/* has no fault mode for (403 after a good step, escaping of captured        */
/* values in the next path).                                                 */

#define RECIPE_TOKEN "RecipeTestToken0123456789"

static const char recipe_json[] =
  "{\"id\": \"recipe-test\", \"name\": \"Recipe Test\", \"description\": \"Test\","
  " \"docs\": \"https://example.invalid/docs\","
  " \"rejected_hint\": \"Make a new token.\", \"base_url\": \"https://example.invalid\","
  " \"warnings\": [], \"steps\": [{\"text\": \"Make a token.\"}],"
  " \"fields\": [{\"id\": \"token\", \"label\": \"Token\", \"secret\": true, \"required\": true}],"
  " \"auth\": {\"scheme\": \"bearer\", \"secret_field\": \"token\"},"
  " \"verify\": ["
  "   {\"name\": \"me\", \"method\": \"GET\", \"path\": \"/me\","
  "    \"captures\": [{\"var\": \"id\", \"path\": \"id\", \"type\": \"string\"}]},"
  "   {\"name\": \"item\", \"method\": \"GET\", \"path\": \"/items/{id}\", \"query\": \"pageSize=1\","
  "    \"captures\": [{\"var\": \"name\", \"path\": \"name\", \"type\": \"string\"}]}"
  " ],"
  " \"identity\": \"{name}\"}";

typedef struct
{
  GPtrArray *requests;   /* "path | query" as received (path decoded by SoupServer) */
  guint      item_status;
} RecipeServer;

static void
recipe_server_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  RecipeServer *rs = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  const char *body;

  g_ptr_array_add (rs->requests, g_strdup_printf ("%s | %s", g_uri_get_path (uri),
                                                  g_uri_get_query (uri) ? g_uri_get_query (uri) : ""));
  if (g_strcmp0 (auth, "Bearer " RECIPE_TOKEN) != 0)
    {
      soup_server_message_set_status (msg, 401, NULL);
      return;
    }
  if (g_str_equal (path, "/me"))
    {
      body = "{\"id\": \"a/b c?d\"}";
      soup_server_message_set_status (msg, 200, NULL);
    }
  else if (rs->item_status == 401)
    {
      /* Some APIs echo what they were sent. */
      body = "{\"message\": \"token " RECIPE_TOKEN " (Bearer " RECIPE_TOKEN ") refused\"}";
      soup_server_message_set_status (msg, 401, NULL);
    }
  else
    {
      body = "{\"name\": \"Item Co\"}";
      soup_server_message_set_status (msg, rs->item_status, NULL);
    }
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
run_recipe (guint         item_status,
            RecipeServer *rs,
            Outcome      *o)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HubProvider) provider = hub_provider_new_from_data (recipe_json, strlen (recipe_json),
                                                                "recipe-test.json", &error);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(HubVerifier) verifier = hub_verifier_new ();
  g_autoptr(GHashTable) values = values_new ((const char * const []) {
                                               "token", RECIPE_TOKEN, NULL });
  g_autofree char *url = NULL;
  GSList *uris;
  guint pending = 1;

  g_assert_no_error (error);
  rs->item_status = item_status;
  soup_server_add_handler (server, NULL, recipe_server_cb, rs, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_setenv ("CONNECT_HUB_BASE_URL_RECIPE_TEST", url, TRUE);

  hub_verifier_set_timeout (verifier, TEST_TIMEOUT);
  o->pending = &pending;
  o->started = g_get_monotonic_time ();
  hub_verifier_verify_async (verifier, provider, values, NULL, verify_cb, o);
  wait_pending (&pending);
  g_unsetenv ("CONNECT_HUB_BASE_URL_RECIPE_TEST");
  soup_server_disconnect (server);
}

static void
test_recipe_escapes_captures (void)
{
  RecipeServer rs = { g_ptr_array_new_with_free_func (g_free), 200 };
  Outcome o = { 0 };

  run_recipe (200, &rs, &o);
  g_assert_no_error (o.error);
  g_assert_cmpstr (hub_verify_result_get_identity (o.result), ==, "Item Co");
  g_assert_cmpuint (rs.requests->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (rs.requests, 0), ==, "/me | ");
  /* SoupServer decodes the path: the "?" of the captured value stayed in the
   * path (unescaped it would have started the query) and the query is intact. */
  g_assert_cmpstr (g_ptr_array_index (rs.requests, 1), ==, "/items/a/b c?d | pageSize=1");
  outcome_clear (&o);
  g_ptr_array_unref (rs.requests);
}

static void
test_recipe_permission (void)
{
  RecipeServer rs = { g_ptr_array_new_with_free_func (g_free), 403 };
  Outcome o = { 0 };

  /* The first step proved the token good: a later 403 is a missing permission. */
  run_recipe (403, &rs, &o);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_PERMISSION);
  g_assert_nonnull (strstr (o.error->message, "Recipe Test"));
  g_assert_nonnull (strstr (o.details, "GET /items/{id}"));
  g_assert_null (strstr (o.details, RECIPE_TOKEN));
  outcome_clear (&o);
  g_ptr_array_unref (rs.requests);
  assert_no_secret_logged ();
}

static void
test_recipe_details_redacted (void)
{
  RecipeServer rs = { g_ptr_array_new_with_free_func (g_free), 401 };
  Outcome o = { 0 };

  run_recipe (401, &rs, &o);
  g_assert_error (o.error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_REJECTED);
  g_assert_nonnull (o.details);
  g_assert_nonnull (strstr (o.details, "HTTP 401 · GET /items/{id}"));
  /* The excerpt is there, with the echoed secret replaced. */
  g_assert_nonnull (strstr (o.details, "token … (Bearer …) refused"));
  g_assert_null (strstr (o.details, RECIPE_TOKEN));
  outcome_clear (&o);
  g_ptr_array_unref (rs.requests);
  assert_no_secret_logged ();
}

/* ------------------------------------------------------------------------ */
/* Pure mappings                                                              */

static void
test_status_mapping (void)
{
  g_assert_cmpint (hub_verify_error_from_status (401), ==, HUB_VERIFY_ERROR_REJECTED);
  g_assert_cmpint (hub_verify_error_from_status (403), ==, HUB_VERIFY_ERROR_REJECTED);
  g_assert_cmpint (hub_verify_error_from_status (429), ==, HUB_VERIFY_ERROR_RATE_LIMITED);
  g_assert_cmpint (hub_verify_error_from_status (500), ==, HUB_VERIFY_ERROR_UNREACHABLE);
  g_assert_cmpint (hub_verify_error_from_status (503), ==, HUB_VERIFY_ERROR_UNREACHABLE);
  g_assert_cmpint (hub_verify_error_from_status (504), ==, HUB_VERIFY_ERROR_TIMED_OUT);
  g_assert_cmpint (hub_verify_error_from_status (301), ==, HUB_VERIFY_ERROR_UNEXPECTED);
  g_assert_cmpint (hub_verify_error_from_status (302), ==, HUB_VERIFY_ERROR_UNEXPECTED);
  g_assert_cmpint (hub_verify_error_from_status (404), ==, HUB_VERIFY_ERROR_UNEXPECTED);
  g_assert_cmpint (hub_verify_error_from_status (418), ==, HUB_VERIFY_ERROR_UNEXPECTED);
}

static void
test_transport_mapping (void)
{
  static const struct { GQuark (*domain) (void); int code; int expect; } cases[] = {
    { g_resolver_error_quark, G_RESOLVER_ERROR_NOT_FOUND, HUB_VERIFY_ERROR_UNREACHABLE },
    { g_resolver_error_quark, G_RESOLVER_ERROR_TEMPORARY_FAILURE, HUB_VERIFY_ERROR_UNREACHABLE },
    { g_io_error_quark, G_IO_ERROR_CONNECTION_REFUSED, HUB_VERIFY_ERROR_UNREACHABLE },
    { g_io_error_quark, G_IO_ERROR_HOST_UNREACHABLE, HUB_VERIFY_ERROR_UNREACHABLE },
    { g_io_error_quark, G_IO_ERROR_NETWORK_UNREACHABLE, HUB_VERIFY_ERROR_UNREACHABLE },
    { g_io_error_quark, G_IO_ERROR_TIMED_OUT, HUB_VERIFY_ERROR_TIMED_OUT },
    { g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE, HUB_VERIFY_ERROR_TLS },
    { g_tls_error_quark, G_TLS_ERROR_HANDSHAKE, HUB_VERIFY_ERROR_TLS },
    { soup_session_error_quark, SOUP_SESSION_ERROR_PARSING, HUB_VERIFY_ERROR_UNEXPECTED },
  };

  for (gsize c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[c].domain (), cases[c].code, "x");

      g_assert_cmpint (hub_verify_error_from_transport (error), ==, cases[c].expect);
    }
}

static void
test_retry_after_parse (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 300);
  g_autoptr(GDateTime) past = g_date_time_add_seconds (now, -300);
  g_autoptr(GDateTime) far = g_date_time_add_days (now, 3);
  g_autofree char *later_s = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *past_s = soup_date_time_to_string (past, SOUP_DATE_HTTP);
  g_autofree char *far_s = soup_date_time_to_string (far, SOUP_DATE_HTTP);
  guint v;

  g_assert_cmpuint (hub_verify_parse_retry_after ("120"), ==, 120);
  g_assert_cmpuint (hub_verify_parse_retry_after (" 7 "), ==, 7);
  g_assert_cmpuint (hub_verify_parse_retry_after ("0"), ==, 1);
  g_assert_cmpuint (hub_verify_parse_retry_after ("3601"), ==, 3600);
  g_assert_cmpuint (hub_verify_parse_retry_after ("18446744073709551616"), ==, 60);
  g_assert_cmpuint (hub_verify_parse_retry_after ("-5"), ==, 60);
  g_assert_cmpuint (hub_verify_parse_retry_after ("garbage"), ==, 60);
  g_assert_cmpuint (hub_verify_parse_retry_after (""), ==, 60);
  g_assert_cmpuint (hub_verify_parse_retry_after ("1.5"), ==, 60);
  g_assert_cmpuint (hub_verify_parse_retry_after (NULL), ==, 60);
  v = hub_verify_parse_retry_after (later_s);
  g_assert_cmpuint (v, >=, 290);
  g_assert_cmpuint (v, <=, 300);
  g_assert_cmpuint (hub_verify_parse_retry_after (past_s), ==, 1);
  g_assert_cmpuint (hub_verify_parse_retry_after (far_s), ==, 3600);
}

/* Row 19: libsoup 3.2's server speaks no HTTP/2, so the retry decision is
 * tested on synthetic errors. */
static void
test_http2_retry (void)
{
  g_autoptr(GError) goaway = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                  "HTTP/2 Error: NO_ERROR");
  g_autoptr(GError) protocol = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED,
                                                    "HTTP/2 Error: PROTOCOL_ERROR");
  static const struct { GQuark (*domain) (void); int code; const char *message; } others[] = {
    { g_io_error_quark, G_IO_ERROR_CONNECTION_REFUSED, "Connection refused" },
    { g_io_error_quark, G_IO_ERROR_TIMED_OUT, "Socket I/O timed out" },
    { g_io_error_quark, G_IO_ERROR_CANCELLED, "Operation was cancelled" },
    { g_io_error_quark, G_IO_ERROR_FAILED, "Connection terminated unexpectedly" },
    { g_io_error_quark, G_IO_ERROR_BROKEN_PIPE, "Error sending data: Broken pipe" },
    { g_tls_error_quark, G_TLS_ERROR_BAD_CERTIFICATE, "HTTP/2 Error: unacceptable certificate" },
    { soup_session_error_quark, SOUP_SESSION_ERROR_PARSING, "HTTP/2 Error: parsing" },
    { g_resolver_error_quark, G_RESOLVER_ERROR_NOT_FOUND, "Name not found" },
  };
  gboolean retried = FALSE;
  guint attempts = 1;

  g_assert_true (hub_verify_should_retry (goaway, "GET", FALSE));
  g_assert_true (hub_verify_should_retry (protocol, "GET", FALSE));
  /* Only an idempotent GET is sent twice. */
  g_assert_false (hub_verify_should_retry (goaway, "POST", FALSE));
  g_assert_false (hub_verify_should_retry (goaway, "PUT", FALSE));
  g_assert_false (hub_verify_should_retry (goaway, "get", FALSE));
  g_assert_false (hub_verify_should_retry (goaway, NULL, FALSE));
  /* Never a second retry. */
  g_assert_false (hub_verify_should_retry (goaway, "GET", TRUE));
  for (gsize i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (others[i].domain (), others[i].code,
                                                     others[i].message);

      g_assert_false (hub_verify_should_retry (error, "GET", FALSE));
    }

  /* As send_cb uses it: a server that answers every attempt with GOAWAY gets
   * exactly two requests. */
  while (hub_verify_should_retry (goaway, "GET", retried))
    {
      retried = TRUE;
      attempts++;
      g_assert_cmpuint (attempts, <=, 2);
    }
  g_assert_cmpuint (attempts, ==, 2);
}

static void
test_parse_timeout (void)
{
  static const struct { const char *text; guint seconds; } good[] = {
    { "1", 1 }, { "15", 15 }, { "600", 600 }, { "007", 7 },
  };
  static const char * const bad[] = {
    "0", "601", "3600", "-5", "+5", " 5", "5 ", "\t5", "5\n", "", "5s", "1.5", "1e2", "0x10",
    "abc", "18446744073709551616", "99999999999999999999999",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      guint seconds = 0;

      g_assert_true (hub_verifier_parse_timeout (good[i].text, &seconds, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (seconds, ==, good[i].seconds);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *escaped = g_strescape (bad[i], NULL);
      guint seconds = 42;

      g_test_message ("refused: “%s”", escaped);
      g_assert_false (hub_verifier_parse_timeout (bad[i], &seconds, &error));
      g_assert_error (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_CONFIG);
      g_assert_cmpstr (error->message, ==,
                       "CONNECT_HUB_TIMEOUT must be a whole number of seconds from 1 to 600.");
      g_assert_cmpuint (seconds, ==, 42);   /* untouched */
    }
  g_assert_false (hub_verifier_parse_timeout (NULL, NULL, NULL));
  g_assert_true (hub_verifier_parse_timeout ("30", NULL, NULL));
}

/* The environment variable through timeout_from_env(): invalid → 15 s. */
static void
test_timeout_from_env (void)
{
  static const struct { const char *value; guint seconds; } cases[] = {
    { NULL, 15 }, { "7", 7 }, { "600", 600 }, { "601", 15 }, { "0", 15 }, { " 7", 15 },
    { "7 ", 15 }, { "seven", 15 }, { "", 15 },
  };
  g_autofree char *saved = g_strdup (g_getenv ("CONNECT_HUB_TIMEOUT"));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(HubVerifier) verifier = NULL;

      if (cases[i].value != NULL)
        g_setenv ("CONNECT_HUB_TIMEOUT", cases[i].value, TRUE);
      else
        g_unsetenv ("CONNECT_HUB_TIMEOUT");
      verifier = hub_verifier_new ();
      g_assert_cmpuint (hub_verifier_get_timeout (verifier), ==, cases[i].seconds);
    }
  if (saved != NULL)
    g_setenv ("CONNECT_HUB_TIMEOUT", saved, TRUE);
  else
    g_unsetenv ("CONNECT_HUB_TIMEOUT");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  log_lines = g_ptr_array_new_with_free_func (g_free);
  g_log_set_writer_func (record_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);
  g_log_set_default_handler (record_handler, NULL);

  g_test_add_func ("/hub/verifier/map/status", test_status_mapping);
  g_test_add_func ("/hub/verifier/map/transport", test_transport_mapping);
  g_test_add_func ("/hub/verifier/map/retry-after", test_retry_after_parse);
  g_test_add_func ("/hub/verifier/config/parse-timeout", test_parse_timeout);
  g_test_add_func ("/hub/verifier/map/http2-retry", test_http2_retry);
  g_test_add_func ("/hub/verifier/config/timeout-from-env", test_timeout_from_env);
  g_test_add_func ("/hub/verifier/recipe/escapes-captures", test_recipe_escapes_captures);
  g_test_add_func ("/hub/verifier/recipe/permission", test_recipe_permission);
  g_test_add_func ("/hub/verifier/recipe/details-redacted", test_recipe_details_redacted);

  for (int i = 0; i < N_PROVIDERS; i++)
    {
      g_autofree char *good = g_strdup_printf ("/hub/verifier/%s/good", provider_ids[i]);
      g_autofree char *rejected = g_strdup_printf ("/hub/verifier/%s/rejected", provider_ids[i]);

      g_test_add (good, Fixture, GINT_TO_POINTER (i), fixture_setup, test_good, fixture_teardown);
      g_test_add (rejected, Fixture, GINT_TO_POINTER (i), fixture_setup, test_rejected,
                  fixture_teardown);
    }
  g_test_add ("/hub/verifier/leapsome/bad-token-answer", Fixture, NULL, fixture_setup,
              test_bad_token_answer, fixture_teardown);
  g_test_add ("/hub/verifier/leapsome/details", Fixture, NULL, fixture_setup,
              test_leapsome_details, fixture_teardown);
  g_test_add ("/hub/verifier/humaans/details", Fixture, NULL, fixture_setup,
              test_humaans_details_template, fixture_teardown);
  g_test_add ("/hub/verifier/humaans/no-token-info", Fixture, NULL, fixture_setup,
              test_humaans_no_token_info, fixture_teardown);
  g_test_add ("/hub/verifier/humaans/missing-scopes", Fixture, NULL, fixture_setup,
              test_humaans_missing_scopes, fixture_teardown);

  for (gsize c = 0; c < G_N_ELEMENTS (fault_cases); c++)
    {
      g_autofree char *path = g_strdup_printf ("/hub/verifier/fault/%s",
                                               hub_emu_fault_to_string (fault_cases[c].fault));

      g_test_add (path, Fixture, &fault_cases[c], fixture_setup, test_fault, fixture_teardown);
    }
  g_test_add ("/hub/verifier/fault/retry-after-forms", Fixture, NULL, fixture_setup,
              test_retry_after_forms, fixture_teardown);
  g_test_add ("/hub/verifier/fault/huge-number", Fixture, NULL, fixture_setup,
              test_huge_number, fixture_teardown);
  g_test_add ("/hub/verifier/deadline/overall", Fixture, NULL, fixture_setup,
              test_overall_deadline, fixture_teardown);
  g_test_add ("/hub/verifier/deadline/overall-fits", Fixture, NULL, fixture_setup,
              test_overall_deadline_fits, fixture_teardown);

  g_test_add ("/hub/verifier/invalid-input", Fixture, NULL, fixture_setup,
              test_invalid_input, fixture_teardown);
  g_test_add ("/hub/verifier/config/override-refused", Fixture, NULL, fixture_setup,
              test_override_refused, fixture_teardown);
  g_test_add ("/hub/verifier/config/resolve-base-url", Fixture, NULL, fixture_setup,
              test_resolve_base_url, fixture_teardown);
  g_test_add ("/hub/verifier/transport/connection-refused", Fixture, NULL, fixture_setup,
              test_connection_refused, fixture_teardown);
  g_test_add ("/hub/verifier/transport/tls-self-signed", Fixture, NULL, fixture_setup,
              test_tls_self_signed, fixture_teardown);
  g_test_add ("/hub/verifier/cancel/midway", Fixture, NULL, fixture_setup,
              test_cancel_midway, fixture_teardown);
  g_test_add ("/hub/verifier/cancel/before-answer", Fixture, NULL, fixture_setup,
              test_cancel_before_answer, fixture_teardown);
  g_test_add ("/hub/verifier/cancel/destroy-while-running", Fixture, NULL, fixture_setup,
              test_destroy_while_running, fixture_teardown);

  return g_test_run ();
}
