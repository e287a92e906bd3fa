/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-emulator"

#include "config.h"

#include "hub-emulator.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

/* Provider answers follow docs/provider-apis.md. Values that name the
 * account (company, e-mail, company id) go through ident_token(), so the
 * WRONG_TYPE and BAD_UTF8 faults change exactly those and nothing else; the
 * token steps (Leapsome /token, Humaans /token-info) stay well-formed under
 * those two faults so that a client reaches the identity step.
 *
 * Nothing here logs a query string, a header value or a body: requests are
 * logged as method, provider and status only. */

#define N_PROVIDERS 5
#define OVERSIZED_BYTES (2 * 1024 * 1024)
#define OVERSIZED_GZIP_BYTES (10 * 1024 * 1024)
#define DEEP_JSON_DEPTH 100000
#define GZIP_CHUNK 8192
#define DEFAULT_STEP_DELAY_MS 1000

enum
{
  P_LEAPSOME,
  P_UNLEASHED,
  P_SESAME,
  P_SMARTRECRUITERS,
  P_HUMAANS,
};

static const char * const provider_ids[N_PROVIDERS] = {
  "leapsome", "unleashed", "sesame", "smartrecruiters", "humaans",
};

static const char * const fault_names[HUB_EMU_N_FAULTS] = {
  [HUB_EMU_FAULT_NONE] = "none",
  [HUB_EMU_FAULT_401] = "401",
  [HUB_EMU_FAULT_403] = "403",
  [HUB_EMU_FAULT_429] = "429",
  [HUB_EMU_FAULT_500] = "500",
  [HUB_EMU_FAULT_STALL] = "stall",
  [HUB_EMU_FAULT_TRICKLE] = "trickle",
  [HUB_EMU_FAULT_MALFORMED_JSON] = "malformed-json",
  [HUB_EMU_FAULT_HTML] = "html",
  [HUB_EMU_FAULT_EMPTY] = "empty",
  [HUB_EMU_FAULT_NULL] = "null",
  [HUB_EMU_FAULT_WRONG_TYPE] = "wrong-type",
  [HUB_EMU_FAULT_DEEP_JSON] = "deep-json",
  [HUB_EMU_FAULT_BAD_UTF8] = "bad-utf8",
  [HUB_EMU_FAULT_OVERSIZED] = "oversized",
  [HUB_EMU_FAULT_OVERSIZED_GZIP] = "oversized-gzip",
  [HUB_EMU_FAULT_REDIRECT] = "redirect",
  [HUB_EMU_FAULT_REDIRECT_SAME] = "redirect-same",
  [HUB_EMU_FAULT_NO_TOKEN_INFO] = "no-token-info",
  [HUB_EMU_FAULT_MISSING_SCOPES] = "missing-scopes",
  [HUB_EMU_FAULT_SLOW_STEPS] = "slow-steps",
  [HUB_EMU_FAULT_MISSING_CAPTURE] = "missing-capture",
  [HUB_EMU_FAULT_NUL_IN_BODY] = "nul-in-body",
  [HUB_EMU_FAULT_HUGE_NUMBER] = "huge-number",
};

/* A response written slowly (TRICKLE) or never (STALL). */
typedef struct
{
  HubEmulator       *emu;
  SoupServerMessage *msg;           /* owned */
  GBytes            *body;          /* owned: the whole body announced */
  gsize              offset;        /* bytes handed to libsoup so far */
  GSource           *timer;         /* owned: TRICKLE */
  GSource           *peer_watch;    /* owned: STALL, notices the client leaving */
  gulong             finished_id;
  gulong             disconnected_id;
} HubEmuStream;

struct _HubEmulator
{
  GMainContext *context;            /* thread-default context at creation */
  SoupServer   *server;
  SoupServer   *redirect_server;
  char         *url;                /* http://127.0.0.1:PORT */
  char         *redirect_url;       /* http://localhost:PORT2 */
  char         *base_urls[N_PROVIDERS];
  HubEmuFault   faults[N_PROVIDERS];
  char         *retry_after;        /* NULL: no header */
  guint         step_delay_ms;      /* SLOW_STEPS */
  char         *huge_number;        /* HUGE_NUMBER: a JSON number literal */
  guint         hits[N_PROVIDERS];
  guint         other_hits;
  guint         redirect_hits;
  guint         redirect_credential_hits;
  GList        *streams;            /* HubEmuStream */
};

typedef enum
{
  IDENT_GOOD,
  IDENT_WRONG_TYPE,
  IDENT_BAD_UTF8,
  IDENT_HUGE_NUMBER,   /* identity strings as IDENT_GOOD; leapsome's count is huge */
} IdentMode;

/* Every value ident_token() writes: what MISSING_CAPTURE and NUL_IN_BODY change. */
static const char * const ident_values[] = {
  HUB_EMU_LEAPSOME_EMAIL, HUB_EMU_UNLEASHED_COMPANY, HUB_EMU_UNLEASHED_CURRENCY,
  HUB_EMU_SESAME_COMPANY, HUB_EMU_SMARTRECRUITERS_COMPANY, HUB_EMU_SMARTRECRUITERS_EMAIL,
  HUB_EMU_HUMAANS_COMPANY, HUB_EMU_HUMAANS_EMAIL, HUB_EMU_HUMAANS_COMPANY_ID,
};

/* helpers */

static int
provider_index (const char *id)
{
  if (id == NULL)
    return -1;

  for (int i = 0; i < N_PROVIDERS; i++)
    if (g_str_equal (id, provider_ids[i]))
      return i;

  return -1;
}

static gboolean
secure_equal (const char *a,
              const char *b)
{
  gsize la, lb;
  guchar diff = 0;

  if (a == NULL || b == NULL)
    return FALSE;

  la = strlen (a);
  lb = strlen (b);
  if (la != lb)
    return FALSE;

  for (gsize i = 0; i < la; i++)
    diff |= (guchar) a[i] ^ (guchar) b[i];

  return diff == 0;
}

