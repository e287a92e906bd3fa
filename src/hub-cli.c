/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-cli"

#include "config.h"

#include "hub-cli.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hub-account-store.h"
#include "hub-auth.h"
#include "hub-catalog.h"
#include "hub-secret-store.h"
#include "hub-verifier.h"

/* The command line: `connect-hub providers|link|accounts|verify|remove`.
 * Contract: DESIGN.md "Command line" (output formats and exit codes are parsed
 * by other tools). It never initialises GTK; async calls run on the default
 * main context, iterated here until each result arrives. */

#define CLI_NAME          "connect-hub"
#define CLI_MAX_INPUT     (64 * 1024)   /* JSON of field values on stdin */
#define CLI_MAX_LINE      4096          /* one prompted value */

typedef enum
{
  CLI_FORMAT_TEXT,
  CLI_FORMAT_JSON,
} CliFormat;

/* ------------------------------------------------------------------------ */
/* Logging: one line on stderr for a failure, nothing around it               */

static gboolean
cli_debug_requested (void)
{
  const char *debug = g_getenv ("G_MESSAGES_DEBUG");

  return debug != NULL && *debug != '\0';
}

/* GLib and libsecret may log warnings (or messages) on their own; on the
 * command line those would surround the one-line error, so they are dropped
 * unless G_MESSAGES_DEBUG asks for detail. Criticals and errors are bugs and
 * always pass. Everything that passes goes to stderr: stdout carries results
 * (the account id is the first line of `link`). */
static GLogWriterOutput
cli_log_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if ((log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) == 0 && !cli_debug_requested ())
    return G_LOG_WRITER_HANDLED;

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

/* ------------------------------------------------------------------------ */
/* Errors and exit codes                                                     */

static int
cli_print_error (const GError *error)
{
  g_printerr ("%s: %s\n", CLI_NAME, error->message);
  return hub_cli_exit_code_for_error (error);
}

static int
cli_usage_error (const char *message)
{
  /* Translators: %s is a sentence such as "Unknown option “--jsn”." */
  g_autofree char *line = g_strdup_printf (_("%s Try 'connect-hub --help'."), message);

  g_printerr ("%s: %s\n", CLI_NAME, line);
  return HUB_EXIT_USAGE;
}

/* verify --all reports the most severe failure. Order, most severe first:
 * 5 (keyring: nothing can be checked until it is fixed) > 2 (bad usage or
 * input of this invocation, such as a refused base URL; checked before any
 * request, so it never competes with the others) > 3 (a credential was
 * rejected: someone must relink) > 4 (network, rate limit, server: may pass
 * later) > 1 (anything else, including a stored account that cannot be
 * checked: unknown provider, invalid stored values) > 0. */
static int
cli_exit_code_severity (int exit_code)
{
  switch (exit_code)
    {
    case HUB_EXIT_KEYRING:     return 5;
    case HUB_EXIT_USAGE:       return 4;
    case HUB_EXIT_REJECTED:    return 3;
    case HUB_EXIT_UNREACHABLE: return 2;
    case HUB_EXIT_OK:          return 0;
    case HUB_EXIT_FAILURE:
    default:                   return 1;
    }
}

static int
cli_most_severe (int a,
                 int b)
{
  return cli_exit_code_severity (b) > cli_exit_code_severity (a) ? b : a;
}

/* ------------------------------------------------------------------------ */
/* Waiting for async results on the default main context                     */

static void
cli_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *
cli_wait (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *slot;
}

/* ------------------------------------------------------------------------ */
/* Secrets in memory                                                         */

/* ------------------------------------------------------------------------ */
/* Strict JSON: one object whose members are strings                         */

typedef struct
{
  const char *p;
  const char *end;
} CliScanner;

static void
cli_scanner_skip_space (CliScanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
cli_scan_hex4 (CliScanner *s,
               gunichar   *out)
{
  gunichar value = 0;

  if (s->end - s->p < 4)
    return FALSE;

  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (s->p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + (gunichar) digit;
    }

  s->p += 4;
  *out = value;
  return TRUE;
}

static gboolean
cli_json_error (GError **error)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("Standard input is not a valid JSON object of field values, "
                         "such as {\"api_key\": \"…\"}. Check the quoting and try again."));
  return FALSE;
}

/* Parses a JSON string at s->p (which points at the opening quote) into newly
 * allocated UTF-8. The input was validated as UTF-8 without NUL beforehand.
 * Refuses "\u0000": a value is a C string. */
static char *
cli_scan_string (CliScanner  *s,
                 GError     **error)
{
  const char *q;
  char *out;
  char *o;
  gsize span;

  if (s->p >= s->end || *s->p != '"')
    {
      cli_json_error (error);
      return NULL;
    }
  s->p++;

  /* Find the closing quote to size the buffer: unescaping never grows. */
  for (q = s->p; q < s->end && *q != '"'; q++)
    {
      if (*q == '\\')
        q++;
    }
  if (q >= s->end)
    {
      cli_json_error (error);
      return NULL;
    }
  span = (gsize) (q - s->p);
  out = g_malloc (span + 1);
  o = out;

  while (s->p < s->end && *s->p != '"')
    {
      unsigned char c = (unsigned char) *s->p;

      if (c < 0x20)
        goto fail;   /* raw control characters are not JSON */

      if (c != '\\')
        {
          *o++ = (char) c;
          s->p++;
          continue;
        }

      s->p++;
      if (s->p >= s->end)
        goto fail;

      switch (*s->p++)
        {
        case '"':  *o++ = '"';  break;
        case '\\': *o++ = '\\'; break;
        case '/':  *o++ = '/';  break;
        case 'b':  *o++ = '\b'; break;
        case 'f':  *o++ = '\f'; break;
        case 'n':  *o++ = '\n'; break;
        case 'r':  *o++ = '\r'; break;
        case 't':  *o++ = '\t'; break;
        case 'u':
          {
            gunichar ch;

            if (!cli_scan_hex4 (s, &ch))
              goto fail;

            if (ch >= 0xD800 && ch <= 0xDBFF)
              {
                gunichar low;

                if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                  goto fail;
                s->p += 2;
                if (!cli_scan_hex4 (s, &low) || low < 0xDC00 || low > 0xDFFF)
                  goto fail;
                ch = 0x10000 + ((ch - 0xD800) << 10) + (low - 0xDC00);
              }
            else if (ch >= 0xDC00 && ch <= 0xDFFF)
              goto fail;

            if (ch == 0)
              goto fail;

            o += g_unichar_to_utf8 (ch, o);
          }
          break;
        default:
          goto fail;
        }
    }

  if (s->p >= s->end)
    goto fail;
  s->p++;   /* closing quote */
  *o = '\0';
  return out;

fail:
  hub_auth_wipe (out, span + 1);
  g_free (out);
  cli_json_error (error);
  return NULL;
}

