/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-verifier"

#include "config.h"

#include "hub-verifier.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "hub-auth.h"
#include "hub-json.h"

/* How a verification runs:
 *
 *   verify_async: copy the values into wiped buffers → hub_provider_validate_values
 *   (nothing is sent on failure) → base URL (override or catalog) → [token step]
 *   → each catalog step in order → identity → HubVerifyResult.
 *
 * A step: build the URL ({var} of earlier captures URL-escaped), add the auth
 * headers, arm a deadline timer (CONNECT_HUB_TIMEOUT, whole step including the
 * body; a second timer of timeout + 2 s, armed once, bounds the whole chain of
 * steps), soup_session_send_async without redirects, refuse any 3xx and a
 * Content-Length over 1 MiB, read the decoded stream in chunks up to 1 MiB,
 * scan the JSON strictly, then read the captures. Errors map to HubVerifyError;
 * details keep the step template, status and a redacted body excerpt.
 * Logs carry provider id, step name, method + path template, status and
 * duration only. */

#define DEFAULT_TIMEOUT      15
#define MAX_TIMEOUT          600
#define MAX_BODY             (1024 * 1024)
#define MAX_ERROR_BODY       (4 * 1024)
#define READ_CHUNK           (16 * 1024)
#define EXCERPT_CHARS        240
#define DEFAULT_RETRY_AFTER  60
#define TOKEN_STEP           (-1)
#define OVERALL_GRACE_MS     2000   /* the whole verification: timeout + 2 s */

struct _HubVerifier
{
  GObject      parent_instance;
  SoupSession *session;
  guint        timeout;   /* seconds, whole step */
};

G_DEFINE_FINAL_TYPE (HubVerifier, hub_verifier, G_TYPE_OBJECT)

G_DEFINE_QUARK (hub-verify-error-quark, hub_verify_error)

/* Cancels the verification's own cancellable from an idle, so that the
 * caller's g_cancellable_cancel() never runs our completion (and its
 * g_cancellable_disconnect()) inside its own emission. */
typedef struct
{
  GCancellable *internal;
  GMainContext *context;
} CancelForward;

typedef struct
{
  HubProvider    *provider;
  GHashTable     *values;         /* field id → copy, wiped on free */
  char           *base_url;
  char           *token;          /* exchanged JWT, wiped on free */
  GHashTable     *captures;       /* var → string */
  GStrv           granted_scopes; /* nullable */

  int             step;           /* TOKEN_STEP or index into the verify steps */
  gboolean        any_step_ok;
  gboolean        retried;
  char           *step_template;  /* "GET /companies/{companyId}" */
  const char     *step_name;      /* borrowed */
  gint64          step_started;

  GCancellable   *cancellable;    /* ours: the deadline and the caller cancel it */
  GCancellable   *caller_cancellable;
  gulong          caller_handler;
  GSource        *deadline;       /* this step (and its retry): timeout */
  GSource        *overall;        /* the whole verification: timeout + 2 s, armed once */
  gboolean        timed_out;

  SoupMessage    *msg;
  GInputStream   *stream;
  GByteArray     *body;
  gsize           body_limit;
  guint           status;

  char           *details;
  char           *failed_field;
  guint           retry_after;
} VerifyData;

static void
cancel_forward_free (gpointer data)
{
  CancelForward *forward = data;

  g_object_unref (forward->internal);
  g_main_context_unref (forward->context);
  g_free (forward);
}

static gboolean
cancel_forward_idle_cb (gpointer user_data)
{
  CancelForward *forward = user_data;

  g_cancellable_cancel (forward->internal);
  return G_SOURCE_REMOVE;
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  CancelForward *forward = user_data;
  GSource *source = g_idle_source_new ();

  g_source_set_callback (source, cancel_forward_idle_cb,
                         g_memdup2 (&(CancelForward) { g_object_ref (forward->internal),
                                                      g_main_context_ref (forward->context) },
                                    sizeof (CancelForward)),
                         cancel_forward_free);
  g_source_set_static_name (source, "[hub-verifier] cancel");
  g_source_attach (source, forward->context);
  g_source_unref (source);
}

static void
wipe_byte_array (GByteArray *array)
{
  if (array == NULL)
    return;
  hub_auth_wipe (array->data, array->len);
  g_byte_array_unref (array);
}

static void
disarm_deadline (VerifyData *data)
{
  if (data->deadline != NULL)
    {
      g_source_destroy (data->deadline);
      g_clear_pointer (&data->deadline, g_source_unref);
    }
}

/* Once the verification has an outcome, no deadline may fire any more. */
static void
disarm_deadlines (VerifyData *data)
{
  disarm_deadline (data);
  if (data->overall != NULL)
    {
      g_source_destroy (data->overall);
      g_clear_pointer (&data->overall, g_source_unref);
    }
}

static void
disconnect_caller (VerifyData *data)
{
  if (data->caller_handler != 0)
    {
      g_cancellable_disconnect (data->caller_cancellable, data->caller_handler);
      data->caller_handler = 0;
    }
}

