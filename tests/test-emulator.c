/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-emulator"

#include "config.h"

#include <signal.h>
#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "hub-emulator.h"

/* Self-tests of the provider emulator, driven by a plain SoupSession. */

#define WAIT_LIMIT_S 10

static const char * const providers[] = {
  "leapsome", "unleashed", "sesame", "smartrecruiters", "humaans",
};

typedef struct
{
  HubEmulator *emu;
  SoupSession *session;
} Fixture;

/* Every log message of this process is searched for the test credentials. */
static const char * const canaries[] = {
  HUB_EMU_LEAPSOME_SECRET,
  HUB_EMU_LEAPSOME_JWT,
  HUB_EMU_UNLEASHED_API_KEY,
  "mh/Mp+NmPwQ64LL9q2V/zpElo8sc6iqfTx+gRu7cMHs=",   /* its signature over "" */
  HUB_EMU_SESAME_TOKEN,
  HUB_EMU_SMARTRECRUITERS_KEY,
  HUB_EMU_HUMAANS_TOKEN,
  "canary-self-test-5b1d",   /* logged on purpose by test_log_canary */
};
static guint n_messages_seen;
static gboolean credential_logged;

static GLogWriterOutput
canary_writer (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      g_autofree char *text = NULL;

      if (g_strcmp0 (fields[i].key, "MESSAGE") != 0 || fields[i].value == NULL)
        continue;
      text = fields[i].length < 0 ? g_strdup (fields[i].value)
                                  : g_strndup (fields[i].value, (gsize) fields[i].length);
      n_messages_seen++;
      for (guint k = 0; k < G_N_ELEMENTS (canaries); k++)
        if (strstr (text, canaries[k]) != NULL)
          credential_logged = TRUE;
    }

  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->emu = hub_emulator_new ();
  f->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_pointer (&f->emu, hub_emulator_free);
  g_assert_false (credential_logged);
}

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the thread-default context until *@done or @seconds pass.
 * Returns whether *@done became TRUE. */
static gboolean
wait_for (gboolean *done,
          guint     seconds)
{
  gboolean expired = FALSE;
  GSource *timer = g_timeout_source_new_seconds (seconds);

  g_source_set_callback (timer, deadline_cb, &expired, NULL);
  g_source_attach (timer, g_main_context_get_thread_default ());
  while (!*done && !expired)
    g_main_context_iteration (g_main_context_get_thread_default (), TRUE);
  g_source_destroy (timer);
  g_source_unref (timer);

  return *done;
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Waiter;

static void
waiter_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *w = user_data;

  w->result = g_object_ref (result);
  w->done = TRUE;
}

/* GET @url with header pairs @headers (name, value, …, NULL).
 * Returns the body; *@out_msg gets the message. */
static GBytes *
fetch_full (Fixture           *f,
            const char        *url,
            SoupMessageFlags   flags,
            SoupMessage      **out_msg,
            const char        *first_header,
            ...)
{
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  Waiter w = { 0 };
  GBytes *body;
  va_list ap;

  g_assert_nonnull (msg);
  soup_message_set_flags (msg, flags);
  va_start (ap, first_header);
  for (const char *name = first_header; name != NULL; name = va_arg (ap, const char *))
    {
      const char *value = va_arg (ap, const char *);

      soup_message_headers_append (soup_message_get_request_headers (msg), name, value);
    }
  va_end (ap);

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, waiter_cb, &w);
  g_assert_true (wait_for (&w.done, WAIT_LIMIT_S));
  body = soup_session_send_and_read_finish (f->session, w.result, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_nonnull (body);

  if (out_msg != NULL)
    *out_msg = g_steal_pointer (&msg);

  return body;
}

#define fetch(f, url, out_msg, ...) fetch_full (f, url, 0, out_msg, __VA_ARGS__)

static char *
url_for (Fixture    *f,
         const char *provider,
         const char *rest)
{
  return g_strconcat (hub_emulator_get_base_url (f->emu, provider), rest, NULL);
}

static JsonNode *
parse_json (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));

  return json_node_copy (json_parser_get_root (parser));
}

/* The string at a JSONPath-like dotted @path ("data.company.name", "Items.0.Guid"). */
static const char *
lookup (JsonNode   *root,
        const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint index = (guint) g_ascii_strtoull (parts[i], NULL, 10);

          g_assert_cmpuint (index, <, json_array_get_length (array));
          node = json_array_get_element (array, index);
        }
      else
        {
          g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
          node = json_object_get_member (json_node_get_object (node), parts[i]);
          g_assert_nonnull (node);
        }
    }

  return json_node_get_string (node);
}

static JsonNode *
lookup_node (JsonNode   *root,
             const char *member)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_get_member (json_node_get_object (root), member);
}

static char *
sign (const char *key,
      const char *message)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) key, strlen (key));
  guint8 digest[32];
  gsize len = sizeof digest;

  g_hmac_update (hmac, (const guchar *) message, strlen (message));
  g_hmac_get_digest (hmac, digest, &len);

  return g_base64_encode (digest, len);
}

/* tests: names and URLs */

static void
test_fault_names (void)
{
  for (int i = 0; i < HUB_EMU_N_FAULTS; i++)
    {
      const char *name = hub_emu_fault_to_string (i);

      g_assert_nonnull (name);
      g_assert_cmpint (hub_emu_fault_from_string (name), ==, i);
    }
  g_assert_cmpint (hub_emu_fault_from_string ("401"), ==, HUB_EMU_FAULT_401);
  g_assert_cmpint (hub_emu_fault_from_string ("stall"), ==, HUB_EMU_FAULT_STALL);
  g_assert_cmpint (hub_emu_fault_from_string ("malformed_json"), ==, HUB_EMU_FAULT_MALFORMED_JSON);
  g_assert_cmpint (hub_emu_fault_from_string ("OVERSIZED_GZIP"), ==, HUB_EMU_FAULT_OVERSIZED_GZIP);
  g_assert_cmpint (hub_emu_fault_from_string ("no-such-fault"), ==, HUB_EMU_N_FAULTS);
  g_assert_cmpint (hub_emu_fault_from_string (""), ==, HUB_EMU_N_FAULTS);
  g_assert_cmpint (hub_emu_fault_from_string (NULL), ==, HUB_EMU_N_FAULTS);
}

