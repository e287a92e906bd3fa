/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-store"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "hub-account-store.h"
#include "hub-secret-store.h"

#include "bench.h"

/* The account store with 1000 accounts in accounts.ini.
 *
 * Secrets go to libsecret's file backend in a temporary directory (what
 * Flatpak uses; no D-Bus), and its keyring is empty, so a load is: read and
 * parse the metadata in a worker thread, build 1000 HubAccounts, announce
 * them, list the keyring (nothing) and mark each account "secret missing".
 *
 * - store-load-1000 against g_key_file_load_from_data of the same bytes;
 * - store-rename-1000 (one account renamed: serialize all 1000, write
 *   atomically and durably) against g_key_file_to_data of the same key file
 *   plus g_file_set_contents_full with the same flags;
 * - store-load-items-changed: items announced through items-changed per load
 *   against the 1000 accounts loaded (1.00 = each announced once). */

#define N_ACCOUNTS 1000

static char *tmp_dir;
static char *ini_path;
static char *ini_data;
static gsize ini_length;

static const char * const providers[] = {
  "humaans", "leapsome", "sesame", "smartrecruiters", "unleashed",
};

static void
write_fixture (void)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (tmp_dir, "connect-hub", NULL);

  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      const char *provider = providers[i % G_N_ELEMENTS (providers)];

      g_string_append_printf (s,
        "[%08x-4d5e-4f60-8a7b-%012u]\n"
        "provider=%s\n"
        "label=Account %u of Example Company\n"
        "identity=Example Company %u (people%u@example.test)\n"
        "status=connected\n"
        "connected_at=2026-11-01T09:%02u:%02uZ\n"
        "checked_at=2026-11-27T08:%02u:%02uZ\n",
        i, i, provider, i, i, i, i % 60, i % 60, i % 60, (i * 7) % 60);
      if (g_str_equal (provider, "sesame"))
        g_string_append (s, "value.region=eu1\n");
      if (g_str_equal (provider, "unleashed"))
        g_string_append_printf (s, "value.api_id=0f3a2b1c-4d5e-4f60-8a7b-%012u\n", i);
      g_string_append_printf (s, "detail.company=Example Company %u\ndetail.email=people%u@example.test\n\n",
                              i, i);
    }

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  ini_path = g_build_filename (dir, "accounts.ini", NULL);
  ini_length = s->len;
  ini_data = g_string_free (g_steal_pointer (&s), FALSE);
  g_file_set_contents (ini_path, ini_data, (gssize) ini_length, &error);
  g_assert_no_error (error);
}

typedef struct
{
  HubSecretStore  *secrets;
  HubAccountStore *store;
  GKeyFile        *key_file;
  guint            n_renames;
  guint            items_added;
  guint            emissions;
} State;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  State      *state)
{
  state->items_added += added;
  state->emissions++;
}

static void
problem_cb (HubAccountStore *store,
            const char      *message,
            State           *state)
{
  g_debug ("problem: %s", message);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
}

static HubAccountStore *
load_store (State *state)
{
  HubAccountStore *store = hub_account_store_new (state->secrets, NULL, ini_path);
  gboolean done = FALSE;

  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), state);
  g_signal_connect (store, "problem", G_CALLBACK (problem_cb), state);
  hub_account_store_load_async (store, NULL, done_cb, &done);
  hub_bench_wait (&done);
  if (g_list_model_get_n_items (G_LIST_MODEL (store)) != N_ACCOUNTS)
    g_error ("loaded %u accounts, expected %u",
             g_list_model_get_n_items (G_LIST_MODEL (store)), N_ACCOUNTS);
  return store;
}

static gpointer
setup (void)
{
  State *state = g_new0 (State, 1);

  state->secrets = hub_secret_store_new ();
  return state;
}

static gpointer
setup_loaded (void)
{
  State *state = setup ();
  g_autoptr(GError) error = NULL;

  state->store = load_store (state);
  state->key_file = g_key_file_new ();
  g_key_file_load_from_data (state->key_file, ini_data, ini_length, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return state;
}

static void
teardown (gpointer data)
{
  State *state = data;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&state->store);
  g_clear_object (&state->secrets);
  g_clear_pointer (&state->key_file, g_key_file_unref);
  g_free (state);
  /* Leave the original file for the next case. */
  g_assert_true (g_file_set_contents (ini_path, ini_data, (gssize) ini_length, NULL));
}

static void
run_load (gpointer data)
{
  g_object_unref (load_store (data));
}

static void
run_keyfile_load (gpointer data)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_data (key_file, ini_data, ini_length, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
}

static void
run_rename (gpointer data)
{
  State *state = data;
  HubAccount *account = g_list_model_get_item (G_LIST_MODEL (state->store),
                                               state->n_renames % N_ACCOUNTS);
  g_autofree char *label = g_strdup_printf ("Renamed %u", state->n_renames++);
  gboolean done = FALSE;

  hub_account_store_rename_async (state->store, account, label, NULL, done_cb, &done);
  hub_bench_wait (&done);
  g_assert_cmpstr (hub_account_get_label (account), ==, label);
  g_object_unref (account);
}

static void
run_keyfile_save (gpointer data)
{
  State *state = data;
  g_autoptr(GError) error = NULL;
  gsize length;
  g_autofree char *text = g_key_file_to_data (state->key_file, &length, NULL);
  g_autofree char *path = g_strconcat (ini_path, ".baseline", NULL);

  g_file_set_contents_full (path, text, (gssize) length,
                            G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                            0600, &error);
  g_assert_no_error (error);
}

static double
measure_items_changed (gpointer data,
                       double  *baseline_value)
{
  State *state = data;
  g_autoptr(HubAccountStore) store = NULL;

  state->items_added = 0;
  state->emissions = 0;
  store = load_store (state);
  g_debug ("%u items-changed emissions", state->emissions);
  *baseline_value = N_ACCOUNTS;
  return state->items_added;
}

static const HubBenchCase cases[] = {
  { "keyfile-load-1000", NULL, setup, run_keyfile_load, NULL, NULL, NULL, teardown },
  { "store-load-1000", "keyfile-load-1000", setup, run_load, NULL, NULL, NULL, teardown },
  { "keyfile-save-1000", NULL, setup_loaded, run_keyfile_save, NULL, NULL, NULL, teardown },
  { "store-rename-1000", "keyfile-save-1000", setup_loaded, run_rename, NULL, NULL, NULL,
    teardown },
  { "store-load-items-changed", NULL, setup, NULL, measure_items_changed, "items",
    "accounts loaded", teardown },
};

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring = NULL;
  int status;

  tmp_dir = g_dir_make_tmp ("connect-hub-bench-XXXXXX", &error);
  g_assert_no_error (error);
  keyring = g_build_filename (tmp_dir, "keyring", NULL);

  /* Before any libsecret call: a private file keyring, no D-Bus. */
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "bench", TRUE);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/connect-hub-bench-bus", TRUE);
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);

  write_fixture ();
  status = hub_bench_main (argc, argv, cases, G_N_ELEMENTS (cases));
  remove_tree (tmp_dir);
  return status;
}