static void
verify_data_free (gpointer user_data)
{
  VerifyData *data = user_data;

  disarm_deadlines (data);
  disconnect_caller (data);
  g_clear_object (&data->caller_cancellable);
  g_clear_object (&data->cancellable);
  g_clear_object (&data->stream);
  g_clear_object (&data->msg);
  g_clear_pointer (&data->body, wipe_byte_array);
  g_clear_object (&data->provider);
  g_clear_pointer (&data->values, g_hash_table_unref);
  g_clear_pointer (&data->token, hub_auth_secret_free);
  g_clear_pointer (&data->captures, g_hash_table_unref);
  g_strfreev (data->granted_scopes);
  g_free (data->base_url);
  g_free (data->step_template);
  g_free (data->details);
  g_free (data->failed_field);
  g_free (data);
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                    */

static guint
timeout_from_env (void)
{
  const char *env = g_getenv ("CONNECT_HUB_TIMEOUT");
  guint seconds;

  if (env == NULL)
    return DEFAULT_TIMEOUT;
  if (!hub_verifier_parse_timeout (env, &seconds, NULL))
    {
      g_debug ("CONNECT_HUB_TIMEOUT is not a whole number of seconds from 1 to %d: using %d",
               MAX_TIMEOUT, DEFAULT_TIMEOUT);
      return DEFAULT_TIMEOUT;
    }
  return seconds;
}

static char *
env_var_name (const char *provider_id)
{
  g_autofree char *upper = g_ascii_strup (provider_id, -1);

  g_strdelimit (upper, "-.", '_');
  return g_strconcat ("CONNECT_HUB_BASE_URL_", upper, NULL);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

typedef const char *(*LookupFunc) (gpointer    user_data,
                                   const char *name);

/* Replaces every {name} of @template; FALSE (and @missing) when a name has
 * no value. With @escape, values are URL-escaped (path segments). */
static char *
expand (const char  *template,
        LookupFunc   lookup,
        gpointer     user_data,
        gboolean     escape,
        char       **missing)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = template;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;
      g_autofree char *name = NULL;
      const char *value;

      if (open == NULL || (close = strchr (open, '}')) == NULL)
        {
          g_string_append (out, p);
          break;
        }
      g_string_append_len (out, p, open - p);
      name = g_strndup (open + 1, (gsize) (close - open - 1));
      value = lookup (user_data, name);
      if (value == NULL || *value == '\0')
        {
          if (missing != NULL)
            *missing = g_steal_pointer (&name);
          return NULL;
        }
      if (escape)
        {
          g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

          g_string_append (out, escaped);
        }
      else
        g_string_append (out, value);
      p = close + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
lookup_table (gpointer    user_data,
              const char *name)
{
  return user_data != NULL ? g_hash_table_lookup (user_data, name) : NULL;
}

static char *
strip_trailing_slash (char *url)
{
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return url;
}

static gboolean
validate_override (const char  *var,
                   const char  *value,
                   GError     **error)
{
  g_autoptr(GUri) uri = g_uri_parse (value, G_URI_FLAGS_NONE, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  const char *host = uri != NULL ? g_uri_get_host (uri) : NULL;
  gboolean ok = FALSE;

  if (uri != NULL && host != NULL && *host != '\0' &&
      g_uri_get_userinfo (uri) == NULL &&
      g_uri_get_query (uri) == NULL && g_uri_get_fragment (uri) == NULL)
    {
      if (g_ascii_strcasecmp (scheme, "https") == 0)
        ok = TRUE;
      else if (g_ascii_strcasecmp (scheme, "http") == 0)
        ok = host_is_loopback (host);
    }

  if (!ok)
    g_set_error (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_CONFIG,
                 /* Translators: %s is an environment variable name */
                 _("The address in %s is not allowed: only https:// or http:// to this computer "
                   "(127.0.0.1, ::1 or localhost) is accepted. Correct or unset the variable."),
                 var);
  return ok;
}

static gboolean
is_secret_field (HubProvider *provider,
                 const char  *field_id)
{
  const HubField *field = hub_provider_get_field (provider, field_id);

  /* Unknown fields are treated as secret: better hide too much. */
  return field == NULL || field->secret;
}

/* Every secret value (raw and URL-escaped) and the token, each replaced by "…". */
static char *
redact (VerifyData *data,
        const char *text)
{
  g_autoptr(GPtrArray) needles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (text);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, data->values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!is_secret_field (data->provider, key) || value == NULL || *(char *) value == '\0')
        continue;
      g_ptr_array_add (needles, g_strdup (value));
      g_ptr_array_add (needles, g_uri_escape_string (value, NULL, FALSE));
    }
  if (data->token != NULL && *data->token != '\0')
    g_ptr_array_add (needles, g_strdup (data->token));

  for (guint i = 0; i < needles->len; i++)
    {
      g_string_replace (out, g_ptr_array_index (needles, i), "…", 0);
      hub_auth_wipe (g_ptr_array_index (needles, i), strlen (g_ptr_array_index (needles, i)));
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
body_excerpt (VerifyData *data)
{
  g_autofree char *valid = NULL;
  g_autofree char *clean = NULL;
  glong n_chars;

  if (data->body == NULL || data->body->len == 0)
    return g_strdup ("");
  /* A token answer holds the exchanged token; when it cannot be used, the
   * token is not known yet and redaction could not find it: show none of it. */
  if (data->step == TOKEN_STEP && SOUP_STATUS_IS_SUCCESSFUL (data->status))
    return g_strdup ("");

  valid = g_utf8_make_valid ((const char *) data->body->data, data->body->len);
  for (char *c = valid; *c; c++)
    if ((guchar) *c < 0x20)
      *c = ' ';
  /* Redact before cutting, so no prefix of a secret survives at the cut. */
  clean = redact (data, valid);
  hub_auth_wipe (valid, strlen (valid));
  n_chars = g_utf8_strlen (clean, -1);
  if (n_chars > EXCERPT_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (clean, EXCERPT_CHARS);

      *end = '\0';
      return g_strconcat (clean, "…", NULL);
    }
  return g_steal_pointer (&clean);
}

static void
set_details (VerifyData *data,
             const char *what)
{
  g_autofree char *excerpt = body_excerpt (data);
  g_autofree char *raw = NULL;

  if (data->status != 0)
    raw = g_strdup_printf ("HTTP %u · %s%s%s%s%s",
                           data->status,
                           data->step_template != NULL ? data->step_template : "",
                           what != NULL ? "\n" : "", what != NULL ? what : "",
                           *excerpt != '\0' ? "\n" : "", excerpt);
  else
    raw = g_strdup_printf ("%s%s%s",
                           data->step_template != NULL ? data->step_template : "",
                           what != NULL ? "\n" : "", what != NULL ? what : "");

  g_free (data->details);
  data->details = redact (data, raw);
}

static char *
format_rate_limited (const char *name,
                     guint       seconds)
{
  if (seconds < 60)
    return g_strdup_printf (ngettext ("%s is receiving too many requests. Try again in %u second.",
                                      "%s is receiving too many requests. Try again in %u seconds.",
                                      seconds),
                            name, seconds);
  if (seconds < 3600)
    {
      guint minutes = (seconds + 59) / 60;

      return g_strdup_printf (ngettext ("%s is receiving too many requests. Try again in %u minute.",
                                        "%s is receiving too many requests. Try again in %u minutes.",
                                        minutes),
                              name, minutes);
    }
  return g_strdup_printf (ngettext ("%s is receiving too many requests. Try again in %u hour.",
                                    "%s is receiving too many requests. Try again in %u hours.",
                                    (seconds + 3599) / 3600),
                          name, (seconds + 3599) / 3600);
}

/* The field holding the credential, for the rejection message. */
static const HubField *
rejected_secret_field (HubProvider *provider)
{
  const HubAuth *auth = hub_provider_get_auth (provider);

  return auth->secret_field != NULL ? hub_provider_get_field (provider, auth->secret_field) : NULL;
}

/* Another field that can make the provider refuse a good credential: the API
 * id of a signature scheme, or a field of the base URL (Sesame's region). */
static const HubField *
rejected_other_field (HubProvider *provider)
{
  const HubAuth *auth = hub_provider_get_auth (provider);
  const char *base = hub_provider_get_base_url (provider);
  GPtrArray *fields = hub_provider_get_fields (provider);

  if (auth->id_field != NULL)
    return hub_provider_get_field (provider, auth->id_field);

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      const HubField *field = g_ptr_array_index (fields, i);
      g_autofree char *placeholder = g_strdup_printf ("{%s}", field->id);

      if (strstr (base, placeholder) != NULL)
        return field;
    }
  return NULL;
}

/* ------------------------------------------------------------------------ */
/* Completion                                                                 */

static void
log_step (VerifyData *data,
          const char *outcome)
{
  g_debug ("%s: step %s: %s → %s in %" G_GINT64_FORMAT " ms",
           hub_provider_get_id (data->provider),
           data->step_name != NULL ? data->step_name : "-",
           data->step_template != NULL ? data->step_template : "-",
           outcome,
           (g_get_monotonic_time () - data->step_started) / 1000);
}

static void
return_error (GTask      *task,
              GError     *error)  /* (transfer full) */
{
  VerifyData *data = g_task_get_task_data (task);

  disarm_deadlines (data);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, wipe_byte_array);
  g_debug ("%s: verification failed: %s code %d",
           hub_provider_get_id (data->provider),
           g_quark_to_string (error->domain), error->code);
  g_task_return_error (task, error);
}

static void
fail_with_code (GTask          *task,
                HubVerifyError  code,
                const char     *what)
{
  VerifyData *data = g_task_get_task_data (task);
  const char *name = hub_provider_get_name (data->provider);
  const char *hint = hub_provider_get_rejected_hint (data->provider);
  g_autofree char *message = NULL;

  switch (code)
    {
    case HUB_VERIFY_ERROR_REJECTED:
      {
        const HubField *secret_field = rejected_secret_field (data->provider);
        const HubField *other = rejected_other_field (data->provider);
        g_autofree char *what_wrong = NULL;

        if (secret_field == NULL)
          /* Translators: %s is a provider name */
          what_wrong = g_strdup_printf (_("%s refused this credential."), name);
        else if (other != NULL)
          /* Translators: "Sesame HR refused the API Token, or the Region is wrong." */
          what_wrong = g_strdup_printf (_("%s refused the %s, or the %s is wrong."),
                                        name, secret_field->label, other->label);
        else
          /* Translators: "Leapsome refused the Content API Secret: it is wrong or was revoked." */
          what_wrong = g_strdup_printf (_("%s refused the %s: it is wrong or was revoked."),
                                        name, secret_field->label);

        if (secret_field != NULL && other == NULL && data->failed_field == NULL)
          data->failed_field = g_strdup (secret_field->id);

        message = g_strconcat (what_wrong, " ",
                               hint != NULL && *hint != '\0'
                                 ? hint : _("Check it and link the account again."),
                               NULL);
      }
      break;
    case HUB_VERIFY_ERROR_PERMISSION:
      message = g_strdup_printf (_("%s accepted the credential, but it lacks the permission to read the "
                                   "account details. Give it more access, or create one with more access, "
                                   "and link again."),
                                 name);
      break;
    case HUB_VERIFY_ERROR_RATE_LIMITED:
      message = format_rate_limited (name, data->retry_after);
      break;
    case HUB_VERIFY_ERROR_UNREACHABLE:
      if (data->status >= 500)
        message = g_strdup_printf (_("%s is having a problem on its side (server error %u). "
                                     "Try again later."),
                                   name, data->status);
      else
        message = g_strdup_printf (_("Could not reach %s. Check the internet connection and try again."),
                                   name);
      break;
    case HUB_VERIFY_ERROR_TIMED_OUT:
      message = g_strdup_printf (ngettext ("%s did not answer within %u second. Check the internet "
                                           "connection and try again.",
                                           "%s did not answer within %u seconds. Check the internet "
                                           "connection and try again.",
                                           hub_verifier_get_timeout (g_task_get_source_object (task))),
                                 name, hub_verifier_get_timeout (g_task_get_source_object (task)));
      break;
    case HUB_VERIFY_ERROR_TLS:
      message = g_strdup_printf (_("The secure connection to %s could not be verified, so nothing was sent. "
                                   "A proxy or public network may be interfering; try another network."),
                                 name);
      break;
    case HUB_VERIFY_ERROR_UNEXPECTED:
      if (data->status >= 300 && data->status < 400)
        message = g_strdup_printf (_("%s redirected the request elsewhere. Connect Hub does not follow "
                                     "redirects, to keep the credential safe. Try again later."),
                                   name);
      else
        message = g_strdup_printf (_("%s gave an answer Connect Hub does not understand. Try again later; "
                                     "if it keeps happening, report a bug."),
                                   name);
      break;
    case HUB_VERIFY_ERROR_INVALID_INPUT:
    case HUB_VERIFY_ERROR_CONFIG:
    default:
      message = g_strdup_printf (_("Could not check the credential with %s."), name);
      break;
    }

  set_details (data, what);
  return_error (task, g_error_new_literal (HUB_VERIFY_ERROR, code, message));
}

static void
fail_transport (GTask        *task,
                const GError *error)
{
  VerifyData *data = g_task_get_task_data (task);
  g_autofree char *what = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !data->timed_out)
    {
      log_step (data, "cancelled");
      return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The check was cancelled.")));
      return;
    }

  log_step (data, data->timed_out ? "timed out" : "transport error");
  what = g_strdup_printf ("%s (%s %d)", data->timed_out ? "deadline passed" : error->message,
                          g_quark_to_string (error->domain), error->code);
  fail_with_code (task,
                  data->timed_out ? HUB_VERIFY_ERROR_TIMED_OUT
                                  : hub_verify_error_from_transport (error),
                  what);
}