/* The JSON token for an identity value under @mode. */
static char *
ident_token (IdentMode   mode,
             const char *value)
{
  switch (mode)
    {
    case IDENT_WRONG_TYPE:
      return g_strdup ("12345");
    case IDENT_BAD_UTF8:
      /* \xC3 starts a two-byte sequence that \x28 does not continue; \xFF never occurs. */
      return g_strdup_printf ("\"%.4s\xC3\x28\xFF%s\"", value, value + MIN (strlen (value), 4));
    case IDENT_GOOD:
    default:
      return g_strdup_printf ("\"%s\"", value);
    }
}

static void
reply (SoupServerMessage *msg,
       guint              status,
       const char        *content_type,
       const char        *body,
       gsize              length)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, length);
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            const char        *body)
{
  reply (msg, status, "application/json; charset=utf-8", body, strlen (body));
}

static const char *
get_header (SoupServerMessage *msg,
            const char        *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (msg), name);
}

static gboolean
has_bearer (SoupServerMessage *msg,
            const char        *token)
{
  const char *auth = get_header (msg, "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return FALSE;

  return secure_equal (auth + 7, token);
}

static GSource *
attach_source (HubEmulator *self,
               GSource     *source)
{
  g_source_attach (source, self->context);
  return source;
}

/* Exactly @total bytes of valid JSON:
 * {"Items":[{…},{…},…],"Padding":"xxxx"} */
static GBytes *
build_big_json (gsize total)
{
  static const char prefix[] = "{\"Items\":[";
  static const char item[] =
    "{\"Guid\":\"7c9e6679-7425-40de-944b-e07fc1f90ae7\",\"CompanyName\":\""
    HUB_EMU_UNLEASHED_COMPANY "\",\"BaseCurrencyCode\":\"" HUB_EMU_UNLEASHED_CURRENCY "\"}";
  static const char middle[] = "],\"Padding\":\"";
  static const char suffix[] = "\"}";
  GString *s = g_string_sized_new (total);
  gsize fixed = strlen (prefix) + strlen (middle) + strlen (suffix);

  g_string_append (s, prefix);
  while (s->len + 1 + strlen (item) + fixed <= total)
    {
      if (s->len > strlen (prefix))
        g_string_append_c (s, ',');
      g_string_append (s, item);
    }
  g_string_append (s, middle);
  while (s->len + strlen (suffix) < total)
    g_string_append_c (s, 'x');
  g_string_append (s, suffix);
  g_assert (s->len == total);

  return g_string_free_to_bytes (s);
}

static GBytes *
get_oversized_body (void)
{
  static GBytes *body;

  if (g_once_init_enter (&body))
    g_once_init_leave (&body, build_big_json (OVERSIZED_BYTES));

  return body;
}

static GBytes *
compress_gzip (GBytes *input)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const guint8 *in;
  gsize in_len, in_pos = 0;
  guint8 buf[16384];

  in = g_bytes_get_data (input, &in_len);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gsize read = 0, written = 0;
      GConverterResult res;

      res = g_converter_convert (G_CONVERTER (compressor),
                                 in + in_pos, in_len - in_pos,
                                 buf, sizeof buf,
                                 G_CONVERTER_INPUT_AT_END,
                                 &read, &written, &error);
      if (res == G_CONVERTER_ERROR)
        g_error ("gzip: %s", error->message);
      in_pos += read;
      g_byte_array_append (out, buf, written);
      if (res == G_CONVERTER_FINISHED)
        break;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* Compressed once per process: 10 MiB of JSON gzip to about 10 KiB. */
static GBytes *
get_oversized_gzip_body (void)
{
  static GBytes *body;

  if (g_once_init_enter (&body))
    {
      g_autoptr(GBytes) plain = build_big_json (OVERSIZED_GZIP_BYTES);

      g_once_init_leave (&body, compress_gzip (plain));
    }

  return body;
}

/* streams (STALL, TRICKLE) */

static void
stream_free (HubEmuStream *stream)
{
  if (stream->timer != NULL)
    {
      g_source_destroy (stream->timer);
      g_source_unref (stream->timer);
    }
  if (stream->peer_watch != NULL)
    {
      g_source_destroy (stream->peer_watch);
      g_source_unref (stream->peer_watch);
    }
  g_clear_signal_handler (&stream->finished_id, stream->msg);
  g_clear_signal_handler (&stream->disconnected_id, stream->msg);
  g_clear_object (&stream->msg);
  g_clear_pointer (&stream->body, g_bytes_unref);
  g_free (stream);
}

static void
stream_done (HubEmuStream *stream)
{
  HubEmulator *self = stream->emu;

  self->streams = g_list_remove (self->streams, stream);
  stream_free (stream);
}

static void
stream_message_gone_cb (SoupServerMessage *msg,
                        HubEmuStream      *stream)
{
  g_debug ("stream: message finished or client gone");
  stream_done (stream);
}

/* Hands the rest of the body to libsoup so the message completes (or fails
 * writing to a closed socket); either way libsoup lets go of it. */
static void
stream_flush_rest (HubEmuStream *stream)
{
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);
  gsize len;
  const guint8 *data = g_bytes_get_data (stream->body, &len);

  if (stream->offset < len)
    soup_message_body_append (body, SOUP_MEMORY_COPY, data + stream->offset, len - stream->offset);
  stream->offset = len;
  soup_message_body_complete (body);
  soup_server_message_unpause (stream->msg);
}

static gboolean
stream_trickle_cb (gpointer user_data)
{
  HubEmuStream *stream = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);
  gsize len;
  const guint8 *data = g_bytes_get_data (stream->body, &len);

  if (stream->offset < len)
    {
      soup_message_body_append (body, SOUP_MEMORY_COPY, data + stream->offset, 1);
      stream->offset++;
    }
  if (stream->offset >= len)
    {
      soup_message_body_complete (body);
      g_source_unref (stream->timer);
      stream->timer = NULL;
      soup_server_message_unpause (stream->msg);
      return G_SOURCE_REMOVE;
    }

  soup_server_message_unpause (stream->msg);
  return G_SOURCE_CONTINUE;
}