/* A key from stdin is named in a message only when it looks like a field id:
 * anything else may be a secret pasted in the wrong place. */
static gboolean
cli_key_is_echoable (const char *key)
{
  gsize length = strlen (key);

  if (length < 1 || length > 32 || !g_ascii_islower (key[0]))
    return FALSE;

  for (gsize i = 1; i < length; i++)
    {
      if (!g_ascii_islower (key[i]) && !g_ascii_isdigit (key[i]) && key[i] != '_')
        return FALSE;
    }

  return TRUE;
}

/* Reads {"field": "value", …} into @values (field id → value). Only the
 * provider's fields are accepted, each at most once, each a string. */
gboolean
hub_cli_parse_values (HubProvider  *provider,
                      const char   *data,
                      gsize         length,
                      GHashTable   *values,
                      GError      **error)
{
  CliScanner s = { data, data + length };

  if (memchr (data, '\0', length) != NULL || !g_utf8_validate (data, (gssize) length, NULL))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Standard input is not valid UTF-8 text. Give the field values "
                             "as a JSON object and try again."));
      return FALSE;
    }

  cli_scanner_skip_space (&s);
  if (s.p >= s.end || *s.p != '{')
    return cli_json_error (error);
  s.p++;
  cli_scanner_skip_space (&s);

  if (s.p < s.end && *s.p == '}')
    {
      s.p++;
    }
  else
    {
      for (;;)
        {
          g_autofree char *key = NULL;
          char *value;

          cli_scanner_skip_space (&s);
          key = cli_scan_string (&s, error);
          if (key == NULL)
            return FALSE;

          cli_scanner_skip_space (&s);
          if (s.p >= s.end || *s.p != ':')
            return cli_json_error (error);
          s.p++;
          cli_scanner_skip_space (&s);

          if (s.p < s.end && *s.p != '"')
            {
              if (hub_provider_get_field (provider, key) == NULL)
                goto unknown_field;
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           /* Translators: %s is a field id such as "api_key" */
                           _("The value of “%s” must be a JSON string in quotes."), key);
              return FALSE;
            }

          value = cli_scan_string (&s, error);
          if (value == NULL)
            return FALSE;

          if (hub_provider_get_field (provider, key) == NULL)
            {
              hub_auth_secret_free (value);
              goto unknown_field;
            }
          if (g_hash_table_contains (values, key))
            {
              hub_auth_secret_free (value);
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           /* Translators: %s is a field id such as "api_key" */
                           _("The field “%s” is given twice. Give each field once."), key);
              return FALSE;
            }
          g_hash_table_insert (values, g_steal_pointer (&key), value);

          cli_scanner_skip_space (&s);
          if (s.p < s.end && *s.p == ',')
            {
              s.p++;
              continue;
            }
          if (s.p < s.end && *s.p == '}')
            {
              s.p++;
              break;
            }
          return cli_json_error (error);

        unknown_field:
          {
            GPtrArray *fields = hub_provider_get_fields (provider);
            g_autoptr(GString) names = g_string_new (NULL);

            for (guint i = 0; i < fields->len; i++)
              {
                const HubField *field = g_ptr_array_index (fields, i);

                if (i > 0)
                  g_string_append (names, ", ");
                g_string_append (names, field->id);
              }
            if (cli_key_is_echoable (key))
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           /* Translators: 1: field id given on stdin, 2: provider name,
                            * 3: comma-separated list of field ids */
                           _("Unknown field “%s”: %s takes %s."),
                           key, hub_provider_get_name (provider), names->str);
            else
              g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           /* Translators: 1: provider name, 2: comma-separated list of
                            * field ids */
                           _("Unknown field in standard input: %s takes %s."),
                           hub_provider_get_name (provider), names->str);
            if (key != NULL)
              hub_auth_wipe (key, strlen (key));
            return FALSE;
          }
        }
    }

  cli_scanner_skip_space (&s);
  if (s.p != s.end)
    return cli_json_error (error);

  return TRUE;
}

/* Reads all of stdin (at most CLI_MAX_INPUT bytes) into a buffer that the
 * caller wipes and frees. */
static char *
cli_read_stdin (gsize   *length,
                GError **error)
{
  char *buffer = g_malloc (CLI_MAX_INPUT + 1);
  gsize total = 0;

  for (;;)
    {
      gssize n = read (STDIN_FILENO, buffer + total, CLI_MAX_INPUT + 1 - total);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          hub_auth_wipe (buffer, total);
          g_free (buffer);
          g_debug ("Reading standard input failed: %s", g_strerror (saved_errno));
          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not read the field values from standard input."));
          return NULL;
        }
      if (n == 0)
        break;

      total += (gsize) n;
      if (total > CLI_MAX_INPUT)
        {
          hub_auth_wipe (buffer, total);
          g_free (buffer);
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("Standard input is larger than 64 KiB. Give only the JSON "
                                 "object of field values."));
          return NULL;
        }
    }

  buffer[total] = '\0';
  *length = total;
  return buffer;
}

/* ------------------------------------------------------------------------ */
/* Prompting on a terminal                                                   */

static struct termios cli_saved_termios;
static volatile sig_atomic_t cli_echo_off;

static void
cli_restore_echo_on_signal (int signum)
{
  if (cli_echo_off)
    tcsetattr (STDIN_FILENO, TCSANOW, &cli_saved_termios);
  signal (signum, SIG_DFL);
  raise (signum);
}

/* Reads one line from the terminal into @buffer (size CLI_MAX_LINE + 2).
 * Returns FALSE on end of input or a line that is too long. */
static gboolean
cli_read_line (char     *buffer,
               gboolean  hide)
{
  struct sigaction action = { 0 };
  struct sigaction old_int, old_term, old_hup;
  gsize length = 0;
  gboolean ok = TRUE;
  gboolean too_long = FALSE;

  if (hide && tcgetattr (STDIN_FILENO, &cli_saved_termios) == 0)
    {
      struct termios quiet = cli_saved_termios;

      action.sa_handler = cli_restore_echo_on_signal;
      sigemptyset (&action.sa_mask);
      sigaction (SIGINT, &action, &old_int);
      sigaction (SIGTERM, &action, &old_term);
      sigaction (SIGHUP, &action, &old_hup);

      quiet.c_lflag &= ~(tcflag_t) (ECHO | ECHOE | ECHOK | ECHONL);
      cli_echo_off = 1;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  else
    {
      hide = FALSE;
    }

  for (;;)
    {
      char c;
      gssize n = read (STDIN_FILENO, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          ok = length > 0 && !too_long;
          break;
        }
      if (c == '\n')
        break;
      if (length < CLI_MAX_LINE + 1)
        buffer[length++] = c;
      else
        too_long = TRUE;
    }
  buffer[length] = '\0';
  if (length > 0 && buffer[length - 1] == '\r')
    buffer[--length] = '\0';
  if (too_long || length > CLI_MAX_LINE)
    ok = FALSE;

  if (hide)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &cli_saved_termios);
      cli_echo_off = 0;
      sigaction (SIGINT, &old_int, NULL);
      sigaction (SIGTERM, &old_term, NULL);
      sigaction (SIGHUP, &old_hup, NULL);
      g_printerr ("\n");
    }

  return ok;
}