static void
complete_success (GTask *task)
{
  VerifyData *data = g_task_get_task_data (task);
  GStrv required = hub_provider_get_required_scopes (data->provider);
  g_autoptr(GStrvBuilder) missing = g_strv_builder_new ();
  g_auto(GStrv) missing_scopes = NULL;
  g_autofree char *identity = NULL;
  HubVerifyResult *result;

  identity = hub_provider_render_identity (data->provider, data->captures);
  if (identity == NULL || *identity == '\0' || strstr (identity, "(null)") != NULL)
    {
      fail_with_code (task, HUB_VERIFY_ERROR_UNEXPECTED, "identity could not be rendered");
      return;
    }

  if (data->granted_scopes != NULL && required != NULL)
    {
      for (guint i = 0; required[i] != NULL; i++)
        if (!g_strv_contains ((const char * const *) data->granted_scopes, required[i]))
          g_strv_builder_add (missing, required[i]);
      missing_scopes = g_strv_builder_end (missing);
    }

  disarm_deadlines (data);
  result = hub_verify_result_new (hub_provider_get_id (data->provider), identity, data->captures,
                                  (const char * const *) data->granted_scopes,
                                  (const char * const *) missing_scopes);
  g_debug ("%s: verification succeeded", hub_provider_get_id (data->provider));
  g_task_return_pointer (task, result, g_object_unref);
}