static void
test_urls (Fixture       *f,
           gconstpointer  data)
{
  const char *url = hub_emulator_get_url (f->emu);
  guint64 port = 0;

  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_ascii_string_to_unsigned (url + strlen ("http://127.0.0.1:"), 10, 1, 65535,
                                             &port, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      g_autofree char *expected = g_strdup_printf ("%s/%s", url, providers[i]);
      g_autofree char *upper = g_ascii_strup (providers[i], -1);
      g_autofree char *var = g_strconcat ("CONNECT_HUB_BASE_URL_", upper, NULL);

      g_assert_cmpstr (hub_emulator_get_base_url (f->emu, providers[i]), ==, expected);
      g_unsetenv (var);
      hub_emulator_setenv (f->emu);
      g_assert_cmpstr (g_getenv (var), ==, expected);
    }
}

/* tests: providers with good and bad credentials */

static void
test_leapsome (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *token_url = url_for (f, "leapsome", "/token?secret=" HUB_EMU_LEAPSOME_SECRET);
  g_autofree char *bad_url = url_for (f, "leapsome", "/token?secret=LSwrongSecret");
  g_autofree char *none_url = url_for (f, "leapsome", "/token");
  g_autofree char *employees_url = url_for (f, "leapsome", "/employees?pageSize=1");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonNode *meta;

  body = fetch (f, token_url, &msg, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = parse_json (body);
  g_assert_cmpstr (lookup (root, "token"), ==, HUB_EMU_LEAPSOME_JWT);
  g_assert_cmpint (json_node_get_int (lookup_node (root, "expiresIn")), ==, 18000);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  body = fetch (f, employees_url, &msg, "Authorization", "Bearer " HUB_EMU_LEAPSOME_JWT, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = parse_json (body);
  g_assert_cmpstr (lookup (root, "data.0.email"), ==, HUB_EMU_LEAPSOME_EMAIL);
  meta = lookup_node (root, "meta");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (meta), "totalCount"), ==,
                   HUB_EMU_LEAPSOME_TOTAL);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (meta), "pageSize"), ==, 1);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  /* A wrong or missing secret, and the secret itself used as the bearer. */
  body = fetch (f, bad_url, &msg, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  root = parse_json (body);
  g_assert_nonnull (lookup (root, "message"));
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  body = fetch (f, none_url, &msg, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);

  body = fetch (f, employees_url, &msg, "Authorization", "Bearer " HUB_EMU_LEAPSOME_SECRET, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);

  g_assert_cmpuint (hub_emulator_get_hits (f->emu, "leapsome"), ==, 5);
  g_assert_cmpuint (hub_emulator_get_hits (f->emu, NULL), ==, 5);
  g_assert_cmpuint (hub_emulator_get_hits (f->emu, "humaans"), ==, 0);
}

typedef struct
{
  const char *query;        /* NULL: none */
  const char *signature;    /* NULL: computed here */
  guint       status;
} UnleashedCase;

static void
test_unleashed_signature (Fixture       *f,
                          gconstpointer  data)
{
  /* Vectors from docs/provider-apis.md for the made-up key. */
  static const UnleashedCase cases[] = {
    { NULL, "mh/Mp+NmPwQ64LL9q2V/zpElo8sc6iqfTx+gRu7cMHs=", 200 },
    { "pageSize=1", "Y/BwjnEyFsU0NY+7kBE+Vs2Tj6Iz/VzyO8VyLW+NooI=", 200 },
    { "customerCode=ACME", "OOcYafmTx4mlxKoMYFbpnWaLnNAtw7eDvVdLrcgYQWM=", 200 },
    { "customerCode=ACME&pageSize=1", "rTUL/F0jSKVFhr0BLle5Gqpsd1BsmfZPaHE7F8DVbxk=", 200 },
    /* Signed with the '?', hex instead of Base64, "" while sending a query. */
    { "pageSize=1", "3cc9EeB/XRHNPIQkNV5vwPUMufc5TIKzuIl5xft5P2o=", 403 },
    { "pageSize=1", "63f0708e713216c534358fbb90113e56cd938fa233fd5cf23bc5722d6f8da282", 403 },
    { "pageSize=1", "mh/Mp+NmPwQ64LL9q2V/zpElo8sc6iqfTx+gRu7cMHs=", 403 },
    { NULL, "", 403 },
  };

  /* The HMAC as this test computes it agrees with the published vectors. */
  {
    g_autofree char *fox = sign ("key", "The quick brown fox jumps over the lazy dog");
    g_autofree char *empty = sign (HUB_EMU_UNLEASHED_API_KEY, "");

    g_assert_cmpstr (fox, ==, "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
    g_assert_cmpstr (empty, ==, "mh/Mp+NmPwQ64LL9q2V/zpElo8sc6iqfTx+gRu7cMHs=");
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = NULL;
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) root = NULL;

      url = url_for (f, "unleashed", cases[i].query != NULL ? "/Companies?" : "/Companies");
      if (cases[i].query != NULL)
        {
          char *tmp = g_strconcat (url, cases[i].query, NULL);

          g_free (url);
          url = tmp;
        }

      body = fetch (f, url, &msg,
                    "Accept", "application/json",
                    "client-type", "connecthub/connecthub",
                    "api-auth-id", HUB_EMU_UNLEASHED_API_ID,
                    "api-auth-signature", cases[i].signature,
                    NULL);
      g_test_message ("case %u: status %u", i, soup_message_get_status (msg));
      g_assert_cmpuint (soup_message_get_status (msg), ==, cases[i].status);
      root = parse_json (body);
      if (cases[i].status == 200)
        {
          g_assert_cmpstr (lookup (root, "Items.0.CompanyName"), ==, HUB_EMU_UNLEASHED_COMPANY);
          g_assert_cmpstr (lookup (root, "Items.0.BaseCurrencyCode"), ==, HUB_EMU_UNLEASHED_CURRENCY);
          g_assert_nonnull (lookup (root, "Items.0.Guid"));
        }
      else
        {
          g_assert_true (g_str_has_prefix (lookup (root, "description"), "(403) Forbidden.: "));
        }
    }
}

static void
test_unleashed_headers (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *companies = url_for (f, "unleashed", "/Companies");
  g_autofree char *currencies = url_for (f, "unleashed", "/Currencies");
  g_autofree char *good = sign (HUB_EMU_UNLEASHED_API_KEY, "");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;

  /* Wrong API id: 403 even with the right key. */
  body = fetch (f, companies, &msg, "Accept", "application/json", "client-type", "t/t",
                "api-auth-id", "00000000-0000-0000-0000-000000000000",
                "api-auth-signature", good, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 403);
  root = parse_json (body);
  g_assert_true (g_str_has_prefix (lookup (root, "description"), "(403) Forbidden.: "));
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  /* No client-type: 400. */
  body = fetch (f, companies, &msg, "Accept", "application/json",
                "api-auth-id", HUB_EMU_UNLEASHED_API_ID, "api-auth-signature", good, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 400);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);

  /* No Accept JSON: XML. */
  body = fetch (f, companies, &msg, "client-type", "t/t",
                "api-auth-id", HUB_EMU_UNLEASHED_API_ID, "api-auth-signature", good, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (
                                     soup_message_get_response_headers (msg), NULL),
                                   "application/xml"));
  g_assert_cmpint (((const char *) g_bytes_get_data (body, NULL))[0], ==, '<');
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);

  /* Currencies, signed over "". */
  body = fetch (f, currencies, &msg, "Accept", "application/json", "client-type", "t/t",
                "api-auth-id", HUB_EMU_UNLEASHED_API_ID, "api-auth-signature", good, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = parse_json (body);
  g_assert_cmpstr (lookup (root, "Items.0.CurrencyCode"), ==, HUB_EMU_UNLEASHED_CURRENCY);
}