/* Asks for each field on stderr (secret ones without echo), checking each
 * value as it is typed so the user can correct it. */
static gboolean
cli_prompt_values (HubProvider  *provider,
                   GHashTable   *values,
                   GError      **error)
{
  GPtrArray *fields = hub_provider_get_fields (provider);
  char buffer[CLI_MAX_LINE + 2];
  gboolean ok = TRUE;

  /* Translators: %s is a provider name such as "Humaans" */
  g_printerr (_("Enter the credentials for %s (press Enter to leave an optional field empty).\n"),
              hub_provider_get_name (provider));

  for (guint i = 0; ok && i < fields->len; i++)
    {
      const HubField *field = g_ptr_array_index (fields, i);
      gboolean accepted = FALSE;

      for (guint attempt = 0; attempt < 3 && !accepted; attempt++)
        {
          g_autofree char *hint = NULL;

          if (field->required)
            g_printerr ("%s: ", field->label);
          else
            /* Translators: %s is a field label such as "Region" */
            g_printerr (_("%s (optional): "), field->label);

          if (!cli_read_line (buffer, field->secret))
            {
              ok = FALSE;
              break;
            }

          if (buffer[0] == '\0' && !field->required)
            {
              accepted = TRUE;
              break;
            }

          if (hub_field_validate (field, buffer, &hint))
            {
              g_hash_table_insert (values, g_strdup (field->id), g_strdup (buffer));
              accepted = TRUE;
            }
          else
            {
              g_printerr ("%s\n", hint != NULL ? hint : _("This value is not valid."));
            }
          hub_auth_wipe (buffer, sizeof buffer);
        }

      if (ok && !accepted)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       /* Translators: %s is a field label such as "API Key" */
                       _("No valid value for “%s” was given. Copy it from the provider "
                         "and try again."), field->label);
          hub_auth_wipe (buffer, sizeof buffer);
          return FALSE;
        }
    }

  hub_auth_wipe (buffer, sizeof buffer);

  if (!ok)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("Input ended before every field was given. Nothing was linked."));
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Shared steps                                                              */

static char *
cli_format_time (GDateTime *when)
{
  g_autoptr(GDateTime) utc = NULL;

  if (when == NULL)
    return NULL;

  utc = g_date_time_to_utc (when);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
cli_print_json (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

/* Prints rows of columns aligned on character width, two spaces apart. */
static void
cli_print_table (GPtrArray *rows)   /* element-type GStrv, all of equal length */
{
  g_autofree gsize *widths = NULL;
  guint n_columns;

  if (rows->len == 0)
    return;

  n_columns = g_strv_length (g_ptr_array_index (rows, 0));
  widths = g_new0 (gsize, n_columns);

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);

      for (guint c = 0; c < n_columns; c++)
        widths[c] = MAX (widths[c], (gsize) g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < n_columns; c++)
        {
          g_string_append (line, row[c]);
          if (c + 1 < n_columns)
            {
              gsize pad = widths[c] - (gsize) g_utf8_strlen (row[c], -1) + 2;

              while (pad-- > 0)
                g_string_append_c (line, ' ');
            }
        }
      while (line->len > 0 && line->str[line->len - 1] == ' ')
        g_string_truncate (line, line->len - 1);
      g_print ("%s\n", line->str);
    }
}

/* Refuses to go on (exit 5) when the keyring is locked, missing or has no
 * default collection. Asks the state without ever prompting. */
static gboolean
cli_check_keyring (HubSecretStore  *secrets,
                   GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  HubKeyringState state;

  hub_secret_store_get_state_async (secrets, NULL, cli_result_cb, &result);
  state = hub_secret_store_get_state_finish (secrets, cli_wait (&result), &local_error);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  switch (state)
    {
    case HUB_KEYRING_STATE_LOCKED:
      g_set_error_literal (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_LOCKED,
                           _("The keyring is locked. Unlock it (for example by logging in to "
                             "the desktop, or with Passwords and Keys) and try again."));
      return FALSE;
    case HUB_KEYRING_STATE_UNAVAILABLE:
      g_set_error_literal (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE,
                           _("The keyring is not available. Start a keyring service such as "
                             "GNOME Keyring and try again."));
      return FALSE;
    case HUB_KEYRING_STATE_NO_COLLECTION:
      g_set_error_literal (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_NO_COLLECTION,
                           _("There is no default keyring. Create one (for example with "
                             "Passwords and Keys) and try again."));
      return FALSE;
    case HUB_KEYRING_STATE_UNKNOWN:
    case HUB_KEYRING_STATE_UNLOCKED:
    default:
      return TRUE;
    }
}

/* An invalid CONNECT_HUB_TIMEOUT is bad input of this invocation (exit 2):
 * refused before the keyring is asked or anything is sent. */
static gboolean
cli_apply_timeout (GError **error)
{
  const char *text = g_getenv ("CONNECT_HUB_TIMEOUT");
  guint seconds = 0;

  if (text == NULL)
    return TRUE;
  if (!hub_verifier_parse_timeout (text, &seconds, error))
    return FALSE;

  hub_verifier_set_timeout (hub_verifier_get_default (), seconds);
  return TRUE;
}

/* Problems of a store opened with show_problems=FALSE, held back until the
 * command's outcome is known (see cli_report_problems). */
static GPtrArray *cli_held_problems;

static void
cli_store_problem_cb (HubAccountStore *store,
                      const char      *message,
                      gpointer         user_data)
{
  gboolean show = GPOINTER_TO_INT (user_data);

  if (show)
    {
      g_printerr ("%s: %s\n", CLI_NAME, message);
      return;
    }

  g_debug ("Account store problem: %s", message);
  if (cli_held_problems == NULL)
    cli_held_problems = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (cli_held_problems, g_strdup (message));
}

/* A problem may mean that data was not saved (the list of accounts could not
 * be written while loading). A command that failed has printed its own one
 * line, which says the same or more; a command that succeeded prints the held
 * problems, so that none is lost in a debug message. */
static int
cli_report_problems (int exit_code)
{
  if (cli_held_problems == NULL)
    return exit_code;

  if (exit_code == HUB_EXIT_OK)
    {
      for (guint i = 0; i < cli_held_problems->len; i++)
        g_printerr ("%s: %s\n", CLI_NAME, (const char *) g_ptr_array_index (cli_held_problems, i));
    }
  g_clear_pointer (&cli_held_problems, g_ptr_array_unref);

  return exit_code;
}