/* ------------------------------------------------------------------------ */
/* Steps                                                                      */

static void start_step (GTask *task);

static const HubVerifyStep *
current_step (VerifyData *data)
{
  GPtrArray *steps = hub_provider_get_verify_steps (data->provider);

  if (data->step == TOKEN_STEP || steps == NULL || (guint) data->step >= steps->len)
    return NULL;
  return g_ptr_array_index (steps, data->step);
}

static void
next_step (GTask *task)
{
  VerifyData *data = g_task_get_task_data (task);
  GPtrArray *steps = hub_provider_get_verify_steps (data->provider);

  data->step++;
  data->retried = FALSE;
  if (steps == NULL || (guint) data->step >= steps->len)
    complete_success (task);
  else
    start_step (g_object_ref (task));
}

/* Applies the captures of the current step; FALSE when it failed (task returned). */
static gboolean
apply_captures (GTask    *task,
                JsonNode *root)
{
  VerifyData *data = g_task_get_task_data (task);
  const HubAuth *auth = hub_provider_get_auth (data->provider);
  const HubVerifyStep *step = current_step (data);

  if (data->step == TOKEN_STEP)
    {
      g_autoptr(GError) error = NULL;
      char *token = hub_json_dup_string (root, auth->token_capture, &error);

      if (token == NULL)
        {
          g_autofree char *what = g_strdup_printf ("token: %s", error->message);

          fail_with_code (task, HUB_VERIFY_ERROR_UNEXPECTED, what);
          return FALSE;
        }
      hub_auth_secret_free (data->token);
      data->token = token;
      return TRUE;
    }

  if (step == NULL || step->captures == NULL)
    return TRUE;

  for (guint i = 0; i < step->captures->len; i++)
    {
      const HubCapture *capture = g_ptr_array_index (step->captures, i);
      g_autoptr(GError) error = NULL;
      g_autofree char *value = NULL;

      switch (capture->type)
        {
        case HUB_CAPTURE_STRING:
          value = hub_json_dup_string (root, capture->path, &error);
          break;
        case HUB_CAPTURE_INTEGER:
          {
            gint64 v;

            if (hub_json_get_int64 (root, capture->path, &v, &error))
              value = g_strdup_printf ("%" G_GINT64_FORMAT, v);
          }
          break;
        case HUB_CAPTURE_STRING_ARRAY:
          {
            g_auto(GStrv) strv = hub_json_dup_string_array (root, capture->path, &error);

            if (strv != NULL)
              {
                value = g_strjoinv (", ", strv);
                if (data->granted_scopes == NULL || g_strcmp0 (capture->var, "scopes") == 0)
                  {
                    g_strfreev (data->granted_scopes);
                    data->granted_scopes = g_steal_pointer (&strv);
                  }
              }
          }
          break;
        default:
          g_set_error_literal (&error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE, "unknown type");
          break;
        }

      if (value != NULL && g_strcmp0 (capture->transform, "email-domain") == 0)
        {
          const char *at = strrchr (value, '@');
          char *domain = NULL;

          if (at != NULL && at != value && at[1] != '\0')
            domain = g_strdup (at + 1);
          else
            g_set_error (&error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE,
                         "value at “%s” is not an e-mail address", capture->path);
          g_free (value);
          value = domain;
        }

      if (value == NULL)
        {
          g_autofree char *what = NULL;

          if (capture->optional)
            {
              g_debug ("%s: step %s: optional capture %s absent",
                       hub_provider_get_id (data->provider), step->name, capture->var);
              continue;
            }
          what = g_strdup_printf ("capture %s: %s", capture->var, error->message);
          fail_with_code (task, HUB_VERIFY_ERROR_UNEXPECTED, what);
          return FALSE;
        }
      g_hash_table_replace (data->captures, g_strdup (capture->var), g_steal_pointer (&value));
    }
  return TRUE;
}