/* The stalled client closed its end (or sent something): stop stalling. */
static gboolean
stream_peer_cb (GSocket      *socket,
                GIOCondition  condition,
                gpointer      user_data)
{
  HubEmuStream *stream = user_data;
  char byte;
  GInputVector vec = { &byte, 1 };
  int flags = G_SOCKET_MSG_PEEK;
  gssize n;

  n = g_socket_receive_message (socket, NULL, &vec, 1, NULL, NULL, &flags, NULL, NULL);
  if (n == 0 || (condition & (G_IO_HUP | G_IO_ERR)) != 0)
    {
      g_debug ("stream: client closed the stalled connection");
      g_source_unref (stream->peer_watch);
      stream->peer_watch = NULL;
      stream_flush_rest (stream);
      return G_SOURCE_REMOVE;
    }
  if (n < 0)
    return G_SOURCE_CONTINUE;   /* EAGAIN */

  /* Data from a client that should be waiting: stop watching, keep stalling. */
  g_source_unref (stream->peer_watch);
  stream->peer_watch = NULL;
  return G_SOURCE_REMOVE;
}

/* Announces the message's current response body by Content-Length, then sends
 * none of it (STALL) or one byte per second (TRICKLE). */
static void
stream_start (HubEmulator       *self,
              SoupServerMessage *msg,
              gboolean           trickle)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  HubEmuStream *stream = g_new0 (HubEmuStream, 1);

  stream->emu = self;
  stream->msg = g_object_ref (msg);
  stream->body = soup_message_body_flatten (body);
  soup_message_body_truncate (body);
  soup_message_headers_set_content_length (headers, g_bytes_get_size (stream->body));

  stream->finished_id = g_signal_connect (msg, "finished",
                                          G_CALLBACK (stream_message_gone_cb), stream);
  stream->disconnected_id = g_signal_connect (msg, "disconnected",
                                              G_CALLBACK (stream_message_gone_cb), stream);

  if (trickle)
    {
      stream->timer = g_timeout_source_new (1000);   /* not _seconds: those drift up to 1 s */
      g_source_set_callback (stream->timer, stream_trickle_cb, stream, NULL);
      g_source_set_static_name (stream->timer, "hub-emulator trickle");
      attach_source (self, stream->timer);
    }
  else
    {
      GSocket *socket = soup_server_message_get_socket (msg);

      if (socket != NULL)
        {
          stream->peer_watch = g_socket_create_source (socket, G_IO_IN | G_IO_HUP | G_IO_ERR, NULL);
          g_source_set_callback (stream->peer_watch, G_SOURCE_FUNC (stream_peer_cb), stream, NULL);
          g_source_set_static_name (stream->peer_watch, "hub-emulator stall");
          attach_source (self, stream->peer_watch);
        }
    }

  self->streams = g_list_prepend (self->streams, stream);
}

/* SLOW_STEPS: the whole body, once the delay has passed. */
static gboolean
stream_delay_cb (gpointer user_data)
{
  HubEmuStream *stream = user_data;

  g_source_unref (stream->timer);
  stream->timer = NULL;
  if (stream->offset >= g_bytes_get_size (stream->body))
    return G_SOURCE_REMOVE;   /* the client left and the body went already */
  /* May finish the message, and so free @stream: nothing after this. */
  stream_flush_rest (stream);
  return G_SOURCE_REMOVE;
}

/* Headers now, the body after @delay_ms (or as soon as the client leaves). */
static void
stream_start_delayed (HubEmulator       *self,
                      SoupServerMessage *msg,
                      guint              delay_ms)
{
  HubEmuStream *stream;

  stream_start (self, msg, FALSE);
  stream = self->streams->data;
  stream->timer = g_timeout_source_new (delay_ms);
  g_source_set_callback (stream->timer, stream_delay_cb, stream, NULL);
  g_source_set_static_name (stream->timer, "hub-emulator slow step");
  attach_source (self, stream->timer);
}

/* provider error bodies */

static void
reply_error (SoupServerMessage *msg,
             int                provider,
             guint              status,
             const char        *what)
{
  g_autofree char *body = NULL;
  const char *phrase = soup_status_get_phrase (status);

  switch (provider)
    {
    case P_UNLEASHED:
      body = g_strdup_printf ("{\"description\": \"(%u) %s.: %s\"}", status, phrase, what);
      break;
    case P_SMARTRECRUITERS:
      body = g_strdup_printf ("{\"message\": \"%s\", \"errors\": [{\"code\": \"%s\", "
                              "\"message\": \"%s\"}]}",
                              phrase, status == 401 ? "UNAUTHORIZED" : "ERROR", what);
      break;
    case P_HUMAANS:
      {
        const char *code = status == 401 ? "Unauthorized"
                         : status == 403 ? "Forbidden"
                         : status == 404 ? "NotFound"
                         : status == 429 ? "TooManyRequests"
                         : "GeneralError";
        body = g_strdup_printf ("{\"code\": \"%s\", \"name\": \"%s\", \"message\": \"%s\"}",
                                code, code, what);
      }
      break;
    case P_LEAPSOME:
    case P_SESAME:
    default:
      body = g_strdup_printf ("{\"message\": \"%s\"}", what);
      break;
    }

  reply_json (msg, status, body);
}

/* providers */