static void
test_sesame (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *url = url_for (f, "sesame", "/core/v3/info");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;

  body = fetch (f, url, &msg, "Authorization", "Bearer " HUB_EMU_SESAME_TOKEN, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = parse_json (body);
  g_assert_cmpstr (lookup (root, "data.company.name"), ==, HUB_EMU_SESAME_COMPANY);
  g_assert_cmpstr (lookup (root, "data.company.language"), ==, "en-GB");
  g_assert_nonnull (lookup (root, "data.company.id"));
  g_assert_nonnull (lookup (root, "data.company.notificationEmail"));
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);

  body = fetch (f, url, &msg, "Authorization", "Bearer wrong-token", NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);

  body = fetch (f, url, &msg, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
}

static void
test_smartrecruiters (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *me = url_for (f, "smartrecruiters", "/users/me");
  g_autofree char *company = url_for (f, "smartrecruiters", "/configuration/company");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;

  body = fetch (f, me, &msg, "X-SmartToken", HUB_EMU_SMARTRECRUITERS_KEY, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = parse_json (body);
  g_assert_cmpstr (lookup (root, "email"), ==, HUB_EMU_SMARTRECRUITERS_EMAIL);
  g_assert_cmpstr (lookup (root, "systemRole.id"), ==, "ADMINISTRATOR");
  g_assert_true (json_node_get_boolean (lookup_node (root, "active")));
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  body = fetch (f, company, &msg, "X-SmartToken", HUB_EMU_SMARTRECRUITERS_KEY, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = parse_json (body);
  g_assert_cmpstr (lookup (root, "name"), ==, HUB_EMU_SMARTRECRUITERS_COMPANY);
  g_assert_cmpstr (lookup (root, "identifier"), ==, "SmartExample");
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  /* The key as a bearer token is not the SmartRecruiters way. */
  body = fetch (f, me, &msg, "Authorization", "Bearer " HUB_EMU_SMARTRECRUITERS_KEY, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  root = parse_json (body);
  g_assert_nonnull (lookup (root, "message"));
  g_assert_nonnull (lookup (root, "errors.0.message"));
}

static void
test_humaans (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *info = url_for (f, "humaans", "/token-info");
  g_autofree char *me = url_for (f, "humaans", "/me");
  g_autofree char *company = NULL;
  g_autofree char *other = url_for (f, "humaans", "/companies/cmp_other");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *scopes;

  body = fetch (f, info, &msg, "Authorization", "Bearer " HUB_EMU_HUMAANS_TOKEN, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = parse_json (body);
  g_assert_nonnull (lookup (root, "personId"));
  scopes = json_node_get_array (lookup_node (root, "scopes"));
  g_assert_cmpuint (json_array_get_length (scopes), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (scopes, 0), ==, "public:read");
  g_assert_cmpstr (json_array_get_string_element (scopes, 1), ==, "private:read");
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  /* The chain: /me gives the company id that /companies/{id} takes. */
  body = fetch (f, me, &msg, "Authorization", "Bearer " HUB_EMU_HUMAANS_TOKEN, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = parse_json (body);
  g_assert_cmpstr (lookup (root, "email"), ==, HUB_EMU_HUMAANS_EMAIL);
  g_assert_cmpstr (lookup (root, "companyId"), ==, HUB_EMU_HUMAANS_COMPANY_ID);
  company = url_for (f, "humaans", "/companies/");
  {
    char *tmp = g_strconcat (company, lookup (root, "companyId"), NULL);

    g_free (company);
    company = tmp;
  }
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  body = fetch (f, company, &msg, "Authorization", "Bearer " HUB_EMU_HUMAANS_TOKEN, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  root = parse_json (body);
  g_assert_cmpstr (lookup (root, "name"), ==, HUB_EMU_HUMAANS_COMPANY);
  g_assert_cmpstr (lookup (root, "id"), ==, HUB_EMU_HUMAANS_COMPANY_ID);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  body = fetch (f, other, &msg, "Authorization", "Bearer " HUB_EMU_HUMAANS_TOKEN, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);

  body = fetch (f, me, &msg, "Authorization", "Bearer not-the-token", NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
  root = parse_json (body);
  g_assert_cmpstr (lookup (root, "code"), ==, "Unauthorized");
  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);

  g_assert_cmpuint (hub_emulator_get_hits (f->emu, "humaans"), ==, 5);
}

/* tests: faults */

/* A request per provider that succeeds without a fault. */
static SoupMessage *
good_message (Fixture    *f,
              const char *provider)
{
  g_autofree char *url = NULL;
  SoupMessage *msg;
  SoupMessageHeaders *h;

  if (g_str_equal (provider, "leapsome"))
    url = url_for (f, provider, "/token?secret=" HUB_EMU_LEAPSOME_SECRET);
  else if (g_str_equal (provider, "unleashed"))
    url = url_for (f, provider, "/Companies");
  else if (g_str_equal (provider, "sesame"))
    url = url_for (f, provider, "/core/v3/info");
  else if (g_str_equal (provider, "smartrecruiters"))
    url = url_for (f, provider, "/users/me");
  else
    url = url_for (f, provider, "/me");

  msg = soup_message_new ("GET", url);
  h = soup_message_get_request_headers (msg);
  if (g_str_equal (provider, "unleashed"))
    {
      g_autofree char *signature = sign (HUB_EMU_UNLEASHED_API_KEY, "");

      soup_message_headers_append (h, "Accept", "application/json");
      soup_message_headers_append (h, "client-type", "connecthub/connecthub");
      soup_message_headers_append (h, "api-auth-id", HUB_EMU_UNLEASHED_API_ID);
      soup_message_headers_append (h, "api-auth-signature", signature);
    }
  else if (g_str_equal (provider, "sesame"))
    soup_message_headers_append (h, "Authorization", "Bearer " HUB_EMU_SESAME_TOKEN);
  else if (g_str_equal (provider, "smartrecruiters"))
    soup_message_headers_append (h, "X-SmartToken", HUB_EMU_SMARTRECRUITERS_KEY);
  else if (g_str_equal (provider, "humaans"))
    soup_message_headers_append (h, "Authorization", "Bearer " HUB_EMU_HUMAANS_TOKEN);

  return msg;
}

static GBytes *
send_message (Fixture     *f,
              SoupMessage *msg)
{
  g_autoptr(GError) error = NULL;
  Waiter w = { 0 };
  GBytes *body;

  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, waiter_cb, &w);
  g_assert_true (wait_for (&w.done, WAIT_LIMIT_S));
  body = soup_session_send_and_read_finish (f->session, w.result, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);

  return body;
}

static void
test_good_all (Fixture       *f,
               gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      g_autoptr(SoupMessage) msg = good_message (f, providers[i]);
      g_autoptr(GBytes) body = send_message (f, msg);
      g_autoptr(JsonNode) root = parse_json (body);

      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_assert_cmpuint (hub_emulator_get_hits (f->emu, providers[i]), ==, 1);
    }
  g_assert_cmpuint (hub_emulator_get_hits (f->emu, NULL), ==, G_N_ELEMENTS (providers));
}

static void
test_fault_status (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { HubEmuFault fault; guint status; } faults[] = {
    { HUB_EMU_FAULT_401, 401 },
    { HUB_EMU_FAULT_403, 403 },
    { HUB_EMU_FAULT_429, 429 },
    { HUB_EMU_FAULT_500, 500 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    for (guint j = 0; j < G_N_ELEMENTS (faults); j++)
      {
        g_autoptr(SoupMessage) msg = NULL;
        g_autoptr(GBytes) body = NULL;
        g_autoptr(JsonNode) root = NULL;
        const char *retry_after;

        hub_emulator_set_fault (f->emu, providers[i], faults[j].fault);
        msg = good_message (f, providers[i]);
        body = send_message (f, msg);
        g_assert_cmpuint (soup_message_get_status (msg), ==, faults[j].status);
        root = parse_json (body);   /* an error body in the provider's shape */
        g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
        retry_after = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
        if (faults[j].fault == HUB_EMU_FAULT_429)
          g_assert_cmpstr (retry_after, ==, "120");
        else
          g_assert_null (retry_after);

        /* Only the chosen provider is affected. */
        for (guint k = 0; k < G_N_ELEMENTS (providers); k++)
          if (k != i)
            {
              g_autoptr(SoupMessage) other = good_message (f, providers[k]);
              g_autoptr(GBytes) other_body = send_message (f, other);

              g_assert_cmpuint (soup_message_get_status (other), ==, 200);
            }
        hub_emulator_set_fault (f->emu, providers[i], HUB_EMU_FAULT_NONE);
      }

  /* NULL sets every provider; the Retry-After value is ours to choose. */
  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_429);
  hub_emulator_set_retry_after (f->emu, "Fri, 27 Nov 2026 12:00:00 GMT");
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      g_autoptr(SoupMessage) msg = good_message (f, providers[i]);
      g_autoptr(GBytes) body = send_message (f, msg);

      g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
      g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "Retry-After"),
                       ==, "Fri, 27 Nov 2026 12:00:00 GMT");
    }
  hub_emulator_set_retry_after (f->emu, "garbage");
  {
    g_autoptr(SoupMessage) msg = good_message (f, "sesame");
    g_autoptr(GBytes) body = send_message (f, msg);

    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Retry-After"), ==, "garbage");
  }

  hub_emulator_reset_counters (f->emu);
  g_assert_cmpuint (hub_emulator_get_hits (f->emu, NULL), ==, 0);
}

/* The body of a fault-free answer to good_message(). */
static GBytes *
good_body (Fixture    *f,
           const char *provider)
{
  g_autoptr(SoupMessage) msg = good_message (f, provider);
  GBytes *body = send_message (f, msg);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return body;
}

static void
test_fault_bodies (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    {
      const char *p = providers[i];

      g_test_message ("provider %s", p);

      hub_emulator_set_fault (f->emu, p, HUB_EMU_FAULT_MALFORMED_JSON);
      {
        g_autoptr(GBytes) body = good_body (f, p);

        g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                         "{\"Items\": [", strlen ("{\"Items\": ["));
      }

      hub_emulator_set_fault (f->emu, p, HUB_EMU_FAULT_HTML);
      {
        g_autoptr(SoupMessage) msg = good_message (f, p);
        g_autoptr(GBytes) body = send_message (f, msg);
        g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

        g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
        g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                                NULL), ==, "text/html");
        g_assert_true (g_str_has_prefix (text, "<!DOCTYPE html>"));
      }

      hub_emulator_set_fault (f->emu, p, HUB_EMU_FAULT_EMPTY);
      {
        g_autoptr(GBytes) body = good_body (f, p);

        g_assert_cmpuint (g_bytes_get_size (body), ==, 0);
      }

      hub_emulator_set_fault (f->emu, p, HUB_EMU_FAULT_NULL);
      {
        g_autoptr(GBytes) body = good_body (f, p);

        g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "null", 4);
      }

      hub_emulator_set_fault (f->emu, p, HUB_EMU_FAULT_DEEP_JSON);
      {
        g_autoptr(GBytes) body = good_body (f, p);
        gsize len;
        const char *bytes = g_bytes_get_data (body, &len);

        g_assert_cmpuint (len, ==, 100000);
        for (gsize k = 0; k < len; k++)
          if (bytes[k] != '[')
            g_assert_not_reached ();
      }

      /* Leapsome's token step stays valid (see test_fault_identity). */
      hub_emulator_set_fault (f->emu, p, HUB_EMU_FAULT_BAD_UTF8);
      if (!g_str_equal (p, "leapsome"))
        {
          g_autoptr(GBytes) body = good_body (f, p);
          gsize len;
          const char *bytes = g_bytes_get_data (body, &len);

          g_assert_cmpuint (len, >, 0);
          g_assert_false (g_utf8_validate (bytes, (gssize) len, NULL));
          g_assert_null (memchr (bytes, '\0', len));
        }

      hub_emulator_set_fault (f->emu, p, HUB_EMU_FAULT_OVERSIZED);
      {
        g_autoptr(SoupMessage) msg = good_message (f, p);
        g_autoptr(GBytes) body = send_message (f, msg);
        g_autoptr(JsonNode) root = NULL;

        g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
        g_assert_cmpint (soup_message_headers_get_content_length (soup_message_get_response_headers (msg)),
                         ==, 2 * 1024 * 1024);
        g_assert_cmpuint (g_bytes_get_size (body), ==, 2 * 1024 * 1024);
        root = parse_json (body);   /* a real body, not padding */
        g_assert_cmpstr (lookup (root, "Items.0.CompanyName"), ==, HUB_EMU_UNLEASHED_COMPANY);
      }

      hub_emulator_set_fault (f->emu, p, HUB_EMU_FAULT_NONE);
    }
}