/* Creates the store and loads it. @show_problems: print load problems (a
 * corrupt file backed up…) on stderr at once; otherwise they are held until
 * the command's outcome is known (cli_report_problems). */
static HubAccountStore *
cli_open_store (HubSecretStore  *secrets,
                gboolean         show_problems,
                GError         **error)
{
  g_autoptr(HubAccountStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  store = hub_account_store_new (secrets, hub_verifier_get_default (), NULL);
  g_signal_connect (store, "problem", G_CALLBACK (cli_store_problem_cb),
                    GINT_TO_POINTER (show_problems));

  hub_account_store_load_async (store, NULL, cli_result_cb, &result);
  if (!hub_account_store_load_finish (store, cli_wait (&result), error))
    return NULL;

  return g_steal_pointer (&store);
}

static HubAccount *
cli_lookup_account (HubAccountStore  *store,
                    const char       *account_id,
                    GError          **error)
{
  HubAccount *account = hub_account_store_lookup (store, account_id);

  if (account == NULL)
    g_set_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_NOT_FOUND,
                 /* Translators: %s is an account id (a UUID) */
                 _("There is no linked account with the id “%s”. Run 'connect-hub accounts' "
                   "to list them."), account_id);

  return account;
}

/* ------------------------------------------------------------------------ */
/* Arguments                                                                 */

typedef struct
{
  CliFormat   format;
  gboolean    all;
  gboolean    help;
  const char *label;
  GPtrArray  *positional;   /* borrowed strings */
} CliArgs;

/* Parses the arguments after the command. @allowed lists accepted options
 * ("--json", "--label", "--all"). Prints a usage error and returns FALSE. */
static gboolean
cli_parse_args (int          argc,
                char       **argv,
                const char  *allowed,
                CliArgs     *args,
                int         *exit_code)
{
  gboolean options_done = FALSE;

  args->format = CLI_FORMAT_TEXT;
  args->positional = g_ptr_array_new ();

  for (int i = 0; i < argc; i++)
    {
      const char *arg = argv[i];
      g_autofree char *message = NULL;

      if (options_done || arg[0] != '-' || arg[1] == '\0')
        {
          g_ptr_array_add (args->positional, (gpointer) arg);
          continue;
        }

      if (g_str_equal (arg, "--"))
        {
          options_done = TRUE;
          continue;
        }
      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          args->help = TRUE;
          continue;
        }
      if (g_str_equal (arg, "--json") && strstr (allowed, "json") != NULL)
        {
          args->format = CLI_FORMAT_JSON;
          continue;
        }
      if (g_str_equal (arg, "--all") && strstr (allowed, "all") != NULL)
        {
          args->all = TRUE;
          continue;
        }
      if (strstr (allowed, "label") != NULL)
        {
          if (g_str_equal (arg, "--label"))
            {
              if (i + 1 >= argc)
                {
                  *exit_code = cli_usage_error (_("The option --label needs a text."));
                  return FALSE;
                }
              args->label = argv[++i];
              continue;
            }
          if (g_str_has_prefix (arg, "--label="))
            {
              args->label = arg + strlen ("--label=");
              continue;
            }
        }

      /* Translators: %s is a command-line option such as "--jsn" */
      message = g_strdup_printf (_("Unknown option “%s”."), arg);
      *exit_code = cli_usage_error (message);
      return FALSE;
    }

  return TRUE;
}

static void
cli_args_clear (CliArgs *args)
{
  g_clear_pointer (&args->positional, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliArgs, cli_args_clear)

static void
cli_print_usage (void)
{
  g_print ("%s\n", _("Usage:\n"
                     "  connect-hub                              Open the window\n"
                     "  connect-hub providers [--json]           List the providers that can be linked\n"
                     "  connect-hub link PROVIDER [--label TEXT] Link an account: field values as a\n"
                     "                                           JSON object on standard input\n"
                     "  connect-hub accounts [--json]            List the linked accounts\n"
                     "  connect-hub verify (ACCOUNT_ID | --all)  Check credentials with the provider\n"
                     "  connect-hub remove ACCOUNT_ID            Remove an account and its secret\n"
                     "  connect-hub --version                    Show the version\n"
                     "  connect-hub --help                       Show this help\n"
                     "\n"
                     "Example:\n"
                     "  echo '{\"api_token\": \"…\"}' | connect-hub link humaans --label \"People team\"\n"
                     "When standard input is a terminal, link asks for each field.\n"
                     "\n"
                     "Exit status:\n"
                     "  0  success\n"
                     "  1  other failure\n"
                     "  2  bad usage or invalid input (nothing was sent)\n"
                     "  3  the provider rejected the credential\n"
                     "  4  provider unreachable, timed out, rate limited or unexpected answer\n"
                     "  5  keyring unavailable or locked\n"
                     "verify --all exits with the most severe failure: 5, 2, 3, 4, then 1.\n"
                     "\n"
                     "Environment:\n"
                     "  CONNECT_HUB_BASE_URL_<ID>  replace a provider's API base URL\n"
                     "                             (https://, or http:// to a loopback address)\n"
                     "  CONNECT_HUB_TIMEOUT        per-request timeout in seconds, 1–600 (default 15)"));
}

/* ------------------------------------------------------------------------ */
/* providers                                                                 */

/* TRUE, with the usage error printed and @exit_code set, when more than @max
 * positional arguments were given. */
static gboolean
cli_too_many_arguments (CliArgs *args,
                        guint    max,
                        int     *exit_code)
{
  g_autofree char *message = NULL;

  if (args->positional->len <= max)
    return FALSE;

  /* Translators: %s is an unexpected command-line argument */
  message = g_strdup_printf (_("Unexpected argument “%s”."),
                             (const char *) g_ptr_array_index (args->positional, max));
  *exit_code = cli_usage_error (message);
  return TRUE;
}

static int
cli_providers (int    argc,
               char **argv)
{
  g_auto(CliArgs) args = { 0 };
  HubCatalog *catalog;
  guint n_providers;
  int exit_code = HUB_EXIT_OK;

  if (!cli_parse_args (argc, argv, "json", &args, &exit_code))
    return exit_code;
  if (args.help)
    {
      cli_print_usage ();
      return HUB_EXIT_OK;
    }
  if (cli_too_many_arguments (&args, 0, &exit_code))
    return exit_code;

  catalog = hub_catalog_get_default ();
  n_providers = g_list_model_get_n_items (G_LIST_MODEL (catalog));

  if (args.format == CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < n_providers; i++)
        {
          g_autoptr(HubProvider) provider = g_list_model_get_item (G_LIST_MODEL (catalog), i);
          GPtrArray *fields = hub_provider_get_fields (provider);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, hub_provider_get_id (provider));
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, hub_provider_get_name (provider));
          json_builder_set_member_name (builder, "description");
          json_builder_add_string_value (builder, hub_provider_get_description (provider));
          json_builder_set_member_name (builder, "fields");
          json_builder_begin_array (builder);
          for (guint f = 0; f < fields->len; f++)
            {
              const HubField *field = g_ptr_array_index (fields, f);

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "id");
              json_builder_add_string_value (builder, field->id);
              json_builder_set_member_name (builder, "label");
              json_builder_add_string_value (builder, field->label);
              json_builder_set_member_name (builder, "secret");
              json_builder_add_boolean_value (builder, field->secret);
              json_builder_set_member_name (builder, "required");
              json_builder_add_boolean_value (builder, field->required);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      root = json_builder_get_root (builder);
      cli_print_json (root);
    }
  else
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

      g_ptr_array_add (rows, g_strdupv ((char *[]) { _("ID"), _("NAME"), _("DESCRIPTION"), NULL }));
      for (guint i = 0; i < n_providers; i++)
        {
          g_autoptr(HubProvider) provider = g_list_model_get_item (G_LIST_MODEL (catalog), i);
          const char *description = hub_provider_get_description (provider);
          char *row[] = {
            (char *) hub_provider_get_id (provider),
            (char *) hub_provider_get_name (provider),
            (char *) (description != NULL ? description : ""),
            NULL
          };

          g_ptr_array_add (rows, g_strdupv (row));
        }
      cli_print_table (rows);
    }

  return HUB_EXIT_OK;
}