static void
handle_leapsome (HubEmulator       *self,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 IdentMode          mode)
{
  if (g_str_equal (path, "/token"))
    {
      const char *secret = query != NULL ? g_hash_table_lookup (query, "secret") : NULL;
      g_autofree char *body = NULL;

      if (!secure_equal (secret, HUB_EMU_LEAPSOME_SECRET))
        {
          reply_error (msg, P_LEAPSOME, 401, "The secret is missing or incorrect.");
          return;
        }
      body = g_strdup_printf ("{\"token\": \"%s\", \"expiresIn\": 18000}", HUB_EMU_LEAPSOME_JWT);
      reply_json (msg, 200, body);
    }
  else if (g_str_equal (path, "/employees"))
    {
      const char *page_size = query != NULL ? g_hash_table_lookup (query, "pageSize") : NULL;
      guint64 size = 100;
      g_autofree char *email = NULL;
      g_autofree char *total = NULL;
      g_autofree char *body = NULL;

      if (!has_bearer (msg, HUB_EMU_LEAPSOME_JWT))
        {
          reply_error (msg, P_LEAPSOME, 401, "The token is missing or invalid.");
          return;
        }
      if (page_size != NULL &&
          !g_ascii_string_to_unsigned (page_size, 10, 1, 1000, &size, NULL))
        {
          reply_error (msg, P_LEAPSOME, 400, "pageSize must be between 1 and 1000.");
          return;
        }
      email = ident_token (mode, HUB_EMU_LEAPSOME_EMAIL);
      if (mode == IDENT_HUGE_NUMBER)
        total = g_strdup (self->huge_number);
      else
        total = g_strdup_printf ("%d", HUB_EMU_LEAPSOME_TOTAL);
      body = g_strdup_printf ("{\"data\": [{\"id\": \"5f0c8a1b2c3d4e5f6a7b8c9d\", "
                              "\"email\": %s, \"firstname\": \"Ada\", \"lastname\": \"Lovelace\", "
                              "\"fullname\": \"Ada Lovelace\", \"displayedName\": \"Ada Lovelace\", "
                              "\"status\": \"active\", \"lifecycleStatus\": \"employed\", "
                              "\"manager\": null, \"teams\": [], \"startDate\": \"2021-03-01\"}], "
                              "\"meta\": {\"page\": 1, \"pageSize\": %" G_GUINT64_FORMAT ", "
                              "\"totalCount\": %s}}",
                              email, size, total);
      reply_json (msg, 200, body);
    }
  else
    {
      reply_error (msg, P_LEAPSOME, 404, "Not found.");
    }
}

static char *
unleashed_signature (const char *query)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256,
                                      (const guchar *) HUB_EMU_UNLEASHED_API_KEY,
                                      strlen (HUB_EMU_UNLEASHED_API_KEY));
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  if (query != NULL)
    g_hmac_update (hmac, (const guchar *) query, strlen (query));
  g_hmac_get_digest (hmac, digest, &digest_len);

  return g_base64_encode (digest, digest_len);
}

static void
handle_unleashed (HubEmulator       *self,
                  SoupServerMessage *msg,
                  const char        *path,
                  const char        *raw_query,
                  IdentMode          mode)
{
  const char *accept = get_header (msg, "Accept");
  gboolean json = accept != NULL && strstr (accept, "json") != NULL;
  gboolean companies = g_ascii_strcasecmp (path, "/Companies") == 0;
  gboolean currencies = g_ascii_strcasecmp (path, "/Currencies") == 0;
  g_autofree char *expected = NULL;
  g_autofree char *value = NULL;
  g_autofree char *body = NULL;

  if (!companies && !currencies)
    {
      reply_error (msg, P_UNLEASHED, 404, "The resource was not found.");
      return;
    }
  if (get_header (msg, "client-type") == NULL)
    {
      reply_error (msg, P_UNLEASHED, 400, "The client-type header is required.");
      return;
    }
  if (!secure_equal (get_header (msg, "api-auth-id"), HUB_EMU_UNLEASHED_API_ID))
    {
      reply_error (msg, P_UNLEASHED, 403, "The organization with this Api Id is not found.");
      return;
    }
  expected = unleashed_signature (raw_query);
  if (!secure_equal (get_header (msg, "api-auth-signature"), expected))
    {
      reply_error (msg, P_UNLEASHED, 403, "The signature does not match the request.");
      return;
    }

  if (companies)
    {
      value = ident_token (mode, HUB_EMU_UNLEASHED_COMPANY);
      if (json)
        body = g_strdup_printf ("{\"Items\": [{\"Guid\": \"7c9e6679-7425-40de-944b-e07fc1f90ae7\", "
                                "\"CompanyName\": %s, \"BaseCurrencyCode\": \"%s\", "
                                "\"DefaultTaxRate\": {\"TaxCode\": \"G.S.T.\", \"TaxRate\": 0.15}, "
                                "\"TimeZone\": \"New Zealand Standard Time\", "
                                "\"LastModifiedOn\": \"/Date(1583225970451)/\"}]}",
                                value, HUB_EMU_UNLEASHED_CURRENCY);
    }
  else
    {
      value = ident_token (mode, HUB_EMU_UNLEASHED_CURRENCY);
      if (json)
        body = g_strdup_printf ("{\"Items\": [{\"CurrencyCode\": %s, "
                                "\"Description\": \"New Zealand, Dollars\", "
                                "\"DefaultBuyRate\": null, \"DefaultSellRate\": null, "
                                "\"Guid\": \"0b7e3c1d-2f4a-4b5c-8d6e-7f8091a2b3c4\", "
                                "\"LastModifiedOn\": \"/Date(1583225970451)/\"}]}", value);
    }

  if (json)
    {
      reply_json (msg, 200, body);
    }
  else
    {
      /* Unleashed answers XML unless asked for JSON. */
      body = g_strdup_printf ("<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                              "<%s xmlns=\"http://api.unleashedsoftware.com/version/1\">"
                              "<Item><Name>%s</Name></Item></%s>",
                              companies ? "Companies" : "Currencies",
                              companies ? HUB_EMU_UNLEASHED_COMPANY : HUB_EMU_UNLEASHED_CURRENCY,
                              companies ? "Companies" : "Currencies");
      reply (msg, 200, "application/xml; charset=utf-8", body, strlen (body));
    }
}

static void
handle_sesame (HubEmulator       *self,
               SoupServerMessage *msg,
               const char        *path,
               IdentMode          mode)
{
  g_autofree char *name = NULL;
  g_autofree char *body = NULL;

  if (!g_str_equal (path, "/core/v3/info"))
    {
      reply_error (msg, P_SESAME, 404, "Not found.");
      return;
    }
  if (!has_bearer (msg, HUB_EMU_SESAME_TOKEN))
    {
      reply_error (msg, P_SESAME, 401, "Unauthorized.");
      return;
    }

  name = ident_token (mode, HUB_EMU_SESAME_COMPANY);
  body = g_strdup_printf ("{\"data\": {\"company\": {\"id\": \"3f1e7c2a-9b4d-4c8e-a1f2-6d5b7e8c9a0b\", "
                          "\"name\": %s, \"notificationEmail\": \"admin@sesame-example.test\", "
                          "\"language\": \"en-GB\", \"createdAt\": \"2023-01-10T09:00:00+00:00\", "
                          "\"updatedAt\": \"2026-01-10T09:00:00+00:00\"}}}", name);
  reply_json (msg, 200, body);
}