/* SLOW_STEPS: the good answer, only later. */
static void
test_fault_slow_steps (Fixture       *f,
                       gconstpointer  data)
{
  gint64 started;

  hub_emulator_set_fault (f->emu, "sesame", HUB_EMU_FAULT_SLOW_STEPS);
  hub_emulator_set_step_delay (f->emu, 600);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonNode) root = NULL;

      started = g_get_monotonic_time ();
      body = good_body (f, "sesame");
      root = parse_json (body);
      g_assert_cmpint (g_get_monotonic_time () - started, >=, 600 * 1000);
      g_assert_cmpstr (lookup (root, "data.company.name"), ==, HUB_EMU_SESAME_COMPANY);
    }
  /* Other providers answer at once. */
  {
    g_autoptr(GBytes) body = NULL;

    started = g_get_monotonic_time ();
    body = good_body (f, "humaans");
    g_assert_cmpint (g_get_monotonic_time () - started, <, 500 * 1000);
  }
}

/* MISSING_CAPTURE drops the identity members, NUL_IN_BODY cuts one with a NUL
 * byte; answers without an identity value (the token steps) stay intact. */
static void
test_fault_missing_and_nul (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *token_url = url_for (f, "leapsome", "/token?secret=" HUB_EMU_LEAPSOME_SECRET);

  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_MISSING_CAPTURE);
  {
    g_autoptr(GBytes) body = good_body (f, "sesame");
    g_autoptr(JsonNode) root = parse_json (body);
    JsonNode *data_node = lookup_node (root, "data");
    JsonObject *company = json_node_get_object (lookup_node (data_node, "company"));

    g_assert_false (json_object_has_member (company, "name"));
    g_assert_true (json_object_has_member (company, "id"));
  }
  {
    g_autoptr(GBytes) body = good_body (f, "humaans");
    g_autoptr(JsonNode) root = parse_json (body);

    g_assert_false (json_object_has_member (json_node_get_object (root), "email"));
    g_assert_false (json_object_has_member (json_node_get_object (root), "companyId"));
    g_assert_cmpstr (lookup (root, "firstName"), ==, "Ida");
  }
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) body = fetch (f, token_url, &msg, NULL);
    g_autoptr(JsonNode) root = parse_json (body);

    g_assert_cmpstr (lookup (root, "token"), ==, HUB_EMU_LEAPSOME_JWT);
  }

  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_NUL_IN_BODY);
  for (guint i = 1; i < G_N_ELEMENTS (providers); i++)
    {
      g_autoptr(GBytes) body = good_body (f, providers[i]);
      gsize len;
      const char *bytes = g_bytes_get_data (body, &len);

      g_assert_nonnull (memchr (bytes, '\0', len));
      g_assert_cmpuint (strlen (bytes), <, len);
    }
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) body = fetch (f, token_url, &msg, NULL);
    g_autoptr(JsonNode) root = parse_json (body);

    g_assert_cmpstr (lookup (root, "token"), ==, HUB_EMU_LEAPSOME_JWT);
  }
}