static void
handle_body (GTask *task)
{
  VerifyData *data = g_task_get_task_data (task);
  const HubVerifyStep *step = current_step (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status = data->status;

  disarm_deadline (data);
  g_clear_object (&data->stream);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *what = NULL;

      log_step (data, "ok");
      root = hub_json_parse ((const char *) data->body->data, data->body->len, &error);
      if (root == NULL)
        {
          what = g_strdup_printf ("body: %s", error->message);
          fail_with_code (task, HUB_VERIFY_ERROR_UNEXPECTED, what);
          return;
        }
      if (!apply_captures (task, root))
        return;
      /* The token answer holds the JWT: no copy of it stays around. */
      if (data->step == TOKEN_STEP)
        {
          const HubAuth *auth = hub_provider_get_auth (data->provider);
          JsonNode *node = hub_json_lookup (root, auth->token_capture);

          /* json-glib's copy too: the tree is freed right below. */
          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING)
            {
              char *copy = (char *) json_node_get_string (node);

              hub_auth_wipe (copy, strlen (copy));
            }
        }
      g_clear_pointer (&data->body, wipe_byte_array);
      data->any_step_ok = TRUE;
      next_step (task);
      return;
    }

  {
    g_autofree char *status_text = g_strdup_printf ("%u", status);

    log_step (data, status_text);
  }

  /* An optional step (Humaans /token-info) may not exist, or the token may
   * lack the right to read it; the required steps after it still decide. */
  if ((status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_FORBIDDEN) &&
      step != NULL && step->optional)
    {
      g_debug ("%s: optional step %s skipped", hub_provider_get_id (data->provider), step->name);
      g_clear_pointer (&data->body, wipe_byte_array);
      next_step (task);
      return;
    }

  if (status == 429 /* Too Many Requests */)
    data->retry_after = hub_verify_parse_retry_after (
      soup_message_headers_get_one (soup_message_get_response_headers (data->msg), "Retry-After"));

  if (status == SOUP_STATUS_FORBIDDEN && data->any_step_ok)
    fail_with_code (task, HUB_VERIFY_ERROR_PERMISSION, NULL);
  else
    fail_with_code (task, hub_verify_error_from_status (status), NULL);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VerifyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize size;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      fail_transport (task, error);
      return;
    }
  if (g_cancellable_is_cancelled (data->cancellable))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");

      fail_transport (task, cancelled);
      return;
    }

  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      handle_body (task);
      return;
    }

  if (data->body->len + size > data->body_limit)
    {
      if (SOUP_STATUS_IS_SUCCESSFUL (data->status))
        {
          hub_auth_wipe ((gpointer) g_bytes_get_data (bytes, NULL), size);
          log_step (data, "body too large");
          fail_with_code (task, HUB_VERIFY_ERROR_UNEXPECTED, "body larger than 1 MiB");
          return;
        }
      /* An error answer: its start is enough for the details. */
      g_byte_array_append (data->body, g_bytes_get_data (bytes, NULL),
                           (guint) (data->body_limit - data->body->len));
      hub_auth_wipe ((gpointer) g_bytes_get_data (bytes, NULL), size);
      handle_body (task);
      return;
    }

  g_byte_array_append (data->body, g_bytes_get_data (bytes, NULL), (guint) size);
  hub_auth_wipe ((gpointer) g_bytes_get_data (bytes, NULL), size);
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   data->cancellable, read_cb, g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  VerifyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  SoupMessageHeaders *headers;

  stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (stream == NULL)
    {
      if (!g_cancellable_is_cancelled (data->cancellable) &&
          hub_verify_should_retry (error, soup_message_get_method (data->msg), data->retried))
        {
          log_step (data, "HTTP/2 error, retrying once");
          data->retried = TRUE;
          start_step (g_steal_pointer (&task));
          return;
        }
      fail_transport (task, error);
      return;
    }

  data->status = soup_message_get_status (data->msg);
  headers = soup_message_get_response_headers (data->msg);

  if (SOUP_STATUS_IS_REDIRECTION (data->status))
    {
      log_step (data, "redirect refused");
      fail_with_code (task, HUB_VERIFY_ERROR_UNEXPECTED, "redirects are not followed");
      return;
    }

  data->body_limit = SOUP_STATUS_IS_SUCCESSFUL (data->status) ? MAX_BODY : MAX_ERROR_BODY;
  if (SOUP_STATUS_IS_SUCCESSFUL (data->status) &&
      soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > MAX_BODY)
    {
      log_step (data, "body too large");
      fail_with_code (task, HUB_VERIFY_ERROR_UNEXPECTED, "Content-Length larger than 1 MiB");
      return;
    }

  g_set_object (&data->stream, stream);
  g_clear_pointer (&data->body, wipe_byte_array);
  data->body = g_byte_array_sized_new (READ_CHUNK);
  g_input_stream_read_bytes_async (data->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   data->cancellable, read_cb, g_steal_pointer (&task));
}