static void
handle_smartrecruiters (HubEmulator       *self,
                        SoupServerMessage *msg,
                        const char        *path,
                        IdentMode          mode)
{
  gboolean me = g_str_equal (path, "/users/me");
  gboolean company = g_str_equal (path, "/configuration/company");
  g_autofree char *value = NULL;
  g_autofree char *body = NULL;

  if (!me && !company)
    {
      reply_error (msg, P_SMARTRECRUITERS, 404, "Not found.");
      return;
    }
  if (!secure_equal (get_header (msg, "X-SmartToken"), HUB_EMU_SMARTRECRUITERS_KEY))
    {
      reply_error (msg, P_SMARTRECRUITERS, 401, "No valid API credential was provided.");
      return;
    }

  if (me)
    {
      value = ident_token (mode, HUB_EMU_SMARTRECRUITERS_EMAIL);
      body = g_strdup_printf ("{\"id\": \"5c8f2e1a9b3d4f6a7c8e9d0b\", \"email\": %s, "
                              "\"firstName\": \"Grace\", \"lastName\": \"Hopper\", "
                              "\"systemRole\": {\"id\": \"ADMINISTRATOR\", \"name\": \"Administrator\"}, "
                              "\"active\": true, \"language\": {\"code\": \"en\", \"label\": \"English\"}, "
                              "\"updatedOn\": \"2026-01-05T10:00:00.000Z\"}", value);
    }
  else
    {
      value = ident_token (mode, HUB_EMU_SMARTRECRUITERS_COMPANY);
      body = g_strdup_printf ("{\"identifier\": \"SmartExample\", \"name\": %s, "
                              "\"website\": {\"url\": \"https://smart-example.test\", "
                              "\"shortUrl\": \"smart-example.test\"}, "
                              "\"industry\": {\"id\": \"computer_software\", \"label\": \"Computer Software\"}, "
                              "\"location\": {\"country\": \"us\", \"city\": \"Boston\"}}", value);
    }
  reply_json (msg, 200, body);
}

static void
handle_humaans (HubEmulator       *self,
                SoupServerMessage *msg,
                const char        *path,
                HubEmuFault        fault,
                IdentMode          mode)
{
  g_autofree char *body = NULL;

  if (g_str_equal (path, "/token-info") && fault == HUB_EMU_FAULT_NO_TOKEN_INFO)
    {
      reply_error (msg, P_HUMAANS, 404, "Page not found.");
      return;
    }
  if (!g_str_equal (path, "/token-info") && !g_str_equal (path, "/me") &&
      !g_str_has_prefix (path, "/companies/"))
    {
      reply_error (msg, P_HUMAANS, 404, "Page not found.");
      return;
    }
  if (!has_bearer (msg, HUB_EMU_HUMAANS_TOKEN))
    {
      reply_error (msg, P_HUMAANS, 401, "Invalid access token.");
      return;
    }

  if (g_str_equal (path, "/token-info"))
    {
      const char *scopes = fault == HUB_EMU_FAULT_MISSING_SCOPES
                         ? "[\"public:read\"]"
                         : "[\"public:read\", \"private:read\"]";

      body = g_strdup_printf ("{\"id\": \"tok_8d7f6e5a\", \"personId\": \"per_1a2b3c\", "
                              "\"label\": \"Connect Hub test\", \"scopes\": %s}", scopes);
    }
  else if (g_str_equal (path, "/me"))
    {
      g_autofree char *company_id = ident_token (mode, HUB_EMU_HUMAANS_COMPANY_ID);
      g_autofree char *email = ident_token (mode, HUB_EMU_HUMAANS_EMAIL);

      body = g_strdup_printf ("{\"id\": \"per_1a2b3c\", \"companyId\": %s, "
                              "\"firstName\": \"Ida\", \"lastName\": \"Example\", \"email\": %s, "
                              "\"role\": \"admin\", \"status\": \"active\", "
                              "\"timezone\": \"Europe/Berlin\"}", company_id, email);
    }
  else
    {
      const char *id = path + strlen ("/companies/");
      g_autofree char *name = NULL;

      if (!g_str_equal (id, HUB_EMU_HUMAANS_COMPANY_ID))
        {
          reply_error (msg, P_HUMAANS, 404, "No record found for this id.");
          return;
        }
      name = ident_token (mode, HUB_EMU_HUMAANS_COMPANY);
      body = g_strdup_printf ("{\"id\": \"%s\", \"name\": %s, \"domains\": [\"example-gmbh.test\"], "
                              "\"status\": \"active\", \"paymentStatus\": \"active\", "
                              "\"package\": \"growth\", \"trialEndDate\": null, "
                              "\"isTimesheetEnabled\": false, "
                              "\"createdAt\": \"2022-02-01T08:00:00.000Z\", "
                              "\"updatedAt\": \"2026-01-01T08:00:00.000Z\"}",
                              HUB_EMU_HUMAANS_COMPANY_ID, name);
    }
  reply_json (msg, 200, body);
}

/* Answers @msg as provider @provider would, @path being the path below the
 * provider prefix. */