/* HUGE_NUMBER writes its literal as Leapsome's meta.totalCount, verbatim. */
static void
test_fault_huge_number (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *employees_url = url_for (f, "leapsome", "/employees?pageSize=1");
  static const char * const literals[] = { "1e400", "9223372036854775808" };

  hub_emulator_set_fault (f->emu, "leapsome", HUB_EMU_FAULT_HUGE_NUMBER);
  for (guint i = 0; i < G_N_ELEMENTS (literals); i++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autofree char *expected = g_strdup_printf ("\"totalCount\": %s}", literals[i]);
      g_autofree char *text = NULL;

      hub_emulator_set_huge_number (f->emu, literals[i]);
      body = fetch (f, employees_url, &msg, "Authorization", "Bearer " HUB_EMU_LEAPSOME_JWT, NULL);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
      g_assert_nonnull (strstr (text, expected));
    }
}

static void
test_fault_identity (Fixture       *f,
                       gconstpointer  data)
{
  static const struct { const char *provider; const char *path; } identity[] = {
    { "unleashed", "Items.0.CompanyName" },
    { "sesame", "data.company.name" },
    { "smartrecruiters", "email" },
    { "humaans", "companyId" },
  };
  g_autofree char *token_url = url_for (f, "leapsome", "/token?secret=" HUB_EMU_LEAPSOME_SECRET);
  g_autofree char *employees_url = url_for (f, "leapsome", "/employees?pageSize=1");

  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_WRONG_TYPE);

  for (guint i = 0; i < G_N_ELEMENTS (identity); i++)
    {
      g_autoptr(GBytes) body = good_body (f, identity[i].provider);
      g_autoptr(JsonNode) root = parse_json (body);
      g_auto(GStrv) parts = g_strsplit (identity[i].path, ".", -1);
      JsonNode *node = root;

      for (guint k = 0; parts[k] != NULL; k++)
        node = JSON_NODE_HOLDS_ARRAY (node)
             ? json_array_get_element (json_node_get_array (node), 0)
             : json_object_get_member (json_node_get_object (node), parts[k]);
      g_assert_nonnull (node);
      g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
    }

  /* The token exchange still works, so a client reaches the identity step. */
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) body = fetch (f, token_url, &msg, NULL);
    g_autoptr(JsonNode) root = parse_json (body);

    g_assert_cmpstr (lookup (root, "token"), ==, HUB_EMU_LEAPSOME_JWT);
  }
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) body = fetch (f, employees_url, &msg,
                                    "Authorization", "Bearer " HUB_EMU_LEAPSOME_JWT, NULL);
    g_autoptr(JsonNode) root = parse_json (body);
    JsonNode *first = json_array_get_element (json_node_get_array (lookup_node (root, "data")), 0);

    g_assert_cmpint (json_node_get_value_type (json_object_get_member (json_node_get_object (first),
                                                                       "email")),
                     ==, G_TYPE_INT64);
  }

  /* BAD_UTF8 breaks the same values, and again not the token. */
  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_BAD_UTF8);
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) body = fetch (f, token_url, &msg, NULL);
    g_autoptr(JsonNode) root = parse_json (body);

    g_assert_cmpstr (lookup (root, "token"), ==, HUB_EMU_LEAPSOME_JWT);
  }
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) body = fetch (f, employees_url, &msg,
                                    "Authorization", "Bearer " HUB_EMU_LEAPSOME_JWT, NULL);
    gsize len;
    const char *bytes = g_bytes_get_data (body, &len);
    const char *bad = NULL;

    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_false (g_utf8_validate (bytes, (gssize) len, &bad));
    g_assert_nonnull (g_strstr_len (bytes, bad - bytes, "\"email\": \"ada."));
  }
}