static gboolean
cli_label_is_valid (const char *label)
{
  if (!g_utf8_validate (label, -1, NULL))
    return FALSE;

  for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------------ */
/* link                                                                      */

static int
cli_link (int    argc,
          char **argv)
{
  g_auto(CliArgs) args = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(HubSecretStore) secrets = NULL;
  g_autoptr(HubAccountStore) store = NULL;
  g_autoptr(HubVerifyResult) verified = NULL;
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  HubProvider *provider;
  const char *provider_id;
  const char *failed_field = NULL;
  gboolean relinked = FALSE;
  int exit_code = HUB_EXIT_OK;

  if (!cli_parse_args (argc, argv, "label", &args, &exit_code))
    return exit_code;
  if (args.help)
    {
      cli_print_usage ();
      return HUB_EXIT_OK;
    }
  if (args.positional->len == 0)
    return cli_usage_error (_("Missing the provider to link, such as “humaans”."));
  if (cli_too_many_arguments (&args, 1, &exit_code))
    return exit_code;

  provider_id = g_ptr_array_index (args.positional, 0);
  provider = hub_catalog_lookup (hub_catalog_get_default (), provider_id);
  if (provider == NULL)
    {
      g_set_error (&error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_UNKNOWN_PROVIDER,
                   /* Translators: %s is what the user typed as provider id */
                   _("Unknown provider “%s”. Run 'connect-hub providers' to list them."),
                   provider_id);
      return cli_print_error (error);
    }
  if (!cli_apply_timeout (&error))
    return cli_print_error (error);
  if (args.label != NULL && *args.label == '\0')
    args.label = NULL;   /* the identity then serves as label */
  if (args.label != NULL && !cli_label_is_valid (args.label))
    return cli_usage_error (_("The label must be one line of text without control characters."));

  /* 1. Field values: JSON on stdin, or prompted on a terminal. */
  values = hub_auth_values_new ();
  secrets = hub_secret_store_new ();
  if (isatty (STDIN_FILENO))
    {
      /* Do not ask for secrets that could not be stored. */
      if (!cli_check_keyring (secrets, &error))
        return cli_print_error (error);
      if (!cli_prompt_values (provider, values, &error))
        return cli_print_error (error);
    }
  else
    {
      char *input;
      gsize length = 0;
      gboolean parsed;

      input = cli_read_stdin (&length, &error);
      if (input == NULL)
        return cli_print_error (error);
      parsed = hub_cli_parse_values (provider, input, length, values, &error);
      hub_auth_wipe (input, length);
      g_free (input);
      if (!parsed)
        return cli_print_error (error);
    }

  /* 2. Validate before anything is sent. */
  if (!hub_provider_validate_values (provider, values, &failed_field, &error))
    {
      g_debug ("Field %s of %s failed validation", failed_field ? failed_field : "(none)",
               hub_provider_get_id (provider));
      return cli_print_error (error);
    }

  /* A refused base-URL override is bad input too (exit 2), whatever the
   * state of the keyring. */
  {
    g_autofree char *base_url = hub_verifier_resolve_base_url (provider, values, &error);

    if (base_url == NULL)
      return cli_print_error (error);
  }

  /* 3. The keyring must be able to take the secret before we ask the provider
   * (checked again after prompting: the user may have taken a while). */
  if (!cli_check_keyring (secrets, &error))
    return cli_print_error (error);

  store = cli_open_store (secrets, FALSE, &error);
  if (store == NULL)
    return cli_print_error (error);

  /* 4. Verify with the provider. */
  hub_verifier_verify_async (hub_account_store_get_verifier (store), provider, values, NULL,
                             cli_result_cb, &result);
  verified = hub_verifier_verify_finish (hub_account_store_get_verifier (store),
                                         cli_wait (&result), &error);
  if (verified == NULL)
    {
      g_autofree char *details = hub_verifier_dup_details (hub_account_store_get_verifier (store),
                                                           result);
      if (details != NULL)
        g_debug ("Verification failed: %s", details);
      return cli_print_error (error);
    }
  g_clear_object (&result);

  /* 5. Store: a new account, or the existing one relinked in place. */
  hub_account_store_add_async (store, provider, values, verified, args.label, NULL,
                               cli_result_cb, &result);
  account = hub_account_store_add_finish (store, cli_wait (&result), &error);
  g_clear_object (&result);

  if (account == NULL && g_error_matches (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_DUPLICATE))
    {
      HubAccount *existing;

      existing = hub_account_store_find_identity (store, hub_provider_get_id (provider),
                                                  hub_verify_result_get_identity (verified));
      if (existing == NULL)
        return cli_print_error (error);

      g_clear_error (&error);
      account = g_object_ref (existing);
      hub_account_store_update_async (store, account, values, verified, NULL,
                                      cli_result_cb, &result);
      if (!hub_account_store_update_finish (store, cli_wait (&result), &error))
        return cli_print_error (error);
      g_clear_object (&result);

      if (args.label != NULL && g_strcmp0 (args.label, hub_account_get_label (account)) != 0)
        {
          hub_account_store_rename_async (store, account, args.label, NULL, cli_result_cb, &result);
          if (!hub_account_store_rename_finish (store, cli_wait (&result), &error))
            return cli_print_error (error);
          g_clear_object (&result);
        }
      relinked = TRUE;
    }
  else if (account == NULL)
    {
      return cli_print_error (error);
    }

  g_print ("%s\n", hub_account_get_id (account));
  /* Translators: 1: provider name, 2: identity such as "Acme Trading Ltd (NZD)" */
  g_print (_("Linked %s: %s\n"), hub_provider_get_name (provider),
           hub_verify_result_get_identity (verified));
  if (relinked)
    /* Translators: %s is an account id (a UUID) */
    g_printerr (_("Already linked as %s: updated its credential.\n"), hub_account_get_id (account));

  return HUB_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* accounts                                                                  */

/* What stands in the way of using the account now, whatever its stored
 * status (the status values are a contract): its secret is gone from the
 * keyring, or the keyring is locked. NULL when nothing is known. */
static char *
cli_account_condition (HubAccount *account)
{
  if (hub_account_get_secret_missing (account))
    /* Translators: %s is a provider id such as "humaans", part of a command */
    return g_strdup_printf (_("Secret missing from the keyring: link the account again "
                              "(connect-hub link %s)"),
                            hub_account_get_provider_id (account));
  if (hub_account_get_keyring_locked (account))
    return g_strdup (_("Keyring locked: unlock it, then try again"));

  return NULL;
}

static int
cli_accounts (int    argc,
              char **argv)
{
  g_auto(CliArgs) args = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HubSecretStore) secrets = NULL;
  g_autoptr(HubAccountStore) store = NULL;
  guint n_accounts;
  int exit_code = HUB_EXIT_OK;

  if (!cli_parse_args (argc, argv, "json", &args, &exit_code))
    return exit_code;
  if (args.help)
    {
      cli_print_usage ();
      return HUB_EXIT_OK;
    }
  if (cli_too_many_arguments (&args, 0, &exit_code))
    return exit_code;

  /* Listing reads only metadata and a keyring search (which never prompts):
   * it works with a locked or missing keyring. */
  secrets = hub_secret_store_new ();
  store = cli_open_store (secrets, TRUE, &error);
  if (store == NULL)
    return cli_print_error (error);

  n_accounts = g_list_model_get_n_items (G_LIST_MODEL (store));

  if (args.format == CLI_FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < n_accounts; i++)
        {
          g_autoptr(HubAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);
          g_autofree char *connected_at = cli_format_time (hub_account_get_connected_at (account));
          g_autofree char *checked_at = cli_format_time (hub_account_get_checked_at (account));
          g_autofree char *condition = cli_account_condition (account);
          const char *error_text = condition != NULL ? condition
                                                     : hub_account_get_last_error (account);
          const char *nullable[][2] = {
            { "label", hub_account_get_label (account) },
            { "identity", hub_account_get_identity (account) },
          };

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, hub_account_get_id (account));
          json_builder_set_member_name (builder, "provider");
          json_builder_add_string_value (builder, hub_account_get_provider_id (account));
          for (guint k = 0; k < G_N_ELEMENTS (nullable); k++)
            {
              json_builder_set_member_name (builder, nullable[k][0]);
              if (nullable[k][1] != NULL)
                json_builder_add_string_value (builder, nullable[k][1]);
              else
                json_builder_add_null_value (builder);
            }
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder,
                                         hub_account_status_to_string (hub_account_get_status (account)));
          json_builder_set_member_name (builder, "connected_at");
          if (connected_at != NULL)
            json_builder_add_string_value (builder, connected_at);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "checked_at");
          if (checked_at != NULL)
            json_builder_add_string_value (builder, checked_at);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "error");
          if (error_text != NULL)
            json_builder_add_string_value (builder, error_text);
          else
            json_builder_add_null_value (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      root = json_builder_get_root (builder);
      cli_print_json (root);
    }
  else if (n_accounts == 0)
    {
      g_print ("%s\n", _("No linked accounts. Link one with 'connect-hub link PROVIDER'."));
    }
  else
    {
      g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

      g_ptr_array_add (rows, g_strdupv ((char *[]) { _("ID"), _("PROVIDER"), _("LABEL"),
                                                     _("STATUS"), _("IDENTITY"), _("CHECKED"),
                                                     _("PROBLEM"), NULL }));
      for (guint i = 0; i < n_accounts; i++)
        {
          g_autoptr(HubAccount) account = g_list_model_get_item (G_LIST_MODEL (store), i);
          g_autofree char *checked_at = cli_format_time (hub_account_get_checked_at (account));
          g_autofree char *condition = cli_account_condition (account);
          const char *label = hub_account_get_label (account);
          const char *identity = hub_account_get_identity (account);
          const char *problem = condition != NULL ? condition
                                                  : hub_account_get_last_error (account);
          char *row[] = {
            (char *) hub_account_get_id (account),
            (char *) hub_account_get_provider_id (account),
            (char *) (label != NULL ? label : "-"),
            (char *) hub_account_status_to_string (hub_account_get_status (account)),
            (char *) (identity != NULL ? identity : "-"),
            checked_at != NULL ? checked_at : "-",
            (char *) (problem != NULL ? problem : ""),
            NULL
          };

          g_ptr_array_add (rows, g_strdupv (row));
        }
      cli_print_table (rows);
    }

  return HUB_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* verify                                                                    */