static gboolean
deadline_cb (gpointer user_data)
{
  VerifyData *data = user_data;

  data->timed_out = TRUE;
  g_clear_pointer (&data->deadline, g_source_unref);
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

/* The whole verification ran out of time, whichever step it is in: the
 * in-flight request is cancelled and reports TIMED_OUT. */
static gboolean
overall_deadline_cb (gpointer user_data)
{
  VerifyData *data = user_data;

  g_debug ("%s: overall deadline passed in step %s", hub_provider_get_id (data->provider),
           data->step_name != NULL ? data->step_name : "-");
  data->timed_out = TRUE;
  g_clear_pointer (&data->overall, g_source_unref);
  g_cancellable_cancel (data->cancellable);
  return G_SOURCE_REMOVE;
}

static void
start_step (GTask *task)  /* (transfer full) */
{
  VerifyData *data = g_task_get_task_data (task);
  HubVerifier *self = g_task_get_source_object (task);
  const HubAuth *auth = hub_provider_get_auth (data->provider);
  const HubVerifyStep *step = current_step (data);
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autofree char *missing = NULL;
  char *url;
  const char *method;
  const char *secret = NULL;

  if (auth->secret_field != NULL)
    secret = g_hash_table_lookup (data->values, auth->secret_field);

  if (g_cancellable_is_cancelled (data->cancellable))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");

      fail_transport (task, cancelled);
      g_object_unref (task);
      return;
    }

  g_clear_object (&data->msg);
  g_clear_object (&data->stream);
  g_clear_pointer (&data->body, wipe_byte_array);
  data->status = 0;
  g_clear_pointer (&data->step_template, g_free);

  if (data->step == TOKEN_STEP)
    {
      method = "GET";
      data->step_name = "token";
      data->step_template = g_strdup_printf ("GET %s", auth->token_path);
      path = g_strdup (auth->token_path);
      query = hub_auth_token_exchange_query (auth->token_param, secret != NULL ? secret : "");
    }
  else
    {
      method = step->method;
      data->step_name = step->name;
      data->step_template = g_strdup_printf ("%s %s", step->method, step->path);
      path = expand (step->path, lookup_table, data->captures, TRUE, &missing);
      if (path != NULL && step->query != NULL)
        query = expand (step->query, lookup_table, data->captures, TRUE, &missing);
      if (path == NULL || (step->query != NULL && query == NULL))
        {
          g_autofree char *what = g_strdup_printf ("no value for {%s}", missing);

          data->step_started = g_get_monotonic_time ();
          fail_with_code (task, HUB_VERIFY_ERROR_UNEXPECTED, what);
          g_object_unref (task);
          return;
        }
    }

  url = g_strconcat (data->base_url, path, query != NULL ? "?" : NULL, query, NULL);
  data->msg = soup_message_new (method, url);
  hub_auth_secret_free (url);
  data->step_started = g_get_monotonic_time ();
  if (data->msg == NULL)
    {
      if (data->step == TOKEN_STEP)
        hub_auth_secret_free (g_steal_pointer (&query));
      fail_with_code (task, HUB_VERIFY_ERROR_CONFIG, "invalid request URL");
      g_object_unref (task);
      return;
    }
  soup_message_add_flags (data->msg, SOUP_MESSAGE_NO_REDIRECT);

  if (data->step == TOKEN_STEP)
    {
      soup_message_headers_replace (soup_message_get_request_headers (data->msg),
                                    "Accept", "application/json");
      hub_auth_secret_free (g_steal_pointer (&query));
    }
  else if (!hub_auth_apply (auth, soup_message_get_request_headers (data->msg),
                            secret,
                            auth->id_field != NULL
                              ? g_hash_table_lookup (data->values, auth->id_field) : NULL,
                            data->token, query))
    {
      fail_with_code (task, HUB_VERIFY_ERROR_CONFIG, "the auth scheme lacks a value");
      g_object_unref (task);
      return;
    }

  disarm_deadline (data);
  data->deadline = g_timeout_source_new (self->timeout * 1000);
  g_source_set_callback (data->deadline, deadline_cb, data, NULL);
  g_source_set_static_name (data->deadline, "[hub-verifier] deadline");
  g_source_attach (data->deadline, g_task_get_context (task));

  g_debug ("%s: step %s: %s", hub_provider_get_id (data->provider), data->step_name,
           data->step_template);
  soup_session_send_async (self->session, data->msg, G_PRIORITY_DEFAULT, data->cancellable,
                           send_cb, task);
}