static GBytes *
gunzip (GBytes *gz)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) mem = g_memory_input_stream_new_from_bytes (gz);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (mem, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE |
                          G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, &error);
  g_assert_no_error (error);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
test_fault_gzip (Fixture       *f,
                 gconstpointer  data)
{
  hub_emulator_set_fault (f->emu, "humaans", HUB_EMU_FAULT_OVERSIZED_GZIP);

  /* Decoded by libsoup as a client would see it: 10 MiB of JSON. */
  {
    g_autoptr(SoupMessage) msg = good_message (f, "humaans");
    g_autoptr(GBytes) body = send_message (f, msg);
    SoupMessageHeaders *headers = soup_message_get_response_headers (msg);
    const char *bytes = g_bytes_get_data (body, NULL);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Encoding"), ==, "gzip");
    g_assert_cmpint (soup_message_headers_get_encoding (headers), ==, SOUP_ENCODING_CHUNKED);
    g_assert_null (soup_message_headers_get_one (headers, "Content-Length"));
    g_assert_cmpuint (g_bytes_get_size (body), ==, 10 * 1024 * 1024);
    g_assert_true (g_str_has_prefix (bytes, "{\"Items\":[{"));
    g_assert_true (g_utf8_validate (bytes, (gssize) g_bytes_get_size (body), NULL));
  }

  /* On the wire: small, and it decodes to the same 10 MiB. */
  soup_session_remove_feature_by_type (f->session, SOUP_TYPE_CONTENT_DECODER);
  {
    g_autoptr(SoupMessage) msg = good_message (f, "humaans");
    g_autoptr(GBytes) raw = send_message (f, msg);
    g_autoptr(GBytes) plain = NULL;

    g_assert_cmpuint (g_bytes_get_size (raw), <, 1024 * 1024);
    plain = gunzip (raw);
    g_assert_cmpuint (g_bytes_get_size (plain), ==, 10 * 1024 * 1024);
    g_assert_cmpmem ((const char *) g_bytes_get_data (plain, NULL) + 10 * 1024 * 1024 - 2, 2, "\"}", 2);
  }

  /* Other providers are unaffected. */
  {
    g_autoptr(GBytes) body = good_body (f, "sesame");
    g_autoptr(JsonNode) root = parse_json (body);

    g_assert_cmpstr (lookup (root, "data.company.name"), ==, HUB_EMU_SESAME_COMPANY);
  }
}

/* Sends @msg and returns the body stream once the headers are in. */
static GInputStream *
send_for_stream (Fixture     *f,
                 SoupMessage *msg)
{
  g_autoptr(GError) error = NULL;
  Waiter w = { 0 };
  GInputStream *stream;

  soup_session_send_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, waiter_cb, &w);
  g_assert_true (wait_for (&w.done, WAIT_LIMIT_S));
  stream = soup_session_send_finish (f->session, w.result, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);

  return stream;
}

static gboolean
no_streams (HubEmulator *emu,
            guint        seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (hub_emulator_get_n_streams (emu) > 0 && g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (g_main_context_get_thread_default (), FALSE))
        g_usleep (10000);
    }

  return hub_emulator_get_n_streams (emu) == 0;
}

static void
test_fault_stall (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) real = good_body (f, "sesame");
  g_autoptr(SoupMessage) msg = good_message (f, "sesame");
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  char buf[16];
  Waiter w = { 0 };

  hub_emulator_set_fault (f->emu, "sesame", HUB_EMU_FAULT_STALL);
  stream = send_for_stream (f, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (soup_message_get_response_headers (msg)),
                   ==, (goffset) g_bytes_get_size (real));
  g_assert_cmpuint (hub_emulator_get_n_streams (f->emu), ==, 1);

  /* Not one byte in 2 s. */
  g_input_stream_read_async (stream, buf, sizeof buf, G_PRIORITY_DEFAULT, cancellable, waiter_cb, &w);
  g_assert_false (wait_for (&w.done, 2));
  g_cancellable_cancel (cancellable);
  g_assert_true (wait_for (&w.done, WAIT_LIMIT_S));
  g_assert_cmpint (g_input_stream_read_finish (stream, w.result, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&w.result);

  /* The client gives up: the emulator lets go of the message. */
  g_input_stream_close (stream, NULL, NULL);
  g_clear_object (&stream);
  g_clear_object (&f->session);
  g_assert_true (no_streams (f->emu, 5));
}

static void
test_fault_trickle (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GBytes) real = good_body (f, "humaans");
  g_autoptr(SoupMessage) msg = good_message (f, "humaans");
  g_autoptr(GInputStream) stream = NULL;
  char got[3];
  gint64 start;
  double elapsed;

  hub_emulator_set_fault (f->emu, "humaans", HUB_EMU_FAULT_TRICKLE);
  stream = send_for_stream (f, msg);
  start = g_get_monotonic_time ();
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpint (soup_message_headers_get_content_length (soup_message_get_response_headers (msg)),
                   ==, (goffset) g_bytes_get_size (real));

  /* Three single bytes, about a second apart, the start of the real body. */
  for (guint i = 0; i < sizeof got; i++)
    {
      g_autoptr(GError) error = NULL;
      Waiter w = { 0 };

      g_input_stream_read_async (stream, got + i, 1, G_PRIORITY_DEFAULT, NULL, waiter_cb, &w);
      g_assert_true (wait_for (&w.done, 3));
      g_assert_cmpint (g_input_stream_read_finish (stream, w.result, &error), ==, 1);
      g_assert_no_error (error);
      g_clear_object (&w.result);
    }
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_test_message ("3 bytes in %.2f s", elapsed);
  g_assert_cmpfloat (elapsed, >=, 2.5);
  g_assert_cmpfloat (elapsed, <, 8.0);   /* generous: the suite runs in parallel on 2 cores */
  g_assert_cmpmem (got, sizeof got, g_bytes_get_data (real, NULL), sizeof got);

  g_input_stream_close (stream, NULL, NULL);
  g_clear_object (&stream);
  g_clear_object (&f->session);
  g_assert_true (no_streams (f->emu, 5));
}

/* Freeing the emulator while a stalled and a trickling response are open
 * warns about nothing (G_DEBUG=fatal-warnings) and ends the client's wait. */
