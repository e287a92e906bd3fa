/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-verify"

#include "config.h"

#include <malloc.h>
#include <libsoup/soup.h>
#include <string.h>

#include "hub-auth.h"
#include "hub-catalog.h"
#include "hub-emulator.h"
#include "hub-verifier.h"

#include "bench.h"

/* A verification round trip per provider against the in-process emulator
 * (real HTTP on 127.0.0.1; the emulator serves on the same thread, so its
 * cost is in both numbers), against a baseline of bare SoupSession GETs of
 * the same endpoints with the same credentials: what the recipe engine, the
 * deadline, the body cap and safe JSON add on top of HTTP.
 *
 * verify-heap-200 / verify-rss-200: memory after 200 verifications (all
 * five providers in turn) against after 20; ~1.0 means nothing grows.
 * verify-heap-2000 tells a leak (grows with the count) from warm caches. */

#define N_PROVIDERS 5

typedef struct
{
  const char *id;
  const char *fields[5];        /* field id, value, … NULL */
  const char *paths[4];         /* the recipe's requests, NULL-terminated */
} ProviderSpec;

static const ProviderSpec specs[N_PROVIDERS] = {
  { "humaans", { "api_token", HUB_EMU_HUMAANS_TOKEN, NULL },
    { "/token-info", "/me", "/companies/" HUB_EMU_HUMAANS_COMPANY_ID, NULL } },
  { "leapsome", { "secret", HUB_EMU_LEAPSOME_SECRET, NULL },
    { "/token?secret=" HUB_EMU_LEAPSOME_SECRET, "/employees?pageSize=1", NULL } },
  { "sesame", { "api_token", HUB_EMU_SESAME_TOKEN, "region", HUB_EMU_SESAME_REGION, NULL },
    { "/core/v3/info", NULL } },
  { "smartrecruiters", { "api_key", HUB_EMU_SMARTRECRUITERS_KEY, NULL },
    { "/users/me", "/configuration/company", NULL } },
  { "unleashed", { "api_id", HUB_EMU_UNLEASHED_API_ID, "api_key", HUB_EMU_UNLEASHED_API_KEY, NULL },
    { "/Companies", NULL } },
};

typedef struct
{
  HubEmulator    *emu;
  HubVerifier    *verifier;
  SoupSession    *session;
  guint           spec;       /* index into specs, or the next one for "all" cases */
  gboolean        all;
} State;

static State *
state_new (void)
{
  State *state = g_new0 (State, 1);

  state->emu = hub_emulator_new ();
  hub_emulator_setenv (state->emu);
  state->verifier = hub_verifier_new ();
  state->session = soup_session_new ();
  return state;
}

static void
teardown (gpointer data)
{
  State *state = data;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&state->session);
  g_clear_object (&state->verifier);
  g_clear_pointer (&state->emu, hub_emulator_free);
  g_free (state);
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HubVerifyResult) verified = NULL;

  verified = hub_verifier_verify_finish (HUB_VERIFIER (object), result, &error);
  if (verified == NULL)
    g_error ("verification failed: %s", error->message);
  *done = TRUE;
}

static void
verify_one (State             *state,
            const ProviderSpec *spec)
{
  HubProvider *provider = hub_catalog_lookup (hub_catalog_get_default (), spec->id);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean done = FALSE;

  for (guint i = 0; spec->fields[i] != NULL; i += 2)
    g_hash_table_insert (values, (gpointer) spec->fields[i], (gpointer) spec->fields[i + 1]);
  hub_verifier_verify_async (state->verifier, provider, values, NULL, verify_cb, &done);
  hub_bench_wait (&done);
}

static void
add_auth (const ProviderSpec *spec,
          SoupMessage        *message)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  if (g_str_equal (spec->id, "humaans"))
    soup_message_headers_replace (headers, "Authorization", "Bearer " HUB_EMU_HUMAANS_TOKEN);
  else if (g_str_equal (spec->id, "sesame"))
    soup_message_headers_replace (headers, "Authorization", "Bearer " HUB_EMU_SESAME_TOKEN);
  else if (g_str_equal (spec->id, "leapsome"))
    soup_message_headers_replace (headers, "Authorization", "Bearer " HUB_EMU_LEAPSOME_JWT);
  else if (g_str_equal (spec->id, "smartrecruiters"))
    soup_message_headers_replace (headers, "X-SmartToken", HUB_EMU_SMARTRECRUITERS_KEY);
  else
    {
      g_autofree char *signature = hub_auth_hmac_signature (HUB_EMU_UNLEASHED_API_KEY, "");

      soup_message_headers_replace (headers, "api-auth-id", HUB_EMU_UNLEASHED_API_ID);
      soup_message_headers_replace (headers, "api-auth-signature", signature);
      soup_message_headers_replace (headers, "client-type", "connecthub/connecthub");
      soup_message_headers_replace (headers, "Accept", "application/json");
    }
}