/* ------------------------------------------------------------------------ */
/* GObject                                                                    */

static void
hub_verifier_dispose (GObject *object)
{
  HubVerifier *self = HUB_VERIFIER (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (hub_verifier_parent_class)->dispose (object);
}

static void
hub_verifier_class_init (HubVerifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hub_verifier_dispose;
}

static void
hub_verifier_init (HubVerifier *self)
{
  self->timeout = timeout_from_env ();
  /* The system proxy resolver stays (real use); 127.0.0.1 is never proxied.
   * No HTTP logger is attached: URLs and headers carry secrets. accept-certificate is
   * never connected: a certificate error is final. */
  self->session = soup_session_new_with_options ("user-agent", "ConnectHub/" PACKAGE_VERSION,
                                                 "timeout", self->timeout,
                                                 NULL);
}

/* ------------------------------------------------------------------------ */
/* Public                                                                     */

HubVerifyError
hub_verify_error_from_status (guint status)
{
  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    return HUB_VERIFY_ERROR_REJECTED;
  if (status == 429 /* Too Many Requests */)
    return HUB_VERIFY_ERROR_RATE_LIMITED;
  if (status == SOUP_STATUS_REQUEST_TIMEOUT || status == SOUP_STATUS_GATEWAY_TIMEOUT)
    return HUB_VERIFY_ERROR_TIMED_OUT;
  if (status >= 500 && status <= 599)
    return HUB_VERIFY_ERROR_UNREACHABLE;
  /* 3xx (never followed), 404 (wrong base or region), other 4xx, 1xx, 2xx here. */
  return HUB_VERIFY_ERROR_UNEXPECTED;
}

HubVerifyError
hub_verify_error_from_transport (const GError *error)
{
  g_return_val_if_fail (error != NULL, HUB_VERIFY_ERROR_UNREACHABLE);

  if (error->domain == G_TLS_ERROR)
    return HUB_VERIFY_ERROR_TLS;
  if (error->domain == G_RESOLVER_ERROR)
    return HUB_VERIFY_ERROR_UNREACHABLE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return HUB_VERIFY_ERROR_TIMED_OUT;
  if (error->domain == SOUP_SESSION_ERROR)
    {
      switch (error->code)
        {
        case SOUP_SESSION_ERROR_PARSING:
        case SOUP_SESSION_ERROR_ENCODING:
        case SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS:
        case SOUP_SESSION_ERROR_REDIRECT_BAD_URI:
          return HUB_VERIFY_ERROR_UNEXPECTED;
        default:
          return HUB_VERIFY_ERROR_UNREACHABLE;
        }
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    return HUB_VERIFY_ERROR_UNEXPECTED;
  /* Connection refused, host/network unreachable, reset, proxy failures … */
  return HUB_VERIFY_ERROR_UNREACHABLE;
}

guint
hub_verify_parse_retry_after (const char *value)
{
  g_autofree char *copy = NULL;
  g_autoptr(GDateTime) date = NULL;
  guint64 seconds;

  if (value == NULL)
    return DEFAULT_RETRY_AFTER;

  copy = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (copy, 10, 0, G_MAXUINT64, &seconds, NULL))
    return (guint) CLAMP (seconds, 1, 3600);

  date = soup_date_time_new_from_http_string (copy);
  if (date != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GTimeSpan delta = g_date_time_difference (date, now) / G_TIME_SPAN_SECOND;

      return (guint) CLAMP (delta, 1, 3600);
    }
  return DEFAULT_RETRY_AFTER;
}

gboolean
hub_verify_should_retry (const GError *error,
                         const char   *method,
                         gboolean      already_retried)
{
  g_return_val_if_fail (error != NULL, FALSE);

  if (already_retried || g_strcmp0 (method, "GET") != 0)
    return FALSE;
  return error->domain == G_IO_ERROR && error->message != NULL &&
         strstr (error->message, "HTTP/2 Error") != NULL;
}

gboolean
hub_verifier_parse_timeout (const char  *text,
                            guint       *seconds,
                            GError     **error)
{
  guint64 value;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* g_ascii_string_to_unsigned() refuses a sign and surrounding spaces; the
   * digit check also keeps out anything strtoull would skip over. */
  if (text == NULL || !g_ascii_isdigit (text[0]) ||
      !g_ascii_string_to_unsigned (text, 10, 1, MAX_TIMEOUT, &value, NULL))
    {
      g_set_error_literal (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_CONFIG,
                           _("CONNECT_HUB_TIMEOUT must be a whole number of seconds from 1 to 600."));
      return FALSE;
    }
  if (seconds != NULL)
    *seconds = (guint) value;
  return TRUE;
}

HubVerifier *
hub_verifier_new (void)
{
  return g_object_new (HUB_TYPE_VERIFIER, NULL);
}

HubVerifier *
hub_verifier_get_default (void)
{
  static HubVerifier *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, hub_verifier_new ());
  return instance;
}