static void
dispatch_provider (HubEmulator       *self,
                   SoupServerMessage *msg,
                   int                provider,
                   const char        *path,
                   GHashTable        *query,
                   HubEmuFault        fault)
{
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  IdentMode mode = fault == HUB_EMU_FAULT_WRONG_TYPE ? IDENT_WRONG_TYPE
                 : fault == HUB_EMU_FAULT_BAD_UTF8 ? IDENT_BAD_UTF8
                 : fault == HUB_EMU_FAULT_HUGE_NUMBER ? IDENT_HUGE_NUMBER
                 : IDENT_GOOD;

  if (g_strcmp0 (soup_server_message_get_method (msg), "GET") != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET");
      reply_error (msg, provider, 405, "Method not allowed.");
      return;
    }

  switch (provider)
    {
    case P_LEAPSOME:
      handle_leapsome (self, msg, path, query, mode);
      break;
    case P_UNLEASHED:
      handle_unleashed (self, msg, path, raw_query, mode);
      break;
    case P_SESAME:
      handle_sesame (self, msg, path, mode);
      break;
    case P_SMARTRECRUITERS:
      handle_smartrecruiters (self, msg, path, mode);
      break;
    case P_HUMAANS:
      handle_humaans (self, msg, path, fault, mode);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Splits "/humaans/me" into the provider index and "/me". */
static int
split_path (const char  *full_path,
            const char **rest)
{
  for (int i = 0; i < N_PROVIDERS; i++)
    {
      gsize n = strlen (provider_ids[i]);

      if (full_path[0] == '/' && strncmp (full_path + 1, provider_ids[i], n) == 0 &&
          (full_path[n + 1] == '/' || full_path[n + 1] == '\0'))
        {
          *rest = full_path[n + 1] == '\0' ? "/" : full_path + n + 1;
          return i;
        }
    }

  *rest = full_path;
  return -1;
}

static gboolean
is_ident_value (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (ident_values); i++)
    if (g_str_equal (json_node_get_string (node), ident_values[i]))
      return TRUE;
  return FALSE;
}

/* Removes, at any depth, every member whose value is an identity value. */
static void
remove_ident_members (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      GList *members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *member = json_object_get_member (object, l->data);

          if (is_ident_value (member))
            json_object_remove_member (object, l->data);
          else
            remove_ident_members (member);
        }
      g_list_free (members);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        remove_ident_members (json_array_get_element (array, i));
    }
}

/* MISSING_CAPTURE and NUL_IN_BODY: the good 200 answer, then its identity
 * values removed or cut by a NUL byte. Other answers stay as they are. */
static void
mangle_identity (SoupServerMessage *msg,
                 HubEmuFault        fault)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize len;

  if (soup_server_message_get_status (msg) != 200)
    return;
  bytes = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  data = g_bytes_get_data (bytes, &len);

  if (fault == HUB_EMU_FAULT_MISSING_CAPTURE)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *out = NULL;

      if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
        return;
      remove_ident_members (json_parser_get_root (parser));
      out = json_to_string (json_parser_get_root (parser), FALSE);
      /* soup_server_message_set_response() appends: start the body afresh. */
      soup_message_body_truncate (soup_server_message_get_response_body (msg));
      reply_json (msg, 200, out);
    }
  else
    {
      for (gsize i = 0; i < G_N_ELEMENTS (ident_values); i++)
        {
          const char *hit = g_strstr_len (data, (gssize) len, ident_values[i]);
          g_autoptr(GByteArray) out = NULL;
          gsize at;

          if (hit == NULL)
            continue;
          /* "Exam\0ple GmbH": valid JSON up to the byte, and the whole value is still there. */
          at = (gsize) (hit - data) + MIN (strlen (ident_values[i]), 4);
          out = g_byte_array_sized_new ((guint) len + 1);
          g_byte_array_append (out, (const guint8 *) data, (guint) at);
          g_byte_array_append (out, (const guint8 *) "", 1);
          g_byte_array_append (out, (const guint8 *) data + at, (guint) (len - at));
          soup_message_body_truncate (soup_server_message_get_response_body (msg));
          reply (msg, 200, "application/json; charset=utf-8", (const char *) out->data, out->len);
          return;
        }
    }
}

static void
apply_fault (HubEmulator       *self,
             SoupServerMessage *msg,
             int                provider,
             const char        *path,
             GHashTable        *query,
             HubEmuFault        fault)
{
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  switch (fault)
    {
    case HUB_EMU_FAULT_401:
      reply_error (msg, provider, 401, "The credential was refused.");
      break;

    case HUB_EMU_FAULT_403:
      reply_error (msg, provider, 403, "The credential is not allowed to do this.");
      break;

    case HUB_EMU_FAULT_429:
      if (self->retry_after != NULL)
        soup_message_headers_replace (headers, "Retry-After", self->retry_after);
      reply_error (msg, provider, 429, "Too many requests, slow down.");
      break;

    case HUB_EMU_FAULT_500:
      reply_error (msg, provider, 500, "Something went wrong on our side.");
      break;

    case HUB_EMU_FAULT_STALL:
    case HUB_EMU_FAULT_TRICKLE:
      dispatch_provider (self, msg, provider, path, query, HUB_EMU_FAULT_NONE);
      stream_start (self, msg, fault == HUB_EMU_FAULT_TRICKLE);
      break;

    case HUB_EMU_FAULT_SLOW_STEPS:
      dispatch_provider (self, msg, provider, path, query, HUB_EMU_FAULT_NONE);
      stream_start_delayed (self, msg, self->step_delay_ms);
      break;

    case HUB_EMU_FAULT_MISSING_CAPTURE:
    case HUB_EMU_FAULT_NUL_IN_BODY:
      dispatch_provider (self, msg, provider, path, query, HUB_EMU_FAULT_NONE);
      mangle_identity (msg, fault);
      break;

    case HUB_EMU_FAULT_MALFORMED_JSON:
      reply_json (msg, 200, "{\"Items\": [");
      break;

    case HUB_EMU_FAULT_HTML:
      {
        static const char html[] =
          "<!DOCTYPE html>\n<html><head><title>Scheduled maintenance</title></head>"
          "<body><h1>We&rsquo;ll be back soon</h1><p>Sorry for the inconvenience.</p></body></html>\n";
        reply (msg, 200, "text/html; charset=utf-8", html, strlen (html));
      }
      break;

    case HUB_EMU_FAULT_EMPTY:
      reply (msg, 200, "application/json", "", 0);
      break;

    case HUB_EMU_FAULT_NULL:
      reply_json (msg, 200, "null");
      break;

    case HUB_EMU_FAULT_DEEP_JSON:
      {
        g_autofree char *deep = g_malloc (DEEP_JSON_DEPTH);

        memset (deep, '[', DEEP_JSON_DEPTH);
        reply (msg, 200, "application/json", deep, DEEP_JSON_DEPTH);
      }
      break;

    case HUB_EMU_FAULT_OVERSIZED:
      {
        GBytes *big = get_oversized_body ();

        soup_server_message_set_status (msg, 200, NULL);
        soup_message_headers_set_content_type (headers, "application/json", NULL);
        soup_message_body_append_bytes (soup_server_message_get_response_body (msg), big);
      }
      break;

    case HUB_EMU_FAULT_OVERSIZED_GZIP:
      {
        GBytes *gz = get_oversized_gzip_body ();
        SoupMessageBody *body = soup_server_message_get_response_body (msg);
        gsize len = g_bytes_get_size (gz);

        soup_server_message_set_status (msg, 200, NULL);
        soup_message_headers_set_content_type (headers, "application/json", NULL);
        soup_message_headers_replace (headers, "Content-Encoding", "gzip");
        soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
        for (gsize off = 0; off < len; off += GZIP_CHUNK)
          {
            g_autoptr(GBytes) piece = g_bytes_new_from_bytes (gz, off, MIN (GZIP_CHUNK, len - off));

            soup_message_body_append_bytes (body, piece);
          }
        soup_message_body_complete (body);
      }
      break;

    case HUB_EMU_FAULT_REDIRECT:
      {
        const char *q = g_uri_get_query (uri);
        g_autofree char *location = g_strconcat (self->redirect_url, g_uri_get_path (uri),
                                                 q != NULL ? "?" : "", q, NULL);

        soup_server_message_set_redirect (msg, 302, location);
      }
      break;

    case HUB_EMU_FAULT_REDIRECT_SAME:
      {
        g_autofree char *location = g_strconcat (self->url, g_uri_get_path (uri),
                                                 "?again=1", NULL);

        soup_server_message_set_redirect (msg, 302, location);
      }
      break;

    case HUB_EMU_FAULT_NONE:
    case HUB_EMU_FAULT_WRONG_TYPE:
    case HUB_EMU_FAULT_BAD_UTF8:
    case HUB_EMU_FAULT_NO_TOKEN_INFO:
    case HUB_EMU_FAULT_MISSING_SCOPES:
    case HUB_EMU_FAULT_HUGE_NUMBER:
    case HUB_EMU_N_FAULTS:
    default:
      dispatch_provider (self, msg, provider, path, query, fault);
      break;
    }
}