typedef struct
{
  HubAccountStore *store;
  GHashTable      *queues;        /* provider id → GQueue of HubAccount (owned refs) */
  GHashTable      *limited;       /* provider id → its RATE_LIMITED GError: ask it no more */
  guint            running;       /* providers with a check in flight */
  int              exit_code;
  guint            n_failed;
  char            *last_message;  /* message of the most severe failure */
} CliVerifyAll;

static void cli_verify_next (CliVerifyAll *state,
                             const char   *provider_id);

static void
cli_queue_free (gpointer data)
{
  g_queue_free_full (data, g_object_unref);
}

/* One result line: "id  status  identity-or-message". A check whose outcome
 * could not be saved has no line: the status it found is not the account's. */
static void
cli_print_check_line (HubAccount   *account,
                      const GError *error)
{
  const char *status = hub_account_status_to_string (hub_account_get_status (account));
  const char *detail;

  if (g_error_matches (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE))
    return;

  if (error != NULL)
    detail = error->message;
  else
    detail = hub_account_get_identity (account) != NULL ? hub_account_get_identity (account) : "";

  g_print ("%s  %s  %s\n", hub_account_get_id (account), status, detail);
}

static void
cli_verify_one_done (CliVerifyAll *state,
                     HubAccount   *account,
                     const GError *error)
{
  cli_print_check_line (account, error);

  if (error != NULL)
    {
      int code = hub_cli_exit_code_for_error (error);

      /* Exit 2 is for this invocation's input, checked before any check ran:
       * a stored account whose values no longer pass is stale data (1). */
      if (code == HUB_EXIT_USAGE)
        code = HUB_EXIT_FAILURE;

      state->n_failed++;
      if (state->last_message == NULL ||
          cli_most_severe (state->exit_code, code) != state->exit_code)
        {
          g_free (state->last_message);
          state->last_message = g_strdup (error->message);
        }
      state->exit_code = cli_most_severe (state->exit_code, code);
    }
}