static void
test_free_pending (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SoupMessage) stalled = good_message (f, "smartrecruiters");
  g_autoptr(SoupMessage) trickled = good_message (f, "leapsome");
  g_autoptr(GInputStream) s1 = NULL;
  g_autoptr(GInputStream) s2 = NULL;
  g_autoptr(GBytes) rest = NULL;
  g_autoptr(GError) error = NULL;
  static char buf[4096];
  Waiter w = { 0 };

  hub_emulator_set_fault (f->emu, "smartrecruiters", HUB_EMU_FAULT_STALL);
  hub_emulator_set_fault (f->emu, "leapsome", HUB_EMU_FAULT_TRICKLE);
  s1 = send_for_stream (f, stalled);
  s2 = send_for_stream (f, trickled);
  g_assert_cmpuint (hub_emulator_get_n_streams (f->emu), ==, 2);

  g_clear_pointer (&f->emu, hub_emulator_free);

  /* The stalled client sees the connection end instead of waiting forever. */
  g_input_stream_read_all_async (s1, buf, sizeof buf, G_PRIORITY_DEFAULT, NULL, waiter_cb, &w);
  g_assert_true (wait_for (&w.done, 5));
  g_input_stream_read_all_finish (s1, w.result, NULL, &error);
  g_test_message ("stalled read after free: %s", error != NULL ? error->message : "no error");
  g_clear_object (&w.result);
}

static void
test_fault_redirect (Fixture       *f,
                     gconstpointer  data)
{
  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_REDIRECT);

  /* Not followed: a 302 to the same path on another host. */
  {
    g_autoptr(SoupMessage) msg = good_message (f, "smartrecruiters");
    g_autoptr(GBytes) body = NULL;
    const char *location;
    g_autoptr(GUri) uri = NULL;

    soup_message_set_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    body = send_message (f, msg);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
    location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
    g_assert_nonnull (location);
    uri = g_uri_parse (location, G_URI_FLAGS_NONE, NULL);
    g_assert_nonnull (uri);
    g_assert_cmpstr (g_uri_get_host (uri), ==, "localhost");
    g_assert_cmpint (g_uri_get_port (uri), !=,
                     g_uri_get_port (soup_message_get_uri (msg)));
    g_assert_cmpstr (g_uri_get_path (uri), ==, "/smartrecruiters/users/me");
    g_assert_cmpuint (hub_emulator_get_redirect_hits (f->emu), ==, 0);
  }
  {
    g_autoptr(SoupMessage) msg = good_message (f, "leapsome");
    g_autoptr(GBytes) body = NULL;
    const char *location;

    soup_message_set_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
    body = send_message (f, msg);
    location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
    g_assert_true (g_str_has_suffix (location, "/leapsome/token?secret=" HUB_EMU_LEAPSOME_SECRET));
  }

  /* Followed (as libsoup does by default): the other host counts what arrives. */
  {
    g_autoptr(SoupMessage) msg = good_message (f, "smartrecruiters");
    g_autoptr(GBytes) body = send_message (f, msg);
    g_autoptr(JsonNode) root = parse_json (body);

    /* libsoup 3.2 keeps X-SmartToken across hosts: the leak the app must prevent. */
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpstr (lookup (root, "email"), ==, HUB_EMU_SMARTRECRUITERS_EMAIL);
    g_assert_cmpuint (hub_emulator_get_redirect_hits (f->emu), ==, 1);
    g_assert_cmpuint (hub_emulator_get_redirect_credential_hits (f->emu), ==, 1);
  }
  {
    g_autoptr(SoupMessage) msg = good_message (f, "leapsome");
    g_autoptr(GBytes) body = send_message (f, msg);

    g_assert_cmpuint (hub_emulator_get_redirect_hits (f->emu), ==, 2);
    g_assert_cmpuint (hub_emulator_get_redirect_credential_hits (f->emu), ==, 2);
  }
  {
    g_autoptr(SoupMessage) msg = good_message (f, "unleashed");
    g_autoptr(GBytes) body = send_message (f, msg);

    g_assert_cmpuint (hub_emulator_get_redirect_hits (f->emu), ==, 3);
    g_assert_cmpuint (hub_emulator_get_redirect_credential_hits (f->emu), ==, 3);
  }
  {
    g_autofree char *url = url_for (f, "sesame", "/core/v3/info");
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) body = fetch (f, url, &msg, NULL);   /* no credential at all */

    g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
    g_assert_cmpuint (hub_emulator_get_redirect_hits (f->emu), ==, 4);
    g_assert_cmpuint (hub_emulator_get_redirect_credential_hits (f->emu), ==, 3);
  }

  g_assert_cmpuint (hub_emulator_get_hits (f->emu, NULL), ==, 6);
  hub_emulator_reset_counters (f->emu);
  g_assert_cmpuint (hub_emulator_get_redirect_hits (f->emu), ==, 0);
  g_assert_cmpuint (hub_emulator_get_redirect_credential_hits (f->emu), ==, 0);
}

static void
test_fault_redirect_same (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(SoupMessage) msg = good_message (f, "unleashed");
  g_autoptr(GBytes) body = NULL;
  g_autofree char *expected = g_strconcat (hub_emulator_get_url (f->emu),
                                           "/unleashed/Companies?again=1", NULL);
  g_autoptr(GError) error = NULL;
  Waiter w = { 0 };

  hub_emulator_set_fault (f->emu, "unleashed", HUB_EMU_FAULT_REDIRECT_SAME);
  soup_message_set_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  body = send_message (f, msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 302);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location"),
                   ==, expected);

  /* Followed, it never ends in an answer. */
  g_clear_object (&msg);
  msg = good_message (f, "unleashed");
  soup_session_send_and_read_async (f->session, msg, G_PRIORITY_DEFAULT, NULL, waiter_cb, &w);
  g_assert_true (wait_for (&w.done, WAIT_LIMIT_S));
  g_clear_pointer (&body, g_bytes_unref);
  body = soup_session_send_and_read_finish (f->session, w.result, &error);
  g_clear_object (&w.result);
  g_assert_error (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS);
  g_assert_cmpuint (hub_emulator_get_redirect_hits (f->emu), ==, 0);
}

static void
test_humaans_token_info_faults (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *info = url_for (f, "humaans", "/token-info");

  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_NO_TOKEN_INFO);
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) body = fetch (f, info, &msg, "Authorization", "Bearer " HUB_EMU_HUMAANS_TOKEN, NULL);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  }
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    g_bytes_unref (good_body (f, providers[i]));   /* /me and the others: 200 */

  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_MISSING_SCOPES);
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) body = fetch (f, info, &msg, "Authorization", "Bearer " HUB_EMU_HUMAANS_TOKEN, NULL);
    g_autoptr(JsonNode) root = parse_json (body);
    JsonArray *scopes = json_node_get_array (lookup_node (root, "scopes"));

    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    g_assert_cmpuint (json_array_get_length (scopes), ==, 1);
    g_assert_cmpstr (json_array_get_string_element (scopes, 0), ==, "public:read");
  }
  for (guint i = 0; i < G_N_ELEMENTS (providers); i++)
    g_bytes_unref (good_body (f, providers[i]));
}