/* control endpoint (for tests that drive the emulator over HTTP) */

static char *
hits_json (HubEmulator *self)
{
  GString *s = g_string_new ("{");

  for (int i = 0; i < N_PROVIDERS; i++)
    g_string_append_printf (s, "\"%s\": %u, ", provider_ids[i], self->hits[i]);
  g_string_append_printf (s, "\"total\": %u, \"redirect\": %u, \"redirect_credential\": %u}",
                          hub_emulator_get_hits (self, NULL),
                          self->redirect_hits, self->redirect_credential_hits);

  return g_string_free (s, FALSE);
}

static void
handle_control (HubEmulator       *self,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query)
{
  const char *provider = query != NULL ? g_hash_table_lookup (query, "provider") : NULL;

  if (g_str_equal (path, "/_control/fault"))
    {
      const char *mode = query != NULL ? g_hash_table_lookup (query, "mode") : NULL;
      HubEmuFault fault = hub_emu_fault_from_string (mode);
      gboolean all = provider == NULL || g_str_equal (provider, "all");

      if (fault == HUB_EMU_N_FAULTS)
        {
          reply_json (msg, 400, "{\"error\": \"unknown mode\"}");
          return;
        }
      if (!all && provider_index (provider) < 0)
        {
          reply_json (msg, 400, "{\"error\": \"unknown provider\"}");
          return;
        }
      hub_emulator_set_fault (self, all ? NULL : provider, fault);
      reply_json (msg, 200, "{\"ok\": true}");
    }
  else if (g_str_equal (path, "/_control/retry-after"))
    {
      const char *value = query != NULL ? g_hash_table_lookup (query, "value") : NULL;

      hub_emulator_set_retry_after (self, value);
      reply_json (msg, 200, "{\"ok\": true}");
    }
  else if (g_str_equal (path, "/_control/hits"))
    {
      g_autofree char *body = hits_json (self);

      reply_json (msg, 200, body);
    }
  else if (g_str_equal (path, "/_control/reset"))
    {
      hub_emulator_reset_counters (self);
      hub_emulator_set_fault (self, NULL, HUB_EMU_FAULT_NONE);
      hub_emulator_set_retry_after (self, "120");
      reply_json (msg, 200, "{\"ok\": true}");
    }
  else
    {
      reply_json (msg, 404, "{\"error\": \"unknown control\"}");
    }
}

/* callbacks */

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  HubEmulator *self = user_data;
  const char *rest = NULL;
  int provider;

  if (g_str_has_prefix (path, "/_control/"))
    {
      handle_control (self, msg, path, query);
      return;
    }

  provider = split_path (path, &rest);
  if (provider < 0)
    {
      self->other_hits++;
      reply_json (msg, 404, "{\"message\": \"No such provider.\"}");
      return;
    }

  self->hits[provider]++;
  apply_fault (self, msg, provider, rest, query, self->faults[provider]);
  g_debug ("%s %s: %u (fault %s)", soup_server_message_get_method (msg), provider_ids[provider],
           soup_server_message_get_status (msg), fault_names[self->faults[provider]]);
}

/* The other host: counts what arrives and answers like the provider would. */
static void
redirect_server_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  HubEmulator *self = user_data;
  const char *rest = NULL;
  int provider;
  gboolean credential;

  self->redirect_hits++;
  credential = get_header (msg, "Authorization") != NULL ||
               get_header (msg, "X-SmartToken") != NULL ||
               get_header (msg, "api-auth-id") != NULL ||
               get_header (msg, "api-auth-signature") != NULL ||
               (query != NULL && g_hash_table_contains (query, "secret"));
  if (credential)
    self->redirect_credential_hits++;
  g_debug ("redirect target: %s request%s", soup_server_message_get_method (msg),
           credential ? " carrying a credential" : "");

  provider = split_path (path, &rest);
  if (provider < 0)
    {
      reply_json (msg, 404, "{\"message\": \"No such provider.\"}");
      return;
    }
  dispatch_provider (self, msg, provider, rest, query, HUB_EMU_FAULT_NONE);
}

