/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-emulator-server"

#include "config.h"

#include <stdio.h>
#include <glib-unix.h>
#include <gio/gunixinputstream.h>

#include "hub-emulator.h"

/* The provider emulator as a program, for the UI tests and the shell.
 *
 *   hub-emulator-server [--fault=PROVIDER:MODE]… [--retry-after=VALUE] [--ignore-stdin]
 *
 * Prints "http://127.0.0.1:PORT" as the first line on stdout, then serves
 * until SIGTERM, SIGINT or end of stdin (unless --ignore-stdin). Faults can
 * also be changed while it runs:
 *   GET /_control/fault?provider=<id|all>&mode=<name>
 *   GET /_control/retry-after?value=<value>
 *   GET /_control/hits     → JSON counts
 *   GET /_control/reset    → counters zero, no faults, Retry-After 120 */

static char stdin_buffer[256];

static gboolean
quit_cb (gpointer user_data)
{
  GMainLoop *loop = user_data;

  g_debug ("signal received, stopping");
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static void
stdin_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GMainLoop *loop = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  if (n <= 0)
    {
      g_debug ("stdin closed, stopping");
      g_main_loop_quit (loop);
      return;
    }

  g_input_stream_read_async (G_INPUT_STREAM (source), stdin_buffer, sizeof stdin_buffer,
                             G_PRIORITY_DEFAULT, NULL, stdin_read_cb, loop);
}

/* "humaans:401" or "all:stall" */
static gboolean
apply_fault_option (HubEmulator  *emu,
                    const char   *option,
                    GError      **error)
{
  g_auto(GStrv) parts = g_strsplit (option, ":", 2);
  HubEmuFault fault;
  const char *provider;

  if (g_strv_length (parts) != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--fault takes PROVIDER:MODE, e.g. humaans:401 or all:stall");
      return FALSE;
    }

  fault = hub_emu_fault_from_string (parts[1]);
  if (fault == HUB_EMU_N_FAULTS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Unknown fault mode “%s”", parts[1]);
      return FALSE;
    }

  provider = g_str_equal (parts[0], "all") ? NULL : parts[0];
  if (provider != NULL &&
      !g_str_equal (provider, "leapsome") && !g_str_equal (provider, "unleashed") &&
      !g_str_equal (provider, "sesame") && !g_str_equal (provider, "smartrecruiters") &&
      !g_str_equal (provider, "humaans"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Unknown provider “%s”", provider);
      return FALSE;
    }

  hub_emulator_set_fault (emu, provider, fault);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_auto(GStrv) faults = NULL;
  g_autofree char *retry_after = NULL;
  gboolean ignore_stdin = FALSE;
  const GOptionEntry entries[] = {
    { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
      "Start with a fault, e.g. humaans:401 or all:stall", "PROVIDER:MODE" },
    { "retry-after", 0, 0, G_OPTION_ARG_STRING, &retry_after,
      "Retry-After value sent with the 429 fault (default 120)", "VALUE" },
    { "ignore-stdin", 0, 0, G_OPTION_ARG_NONE, &ignore_stdin,
      "Keep serving when stdin ends (stop with SIGTERM or SIGINT)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(HubEmulator) emu = NULL;
  g_autoptr(GInputStream) in = NULL;
  guint sigterm_id, sigint_id;

  /* stdout carries the URL line only; every log message goes to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);

  g_option_context_set_summary (context, "Serves the Connect Hub provider emulator on 127.0.0.1.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  loop = g_main_loop_new (NULL, FALSE);
  emu = hub_emulator_new ();

  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    if (!apply_fault_option (emu, faults[i], &error))
      {
        g_printerr ("%s\n", error->message);
        return 2;
      }
  if (retry_after != NULL)
    hub_emulator_set_retry_after (emu, retry_after);

  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);

  if (!ignore_stdin)
    {
      in = g_unix_input_stream_new (STDIN_FILENO, FALSE);
      g_input_stream_read_async (in, stdin_buffer, sizeof stdin_buffer,
                                 G_PRIORITY_DEFAULT, NULL, stdin_read_cb, loop);
    }

  printf ("%s\n", hub_emulator_get_url (emu));
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  g_clear_pointer (&emu, hub_emulator_free);

  return 0;
}