typedef struct
{
  CliVerifyAll *state;
  HubAccount   *account;   /* owned */
} CliCheck;

static void
cli_check_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CliCheck *check = user_data;
  CliVerifyAll *state = check->state;
  g_autoptr(GError) error = NULL;
  g_autoptr(HubVerifyResult) verified = NULL;
  g_autofree char *provider_id = NULL;

  verified = hub_account_store_check_finish (HUB_ACCOUNT_STORE (object), result, &error);
  cli_verify_one_done (state, check->account, error);

  provider_id = g_strdup (hub_account_get_provider_id (check->account));
  if (g_error_matches (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_RATE_LIMITED))
    g_hash_table_replace (state->limited, g_strdup (provider_id), g_steal_pointer (&error));
  g_object_unref (check->account);
  g_free (check);

  state->running--;
  cli_verify_next (state, provider_id);
}

/* Starts the next check of @provider_id, if any: one request chain in flight
 * per provider (per-provider rate limits), providers in parallel. */
static void
cli_verify_next (CliVerifyAll *state,
                 const char   *provider_id)
{
  GQueue *queue = g_hash_table_lookup (state->queues, provider_id);
  const GError *limited = g_hash_table_lookup (state->limited, provider_id);
  CliCheck *check;

  if (queue == NULL || g_queue_is_empty (queue))
    return;

  /* The provider asked us to wait: its other accounts are not checked in this
   * run (another request would only prolong the wait), and are reported as
   * rate limited, their stored status unchanged. */
  if (limited != NULL)
    {
      g_autoptr(GError) skipped =
        g_error_new (HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_RATE_LIMITED,
                     /* Translators: %s is the provider's rate-limit message, such as
                      * "Humaans is receiving too many requests. Try again in 10 minutes." */
                     _("Not checked: %s"), limited->message);

      while (!g_queue_is_empty (queue))
        {
          g_autoptr(HubAccount) account = g_queue_pop_head (queue);

          g_debug ("Not checking account %s: %s is rate limited", hub_account_get_id (account),
                   provider_id);
          cli_verify_one_done (state, account, skipped);
        }
      return;
    }

  check = g_new0 (CliCheck, 1);
  check->state = state;
  check->account = g_queue_pop_head (queue);   /* takes the queue's ref */
  state->running++;

  g_debug ("Checking account %s (%s)", hub_account_get_id (check->account), provider_id);
  hub_account_store_check_async (state->store, check->account, NULL, cli_check_done_cb, check);
}

static int
cli_verify (int    argc,
            char **argv)
{
  g_auto(CliArgs) args = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HubSecretStore) secrets = NULL;
  g_autoptr(HubAccountStore) store = NULL;
  CliVerifyAll state = { 0 };
  int exit_code = HUB_EXIT_OK;
  g_autoptr(GPtrArray) provider_ids = NULL;
  GHashTableIter iter;
  gpointer key;

  if (!cli_parse_args (argc, argv, "all", &args, &exit_code))
    return exit_code;
  if (args.help)
    {
      cli_print_usage ();
      return HUB_EXIT_OK;
    }
  if (args.all && args.positional->len > 0)
    return cli_usage_error (_("Give either an account id or --all, not both."));
  if (!args.all && args.positional->len == 0)
    return cli_usage_error (_("Missing the account id to verify (or --all)."));
  if (cli_too_many_arguments (&args, 1, &exit_code))
    return exit_code;
  if (!cli_apply_timeout (&error))
    return cli_print_error (error);

  secrets = hub_secret_store_new ();
  if (!cli_check_keyring (secrets, &error))
    return cli_print_error (error);

  store = cli_open_store (secrets, FALSE, &error);
  if (store == NULL)
    return cli_print_error (error);

  state.store = store;
  state.queues = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, cli_queue_free);
  state.limited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_error_free);
  provider_ids = g_ptr_array_new ();

  if (args.all)
    {
      guint n_accounts = g_list_model_get_n_items (G_LIST_MODEL (store));

      for (guint i = 0; i < n_accounts; i++)
        {
          HubAccount *account = g_list_model_get_item (G_LIST_MODEL (store), i);
          const char *provider_id = hub_account_get_provider_id (account);
          GQueue *queue = g_hash_table_lookup (state.queues, provider_id);

          if (queue == NULL)
            {
              queue = g_queue_new ();
              g_hash_table_insert (state.queues, g_strdup (provider_id), queue);
            }
          g_queue_push_tail (queue, account);   /* owns the ref from get_item */
        }
    }
  else
    {
      const char *account_id = g_ptr_array_index (args.positional, 0);
      HubAccount *account = cli_lookup_account (store, account_id, &error);
      GQueue *queue;

      if (account == NULL)
        {
          g_hash_table_unref (state.queues);
          g_hash_table_unref (state.limited);
          return cli_print_error (error);
        }
      queue = g_queue_new ();
      g_queue_push_tail (queue, g_object_ref (account));
      g_hash_table_insert (state.queues, g_strdup (hub_account_get_provider_id (account)), queue);
    }

  g_hash_table_iter_init (&iter, state.queues);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (provider_ids, key);

  /* A refused base-URL override is bad input of this invocation: exit 2
   * before anything is sent, for any provider. */
  for (guint i = 0; i < provider_ids->len; i++)
    {
      const char *provider_id = g_ptr_array_index (provider_ids, i);
      HubProvider *provider = hub_catalog_lookup (hub_catalog_get_default (), provider_id);
      GQueue *queue = g_hash_table_lookup (state.queues, provider_id);
      g_autofree char *base_url = NULL;
      g_autoptr(GError) local_error = NULL;

      if (provider == NULL)
        continue;   /* the check reports the unknown provider */
      base_url = hub_verifier_resolve_base_url (provider,
                                                hub_account_get_values (g_queue_peek_head (queue)),
                                                &local_error);
      if (base_url == NULL &&
          g_error_matches (local_error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_CONFIG))
        {
          g_hash_table_unref (state.queues);
          g_hash_table_unref (state.limited);
          return cli_print_error (local_error);
        }
    }

  /* Start one chain per provider; each completion starts the next of its provider. */
  for (guint i = 0; i < provider_ids->len; i++)
    cli_verify_next (&state, g_ptr_array_index (provider_ids, i));

  while (state.running > 0)
    g_main_context_iteration (NULL, TRUE);

  g_hash_table_unref (state.queues);
  g_hash_table_unref (state.limited);

  if (state.n_failed == 1 || (state.n_failed > 0 && !args.all))
    {
      g_printerr ("%s: %s\n", CLI_NAME, state.last_message);
    }
  else if (state.n_failed > 1)
    {
      g_autofree char *summary =
        /* Translators: %u is a number of accounts; the sentence is followed by the most
         * severe problem */
        g_strdup_printf (ngettext ("%u account failed the check; the most severe problem: %s",
                                   "%u accounts failed the check; the most severe problem: %s",
                                   state.n_failed),
                         state.n_failed, state.last_message);
      g_printerr ("%s: %s\n", CLI_NAME, summary);
    }
  g_free (state.last_message);

  return state.exit_code;
}