typedef struct
{
  GBytes   *body;
  GError   *error;
  gboolean  done;
} Fetch;

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &fetch->error);
  fetch->done = TRUE;
}

/* The baseline: the same requests with a bare session, body read whole. */
static void
get_one (State             *state,
         const ProviderSpec *spec)
{
  const char *base = hub_emulator_get_base_url (state->emu, spec->id);

  for (guint i = 0; spec->paths[i] != NULL; i++)
    {
      g_autofree char *url = g_strconcat (base, spec->paths[i], NULL);
      g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
      Fetch fetch = { NULL, NULL, FALSE };

      add_auth (spec, message);
      soup_session_send_and_read_async (state->session, message, G_PRIORITY_DEFAULT, NULL,
                                        fetched_cb, &fetch);
      hub_bench_wait (&fetch.done);
      if (fetch.error != NULL)
        g_error ("GET %s: %s", spec->paths[i], fetch.error->message);
      if (soup_message_get_status (message) != SOUP_STATUS_OK)
        g_error ("GET %s: status %u", spec->paths[i], soup_message_get_status (message));
      g_bytes_unref (fetch.body);
    }
}

/* The baseline is only fair if it makes the requests the recipe makes. */
static void
check_same_requests (State *state)
{
  const ProviderSpec *spec = &specs[state->spec];
  guint verify_hits;
  guint get_hits;

  hub_emulator_reset_counters (state->emu);
  verify_one (state, spec);
  verify_hits = hub_emulator_get_hits (state->emu, spec->id);
  hub_emulator_reset_counters (state->emu);
  get_one (state, spec);
  get_hits = hub_emulator_get_hits (state->emu, spec->id);
  if (verify_hits != get_hits)
    g_error ("%s: the verifier made %u requests, the baseline %u", spec->id, verify_hits,
             get_hits);
}

#define SETUP(index, name) \
  static gpointer setup_##name (void) \
  { \
    State *s = state_new (); \
    s->spec = index; \
    check_same_requests (s); \
    return s; \
  }
SETUP (0, humaans)
SETUP (1, leapsome)
SETUP (2, sesame)
SETUP (3, smartrecruiters)
SETUP (4, unleashed)

static void
run_verify (gpointer data)
{
  State *state = data;

  verify_one (state, &specs[state->spec]);
}

static void
run_get (gpointer data)
{
  State *state = data;

  get_one (state, &specs[state->spec]);
}

/* ---- memory over many verifications ------------------------------------- */

static gpointer
setup_memory (void)
{
  return state_new ();
}

static double
heap_kib (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (double) info.uordblks / 1024.0;
}

static double
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL) ||
      (line = strstr (status, "VmRSS:")) == NULL)
    return 0;
  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL);
}

/* Memory after @n verifications against after @n / 10. */
static double
measure_memory (State   *state,
                double (*probe) (void),
                guint    n,
                double  *baseline_value)
{
  for (guint i = 0; i < n / 10; i++)
    verify_one (state, &specs[i % N_PROVIDERS]);
  *baseline_value = probe ();
  for (guint i = n / 10; i < n; i++)
    verify_one (state, &specs[i % N_PROVIDERS]);
  return probe ();
}

static double
measure_heap (gpointer data,
              double  *baseline_value)
{
  return measure_memory (data, heap_kib, 200, baseline_value);
}

static double
measure_rss (gpointer data,
             double  *baseline_value)
{
  return measure_memory (data, rss_kib, 200, baseline_value);
}

static double
measure_heap_2000 (gpointer data,
                   double  *baseline_value)
{
  return measure_memory (data, heap_kib, 2000, baseline_value);
}

#define PROVIDER_CASES(name) \
  { "get-" #name, NULL, setup_##name, run_get, NULL, NULL, NULL, teardown }, \
  { "verify-" #name, "get-" #name, setup_##name, run_verify, NULL, NULL, NULL, teardown }

static const HubBenchCase cases[] = {
  PROVIDER_CASES (humaans),
  PROVIDER_CASES (leapsome),
  PROVIDER_CASES (sesame),
  PROVIDER_CASES (smartrecruiters),
  PROVIDER_CASES (unleashed),
  { "verify-heap-200", NULL, setup_memory, NULL, measure_heap, "KiB in use",
    "after 20", teardown },
  { "verify-rss-200", NULL, setup_memory, NULL, measure_rss, "KiB RSS", "after 20", teardown },
  { "verify-heap-2000", NULL, setup_memory, NULL, measure_heap_2000, "KiB in use", "after 200",
    teardown },
};

int
main (int   argc,
      char *argv[])
{
  return hub_bench_main (argc, argv, cases, G_N_ELEMENTS (cases));
}