void
hub_verifier_set_timeout (HubVerifier *self,
                          guint        seconds)
{
  g_return_if_fail (HUB_IS_VERIFIER (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
  g_object_set (self->session, "timeout", seconds, NULL);
}

guint
hub_verifier_get_timeout (HubVerifier *self)
{
  g_return_val_if_fail (HUB_IS_VERIFIER (self), 0);

  return self->timeout;
}

void
hub_verifier_set_tls_database (HubVerifier  *self,
                               GTlsDatabase *database)
{
  g_return_if_fail (HUB_IS_VERIFIER (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  soup_session_set_tls_database (self->session, database);
}

char *
hub_verifier_resolve_base_url (HubProvider  *provider,
                               GHashTable   *values,
                               GError      **error)
{
  g_autofree char *var = NULL;
  g_autofree char *missing = NULL;
  const char *override;
  char *url;

  g_return_val_if_fail (HUB_IS_PROVIDER (provider), NULL);

  var = env_var_name (hub_provider_get_id (provider));
  override = g_getenv (var);
  if (override != NULL && *override != '\0')
    {
      if (!validate_override (var, override, error))
        return NULL;
      return strip_trailing_slash (g_strdup (override));
    }

  /* Escaped, so that no value can add a host, a port or a path. */
  url = expand (hub_provider_get_base_url (provider), lookup_table, values, TRUE, &missing);
  if (url == NULL)
    {
      const HubField *field = hub_provider_get_field (provider, missing);

      g_set_error (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_INVALID_INPUT,
                   /* Translators: %s is a field label such as “Region” */
                   _("Fill in %s."), field != NULL ? field->label : missing);
      return NULL;
    }
  return strip_trailing_slash (url);
}

void
hub_verifier_verify_async (HubVerifier         *self,
                           HubProvider         *provider,
                           GHashTable          *values,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  const char *failed_field = NULL;
  const HubAuth *auth;
  VerifyData *data;

  g_return_if_fail (HUB_IS_VERIFIER (self));
  g_return_if_fail (HUB_IS_PROVIDER (provider));
  g_return_if_fail (values != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hub_verifier_verify_async);
  g_task_set_name (task, "[hub-verifier] verify");

  data = g_new0 (VerifyData, 1);
  data->provider = g_object_ref (provider);
  data->values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) hub_auth_secret_free);
  data->captures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  data->cancellable = g_cancellable_new ();
  data->step = TOKEN_STEP;
  data->step_started = g_get_monotonic_time ();
  g_task_set_task_data (task, data, verify_data_free);

  {
    GHashTableIter iter;
    gpointer key, value;

    g_hash_table_iter_init (&iter, values);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (key != NULL && value != NULL)
        g_hash_table_replace (data->values, g_strdup (key), g_strdup (value));
  }

  if (cancellable != NULL)
    {
      CancelForward *forward = g_new0 (CancelForward, 1);

      forward->internal = g_object_ref (data->cancellable);
      forward->context = g_main_context_ref (g_task_get_context (task));
      data->caller_cancellable = g_object_ref (cancellable);
      data->caller_handler = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                    forward, cancel_forward_free);
      /* Already cancelled: the handler ran synchronously and queued the cancel. */
    }

  /* Nothing is sent before every value passed validation. */
  if (!hub_provider_validate_values (provider, data->values, &failed_field, &error))
    {
      data->failed_field = g_strdup (failed_field);
      g_debug ("%s: invalid input in field %s", hub_provider_get_id (provider),
               failed_field != NULL ? failed_field : "-");
      return_error (task,
                    g_error_new_literal (HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_INVALID_INPUT,
                                         error->message));
      return;
    }

  data->base_url = hub_verifier_resolve_base_url (provider, data->values, &error);
  if (data->base_url == NULL)
    {
      g_debug ("%s: no usable base URL", hub_provider_get_id (provider));
      return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Each step has its own deadline (start_step); this one bounds the chain, so
   * a three-step provider cannot take three timeouts. */
  data->overall = g_timeout_source_new (self->timeout * 1000 + OVERALL_GRACE_MS);
  g_source_set_callback (data->overall, overall_deadline_cb, data, NULL);
  g_source_set_static_name (data->overall, "[hub-verifier] overall deadline");
  g_source_attach (data->overall, g_task_get_context (task));

  auth = hub_provider_get_auth (provider);
  if (auth->scheme != HUB_AUTH_TOKEN_EXCHANGE)
    data->step = 0;
  start_step (g_steal_pointer (&task));
}

HubVerifyResult *
hub_verifier_verify_finish (HubVerifier   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (HUB_IS_VERIFIER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hub_verifier_verify_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static VerifyData *
task_data (HubVerifier  *self,
           GAsyncResult *result)
{
  g_return_val_if_fail (HUB_IS_VERIFIER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_get_task_data (G_TASK (result));
}

char *
hub_verifier_dup_details (HubVerifier  *self,
                          GAsyncResult *result)
{
  VerifyData *data = task_data (self, result);

  return data != NULL ? g_strdup (data->details) : NULL;
}

const char *
hub_verifier_get_failed_field (HubVerifier  *self,
                               GAsyncResult *result)
{
  VerifyData *data = task_data (self, result);

  return data != NULL ? data->failed_field : NULL;
}

guint
hub_verifier_get_retry_after (HubVerifier  *self,
                              GAsyncResult *result)
{
  VerifyData *data = task_data (self, result);

  return data != NULL ? data->retry_after : 0;
}
