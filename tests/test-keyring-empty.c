/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Fault-matrix row 24: a keyring service that runs but has no keyring at all (no login
 * collection, no "default" alias), as on a fresh account outside GNOME:
 *   build-aux/run-headless.sh --keyring=empty -- tests/test-keyring-empty
 * The secret store must say "no default keyring" (not "unavailable", not a hang), refuse to
 * store, and the command line must exit 5 with one line before anything is sent. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "hub-secret-store.h"
#include "hub-emulator.h"

#define MAX_SECONDS 2.0

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  gint64 start = g_get_monotonic_time ();

  while (*slot == NULL)
    {
      g_assert_cmpfloat ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, <,
                         MAX_SECONDS + 1.0);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_cmpfloat ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, <,
                     MAX_SECONDS);
  return *slot;
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static void
test_state (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HubKeyringState state;

  hub_secret_store_get_state_async (store, NULL, result_cb, &result);
  state = hub_secret_store_get_state_finish (store, wait_for_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, HUB_KEYRING_STATE_NO_COLLECTION);
}

static void
test_store_refused (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) list_result = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (secrets, g_strdup ("api_token"), g_strdup (HUB_EMU_HUMAANS_TOKEN));
  hub_secret_store_store_async (store, "6b1f7c1e-0000-4000-8000-000000000024", "humaans",
                                "Connect Hub: Humaans — test", secrets, NULL,
                                result_cb, &result);
  g_assert_false (hub_secret_store_store_finish (store, wait_for_result (&result), &error));
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_NO_COLLECTION);
  /* The message says what to do, not a D-Bus object path. */
  g_assert_null (strstr (error->message, "/org/freedesktop"));

  /* Nothing was written anywhere. */
  hub_secret_store_list_async (store, NULL, result_cb, &list_result);
  items = hub_secret_store_list_finish (store, wait_for_result (&list_result), NULL);
  g_assert_true (items == NULL || items->len == 0);
}

static void
test_cli_link (void)
{
  g_autoptr(HubEmulator) emulator = hub_emulator_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *base_url = NULL;
  g_auto(GStrv) lines = NULL;
  const char *bin = g_getenv ("CONNECT_HUB_BIN");

  g_assert_nonnull (bin);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "CONNECT_HUB_BASE_URL_HUMAANS",
                                hub_emulator_get_base_url (emulator, "humaans"), TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, bin, "link", "humaans", NULL);
  g_assert_no_error (error);

  /* The emulator runs on this main context, so wait asynchronously. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    g_subprocess_communicate_utf8_async (child,
                                         "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\"}",
                                         NULL, result_cb, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    g_subprocess_communicate_utf8_finish (child, result, &out, &err, &error);
    g_assert_no_error (error);
  }

  g_assert_true (g_subprocess_get_if_exited (child));
  g_assert_cmpint (g_subprocess_get_exit_status (child), ==, 5);
  g_assert_cmpstr (out, ==, "");
  lines = g_strsplit (g_strchomp (err), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_true (g_str_has_prefix (lines[0], "connect-hub: "));
  g_assert_null (strstr (err, HUB_EMU_HUMAANS_TOKEN));
  /* Keyring checked before the credential was sent anywhere. */
  g_assert_cmpuint (hub_emulator_get_hits (emulator, NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (g_strcmp0 (g_getenv ("HUB_TEST_KEYRING"), "empty") != 0)
    {
      g_printerr ("test-keyring-empty runs under build-aux/run-headless.sh --keyring=empty\n");
      return 1;
    }

  g_test_add_func ("/hub/keyring-empty/state", test_state);
  g_test_add_func ("/hub/keyring-empty/store-refused", test_store_refused);
  g_test_add_func ("/hub/keyring-empty/cli-link", test_cli_link);

  return g_test_run ();
}