/* the server program */

typedef struct
{
  GSubprocess *proc;
  char        *url;
} Server;

static void
server_start (Server *server)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "hub-emulator-server", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  Waiter w = { 0 };

  server->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                   &error, path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->proc));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, waiter_cb, &w);
  g_assert_true (wait_for (&w.done, WAIT_LIMIT_S));
  server->url = g_data_input_stream_read_line_finish_utf8 (out, w.result, NULL, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_nonnull (server->url);
  g_assert_true (g_str_has_prefix (server->url, "http://127.0.0.1:"));
}

static void
server_wait_exit (Server *server)
{
  g_autoptr(GError) error = NULL;
  Waiter w = { 0 };

  g_subprocess_wait_async (server->proc, NULL, waiter_cb, &w);
  g_assert_true (wait_for (&w.done, WAIT_LIMIT_S));
  g_subprocess_wait_finish (server->proc, w.result, &error);
  g_clear_object (&w.result);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server->proc));
  g_assert_cmpint (g_subprocess_get_exit_status (server->proc), ==, 0);
  g_clear_object (&server->proc);
  g_clear_pointer (&server->url, g_free);
}

static guint
get_status (Fixture    *f,
            const char *url,
            GBytes    **out_body)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = fetch (f, url, &msg, "Authorization", "Bearer " HUB_EMU_HUMAANS_TOKEN, NULL);

  if (out_body != NULL)
    *out_body = g_steal_pointer (&body);
  return soup_message_get_status (msg);
}

static void
test_server_program (Fixture       *f,
                     gconstpointer  data)
{
  Server server = { 0 };
  g_autofree char *me = NULL;
  g_autofree char *fault = NULL;
  g_autofree char *fault_all = NULL;
  g_autofree char *bogus = NULL;
  g_autofree char *retry = NULL;
  g_autofree char *hits = NULL;
  g_autofree char *reset = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  server_start (&server);
  me = g_strconcat (server.url, "/humaans/me", NULL);
  fault = g_strconcat (server.url, "/_control/fault?provider=humaans&mode=401", NULL);
  fault_all = g_strconcat (server.url, "/_control/fault?provider=all&mode=429", NULL);
  bogus = g_strconcat (server.url, "/_control/fault?provider=all&mode=bogus", NULL);
  retry = g_strconcat (server.url, "/_control/retry-after?value=7", NULL);
  hits = g_strconcat (server.url, "/_control/hits", NULL);
  reset = g_strconcat (server.url, "/_control/reset", NULL);

  g_assert_cmpuint (get_status (f, me, NULL), ==, 200);
  g_assert_cmpuint (get_status (f, fault, NULL), ==, 200);
  g_assert_cmpuint (get_status (f, me, NULL), ==, 401);
  g_assert_cmpuint (get_status (f, bogus, NULL), ==, 400);
  g_assert_cmpuint (get_status (f, retry, NULL), ==, 200);
  g_assert_cmpuint (get_status (f, fault_all, NULL), ==, 200);
  {
    g_autoptr(SoupMessage) msg = NULL;
    g_autoptr(GBytes) b = fetch (f, me, &msg, NULL);

    g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Retry-After"), ==, "7");
  }

  g_assert_cmpuint (get_status (f, hits, &body), ==, 200);
  root = parse_json (body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "humaans"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "total"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "redirect"), ==, 0);
  g_clear_pointer (&body, g_bytes_unref);
  g_clear_pointer (&root, json_node_unref);

  g_assert_cmpuint (get_status (f, reset, NULL), ==, 200);
  g_assert_cmpuint (get_status (f, me, NULL), ==, 200);
  g_assert_cmpuint (get_status (f, hits, &body), ==, 200);
  root = parse_json (body);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "total"), ==, 1);

  /* stdin EOF ends it. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (server.proc), NULL, &error);
  g_assert_no_error (error);
  server_wait_exit (&server);

  /* So does SIGTERM. */
  server_start (&server);
  g_subprocess_send_signal (server.proc, SIGTERM);
  server_wait_exit (&server);
}

/* The canary writer sees debug messages even when they are not printed,
 * and would notice a credential in one. */
static void
test_log_canary (Fixture       *f,
                 gconstpointer  data)
{
  guint before = n_messages_seen;
  g_autofree char *url = url_for (f, "humaans", "/me");
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;

  hub_emulator_set_fault (f->emu, NULL, HUB_EMU_FAULT_REDIRECT);
  body = fetch_full (f, url, SOUP_MESSAGE_NO_REDIRECT, &msg,
                     "Authorization", "Bearer " HUB_EMU_HUMAANS_TOKEN, NULL);
  g_assert_cmpuint (n_messages_seen, >, before);
  g_assert_false (credential_logged);

  g_debug ("canary self-test: %s", canaries[G_N_ELEMENTS (canaries) - 1]);
  g_assert_true (credential_logged);
  credential_logged = FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_log_set_writer_func (canary_writer, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub/emulator/fault-names", test_fault_names);
#define ADD(path, func) \
  g_test_add ("/hub/emulator/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("urls", test_urls);
  ADD ("leapsome/exchange", test_leapsome);
  ADD ("unleashed/signature", test_unleashed_signature);
  ADD ("unleashed/headers", test_unleashed_headers);
  ADD ("sesame/info", test_sesame);
  ADD ("smartrecruiters/me-and-company", test_smartrecruiters);
  ADD ("humaans/chain", test_humaans);
  ADD ("good/all-providers", test_good_all);
  ADD ("fault/status", test_fault_status);
  ADD ("fault/bodies", test_fault_bodies);
  ADD ("fault/identity", test_fault_identity);
  ADD ("fault/slow-steps", test_fault_slow_steps);
  ADD ("fault/missing-capture-and-nul", test_fault_missing_and_nul);
  ADD ("fault/huge-number", test_fault_huge_number);
  ADD ("fault/oversized-gzip", test_fault_gzip);
  ADD ("fault/stall", test_fault_stall);
  ADD ("fault/trickle", test_fault_trickle);
  ADD ("fault/free-while-pending", test_free_pending);
  ADD ("fault/redirect", test_fault_redirect);
  ADD ("fault/redirect-same", test_fault_redirect_same);
  ADD ("humaans/token-info-faults", test_humaans_token_info_faults);
  ADD ("server-program", test_server_program);
  ADD ("log-canary", test_log_canary);
#undef ADD

  return g_test_run ();
}