static SoupServer *
start_server (HubEmulator         *self,
              SoupServerCallback   callback,
              guint               *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  SoupServer *server;
  GSList *uris;

  server = soup_server_new ("server-header", "hub-emulator ", NULL);
  soup_server_add_handler (server, NULL, callback, self, NULL);
  if (!soup_server_listen (server, address, 0, &error))
    g_error ("hub-emulator: cannot listen on 127.0.0.1: %s", error->message);

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  *port = (guint) g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return server;
}

/* public */

HubEmulator *
hub_emulator_new (void)
{
  HubEmulator *self = g_new0 (HubEmulator, 1);
  guint port = 0, redirect_port = 0;

  self->context = g_main_context_ref_thread_default ();
  self->retry_after = g_strdup ("120");
  self->step_delay_ms = DEFAULT_STEP_DELAY_MS;
  self->huge_number = g_strdup ("1e400");

  self->server = start_server (self, server_cb, &port);
  self->redirect_server = start_server (self, redirect_server_cb, &redirect_port);

  self->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  self->redirect_url = g_strdup_printf ("http://localhost:%u", redirect_port);
  for (int i = 0; i < N_PROVIDERS; i++)
    self->base_urls[i] = g_strdup_printf ("%s/%s", self->url, provider_ids[i]);

  g_debug ("listening on port %u, redirect target on port %u", port, redirect_port);

  return self;
}

void
hub_emulator_free (HubEmulator *self)
{
  if (self == NULL)
    return;

  /* Stop our timers and watches first, then let libsoup drop the connections
   * (paused messages included), then drop our references. */
  for (GList *l = self->streams; l != NULL; l = l->next)
    {
      HubEmuStream *stream = l->data;

      g_clear_signal_handler (&stream->finished_id, stream->msg);
      g_clear_signal_handler (&stream->disconnected_id, stream->msg);
      if (stream->timer != NULL)
        g_source_destroy (stream->timer);
      if (stream->peer_watch != NULL)
        g_source_destroy (stream->peer_watch);
    }

  soup_server_disconnect (self->server);
  soup_server_disconnect (self->redirect_server);
  g_list_free_full (g_steal_pointer (&self->streams), (GDestroyNotify) stream_free);
  g_clear_object (&self->server);
  g_clear_object (&self->redirect_server);

  for (int i = 0; i < N_PROVIDERS; i++)
    g_free (self->base_urls[i]);
  g_free (self->url);
  g_free (self->redirect_url);
  g_free (self->retry_after);
  g_free (self->huge_number);
  g_main_context_unref (self->context);
  g_free (self);
}

const char *
hub_emulator_get_url (HubEmulator *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url;
}

const char *
hub_emulator_get_base_url (HubEmulator *self,
                           const char  *provider_id)
{
  int i = provider_index (provider_id);

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i >= 0, NULL);

  return self->base_urls[i];
}

void
hub_emulator_setenv (HubEmulator *self)
{
  g_return_if_fail (self != NULL);

  for (int i = 0; i < N_PROVIDERS; i++)
    {
      g_autofree char *upper = g_ascii_strup (provider_ids[i], -1);
      g_autofree char *name = g_strconcat ("CONNECT_HUB_BASE_URL_", upper, NULL);

      g_setenv (name, self->base_urls[i], TRUE);
    }
}

void
hub_emulator_set_fault (HubEmulator *self,
                        const char  *provider_id,
                        HubEmuFault  fault)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (fault < HUB_EMU_N_FAULTS);

  if (provider_id == NULL)
    {
      for (int i = 0; i < N_PROVIDERS; i++)
        self->faults[i] = fault;
    }
  else
    {
      int i = provider_index (provider_id);

      g_return_if_fail (i >= 0);
      self->faults[i] = fault;
    }
}

void
hub_emulator_set_retry_after (HubEmulator *self,
                              const char  *value)
{
  g_return_if_fail (self != NULL);

  g_free (self->retry_after);
  self->retry_after = g_strdup (value);
}

void
hub_emulator_set_step_delay (HubEmulator *self,
                             guint        delay_ms)
{
  g_return_if_fail (self != NULL);

  self->step_delay_ms = delay_ms;
}

void
hub_emulator_set_huge_number (HubEmulator *self,
                              const char  *literal)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (literal != NULL);

  g_free (self->huge_number);
  self->huge_number = g_strdup (literal);
}

guint
hub_emulator_get_hits (HubEmulator *self,
                       const char  *provider_id)
{
  guint total;

  g_return_val_if_fail (self != NULL, 0);

  if (provider_id != NULL)
    {
      int i = provider_index (provider_id);

      g_return_val_if_fail (i >= 0, 0);
      return self->hits[i];
    }

  total = self->other_hits;
  for (int i = 0; i < N_PROVIDERS; i++)
    total += self->hits[i];

  return total;
}

guint
hub_emulator_get_redirect_hits (HubEmulator *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->redirect_hits;
}

guint
hub_emulator_get_redirect_credential_hits (HubEmulator *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->redirect_credential_hits;
}

void
hub_emulator_reset_counters (HubEmulator *self)
{
  g_return_if_fail (self != NULL);

  memset (self->hits, 0, sizeof self->hits);
  self->other_hits = 0;
  self->redirect_hits = 0;
  self->redirect_credential_hits = 0;
}

HubEmuFault
hub_emu_fault_from_string (const char *name)
{
  if (name == NULL)
    return HUB_EMU_N_FAULTS;

  for (int i = 0; i < HUB_EMU_N_FAULTS; i++)
    {
      const char *a = fault_names[i];
      const char *b = name;

      /* "malformed-json", "malformed_json" and "MALFORMED_JSON" all match. */
      while (*a != '\0' && *b != '\0' &&
             (g_ascii_tolower (*a) == g_ascii_tolower (*b) || (*a == '-' && *b == '_')))
        a++, b++;
      if (*a == '\0' && *b == '\0')
        return i;
    }

  return HUB_EMU_N_FAULTS;
}

const char *
hub_emu_fault_to_string (HubEmuFault fault)
{
  g_return_val_if_fail (fault < HUB_EMU_N_FAULTS, NULL);

  return fault_names[fault];
}

guint
hub_emulator_get_n_streams (HubEmulator *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_list_length (self->streams);
}