/* ------------------------------------------------------------------------ */
/* remove                                                                    */

static int
cli_remove (int    argc,
            char **argv)
{
  g_auto(CliArgs) args = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HubSecretStore) secrets = NULL;
  g_autoptr(HubAccountStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  HubAccount *account;
  int exit_code = HUB_EXIT_OK;

  if (!cli_parse_args (argc, argv, "", &args, &exit_code))
    return exit_code;
  if (args.help)
    {
      cli_print_usage ();
      return HUB_EXIT_OK;
    }
  if (args.positional->len == 0)
    return cli_usage_error (_("Missing the account id to remove."));
  if (cli_too_many_arguments (&args, 1, &exit_code))
    return exit_code;

  secrets = hub_secret_store_new ();
  if (!cli_check_keyring (secrets, &error))
    return cli_print_error (error);

  store = cli_open_store (secrets, FALSE, &error);
  if (store == NULL)
    return cli_print_error (error);

  account = cli_lookup_account (store, g_ptr_array_index (args.positional, 0), &error);
  if (account == NULL)
    return cli_print_error (error);

  hub_account_store_remove_async (store, account, NULL, cli_result_cb, &result);
  if (!hub_account_store_remove_finish (store, cli_wait (&result), &error))
    return cli_print_error (error);

  return HUB_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* Public                                                                    */

gboolean
hub_cli_wants (int    argc,
               char **argv)
{
  if (argc < 2 || argv[1] == NULL)
    return FALSE;

  /* GApplication's own options (D-Bus activation) start the window. */
  if (g_str_has_prefix (argv[1], "--gapplication-"))
    return FALSE;

  /* Everything else is ours, so that an unknown command or option is
   * reported as bad usage (exit 2) rather than opening a window. */
  return TRUE;
}

int
hub_cli_exit_code_for_error (const GError *error)
{
  if (error == NULL)
    return HUB_EXIT_OK;

  if (error->domain == HUB_VERIFY_ERROR)
    {
      switch ((HubVerifyError) error->code)
        {
        case HUB_VERIFY_ERROR_INVALID_INPUT:
        case HUB_VERIFY_ERROR_CONFIG:
          return HUB_EXIT_USAGE;
        case HUB_VERIFY_ERROR_REJECTED:
        case HUB_VERIFY_ERROR_PERMISSION:
          return HUB_EXIT_REJECTED;
        case HUB_VERIFY_ERROR_RATE_LIMITED:
        case HUB_VERIFY_ERROR_UNREACHABLE:
        case HUB_VERIFY_ERROR_TIMED_OUT:
        case HUB_VERIFY_ERROR_TLS:
        case HUB_VERIFY_ERROR_UNEXPECTED:
          return HUB_EXIT_UNREACHABLE;
        default:
          return HUB_EXIT_FAILURE;
        }
    }

  if (error->domain == HUB_SECRET_ERROR)
    {
      switch ((HubSecretError) error->code)
        {
        case HUB_SECRET_ERROR_UNAVAILABLE:
        case HUB_SECRET_ERROR_LOCKED:
        case HUB_SECRET_ERROR_NO_COLLECTION:
          return HUB_EXIT_KEYRING;
        case HUB_SECRET_ERROR_NOT_FOUND:
        case HUB_SECRET_ERROR_INVALID:
        default:
          return HUB_EXIT_FAILURE;   /* the secret is gone or damaged: relink */
        }
    }

  if (error->domain == HUB_ACCOUNT_ERROR)
    {
      switch ((HubAccountError) error->code)
        {
        case HUB_ACCOUNT_ERROR_NOT_FOUND:
          return HUB_EXIT_USAGE;     /* no such account id: nothing was sent */
        case HUB_ACCOUNT_ERROR_UNKNOWN_PROVIDER:   /* a stored account: not this invocation */
        case HUB_ACCOUNT_ERROR_DUPLICATE:
        case HUB_ACCOUNT_ERROR_STORAGE:
        case HUB_ACCOUNT_ERROR_SECRET_MISSING:
        default:
          return HUB_EXIT_FAILURE;
        }
    }

  if (error->domain == HUB_CATALOG_ERROR)
    {
      switch ((HubCatalogError) error->code)
        {
        case HUB_CATALOG_ERROR_INVALID_VALUE:
        case HUB_CATALOG_ERROR_UNKNOWN_PROVIDER:
          return HUB_EXIT_USAGE;
        case HUB_CATALOG_ERROR_INVALID_FILE:
        default:
          return HUB_EXIT_FAILURE;
        }
    }

  /* Raised by the command line itself for bad arguments or stdin. */
  if (error->domain == G_OPTION_ERROR)
    return HUB_EXIT_USAGE;

  /* Should the secret store pass libsecret or D-Bus errors through unchanged:
   * on the command line, D-Bus is used only to reach the keyring. */
  if (error->domain == SECRET_ERROR || error->domain == G_DBUS_ERROR)
    return HUB_EXIT_KEYRING;

  return HUB_EXIT_FAILURE;
}

int
hub_cli_run (int    argc,
             char **argv)
{
  const char *command;

  g_log_set_writer_func (cli_log_writer, NULL, NULL);
  g_log_writer_default_set_use_stderr (TRUE);
  g_set_prgname (CLI_NAME);

  if (argc < 2)
    {
      cli_print_usage ();
      return HUB_EXIT_OK;
    }

  command = argv[1];

  if (g_str_equal (command, "--version") || g_str_equal (command, "-V"))
    {
      if (argc > 2)
        return cli_usage_error (_("--version takes no arguments."));
      g_print ("%s %s\n", CLI_NAME, PACKAGE_VERSION);
      return HUB_EXIT_OK;
    }
  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      cli_print_usage ();
      return HUB_EXIT_OK;
    }

  if (g_str_equal (command, "providers"))
    return cli_providers (argc - 2, argv + 2);
  if (g_str_equal (command, "link"))
    return cli_report_problems (cli_link (argc - 2, argv + 2));
  if (g_str_equal (command, "accounts"))
    return cli_accounts (argc - 2, argv + 2);
  if (g_str_equal (command, "verify"))
    return cli_report_problems (cli_verify (argc - 2, argv + 2));
  if (g_str_equal (command, "remove"))
    return cli_report_problems (cli_remove (argc - 2, argv + 2));

  {
    g_autofree char *message = NULL;

    if (command[0] == '-')
      message = g_strdup_printf (_("Unknown option “%s”."), command);
    else
      /* Translators: %s is what the user typed as command */
      message = g_strdup_printf (_("Unknown command “%s”."), command);
    return cli_usage_error (message);
  }
}
