/* SPDX-License-Identifier: GPL-3.0-or-later */
/* HubSecretStore on libsecret's file backend, the one Flatpak uses through the secret portal.
 *
 * main() points libsecret at a private encrypted file (SECRET_BACKEND=file,
 * SECRET_FILE_TEST_PATH, SECRET_FILE_TEST_PASSWORD) before any libsecret call and makes the
 * session bus unreachable: inside Flatpak the secret lives in that file, and no Secret Service
 * needs to answer for a store, lookup, list or clear to work. */
#define G_LOG_DOMAIN "test-secret-file-backend"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "hub-secret-store.h"

#define TEST_SECRET "file-backend-test-secret-3f9a1c"
#define TIMEOUT_SECONDS 15

static char *keyring_path;

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until the call completes; a timeout fails the test. */
static GAsyncResult *
wait_for_result (Wait *wait)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (TIMEOUT_SECONDS, timeout_cb, &timed_out);

  while (wait->result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);

  g_assert_false (timed_out);
  return g_steal_pointer (&wait->result);
}

static gboolean
do_store (HubSecretStore  *store,
          const char      *account_id,
          const char      *provider_id,
          GHashTable      *secrets,
          GError         **error)
{
  Wait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_store_async (store, account_id, provider_id, "Connect Hub: test",
                                secrets, NULL, wait_cb, &wait);
  result = wait_for_result (&wait);
  return hub_secret_store_store_finish (store, result, error);
}

static GHashTable *
do_lookup (HubSecretStore  *store,
           const char      *account_id,
           GError         **error)
{
  Wait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_lookup_async (store, account_id, NULL, wait_cb, &wait);
  result = wait_for_result (&wait);
  return hub_secret_store_lookup_finish (store, result, error);
}

static gboolean
do_clear (HubSecretStore  *store,
          const char      *account_id,
          GError         **error)
{
  Wait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_clear_async (store, account_id, NULL, wait_cb, &wait);
  result = wait_for_result (&wait);
  return hub_secret_store_clear_finish (store, result, error);
}

static GPtrArray *
do_list (HubSecretStore  *store,
         GError         **error)
{
  Wait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_list_async (store, NULL, wait_cb, &wait);
  result = wait_for_result (&wait);
  return hub_secret_store_list_finish (store, result, error);
}

static HubKeyringState
do_get_state (HubSecretStore  *store,
              GError         **error)
{
  Wait wait = { NULL };
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_get_state_async (store, NULL, wait_cb, &wait);
  result = wait_for_result (&wait);
  return hub_secret_store_get_state_finish (store, result, error);
}

static GHashTable *
new_secrets (const char *value)
{
  GHashTable *secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (secrets, g_strdup ("api_key"), g_strdup (value));
  return secrets;
}

static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= length && i <= length - n; i++)
    {
      if (memcmp (haystack + i, needle, n) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The file exists, and holds the secret encrypted, not in the clear. */
static void
assert_keyring_file_hides (const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (keyring_path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 0);
  g_assert_false (contains_bytes (contents, length, needle));
}

static void
test_state (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GError) error = NULL;
  HubKeyringState state;

  /* The file keyring has no lock and no collection to ask the Secret Service about. */
  state = do_get_state (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, HUB_KEYRING_STATE_UNLOCKED);
}

static void
test_round_trip (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) secrets = new_secrets (TEST_SECRET);
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GError) error = NULL;
  const char *account_id = "6f1c1f1e-6f0b-4d1e-9d55-0a3f0c2b7a11";

  g_assert_true (do_store (store, account_id, "humaans", secrets, &error));
  g_assert_no_error (error);
  assert_keyring_file_hides (TEST_SECRET);

  found = do_lookup (store, account_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpuint (g_hash_table_size (found), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_key"), ==, TEST_SECRET);
  g_clear_pointer (&found, g_hash_table_unref);

  /* Storing again replaces the item in place. */
  g_hash_table_insert (secrets, g_strdup ("api_key"), g_strdup (TEST_SECRET "-2"));
  g_assert_true (do_store (store, account_id, "humaans", secrets, &error));
  g_assert_no_error (error);
  found = do_lookup (store, account_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_key"), ==, TEST_SECRET "-2");
  g_clear_pointer (&found, g_hash_table_unref);

  g_assert_true (do_clear (store, account_id, &error));
  g_assert_no_error (error);

  found = do_lookup (store, account_id, &error);
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_NOT_FOUND);
  g_assert_null (found);
}

static void
test_list (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) secrets = new_secrets (TEST_SECRET);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *ids[] = { "0b6c3a0e-1111-4c55-8f00-5e2d7c9b0001",
                        "0b6c3a0e-2222-4c55-8f00-5e2d7c9b0002" };
  gboolean seen[2] = { FALSE, FALSE };

  g_assert_true (do_store (store, ids[0], "unleashed", secrets, &error));
  g_assert_no_error (error);
  g_assert_true (do_store (store, ids[1], "sesame", secrets, &error));
  g_assert_no_error (error);

  items = do_list (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);
  g_assert_cmpuint (items->len, ==, 2);
  for (guint i = 0; i < items->len; i++)
    {
      HubSecretItem *item = g_ptr_array_index (items, i);

      g_assert_false (item->locked);
      if (g_strcmp0 (item->account_id, ids[0]) == 0)
        {
          g_assert_cmpstr (item->provider_id, ==, "unleashed");
          seen[0] = TRUE;
        }
      else if (g_strcmp0 (item->account_id, ids[1]) == 0)
        {
          g_assert_cmpstr (item->provider_id, ==, "sesame");
          seen[1] = TRUE;
        }
    }
  g_assert_true (seen[0] && seen[1]);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_assert_true (do_clear (store, ids[i], &error));
      g_assert_no_error (error);
    }
  g_clear_pointer (&items, g_ptr_array_unref);
  items = do_list (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* Before any libsecret call: it picks its backend once per process. */
  dir = g_dir_make_tmp ("connect-hub-file-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  keyring_path = g_build_filename (dir, "keyring", NULL);
  g_setenv ("SECRET_BACKEND", "file", TRUE);
  g_setenv ("SECRET_FILE_TEST_PATH", keyring_path, TRUE);
  g_setenv ("SECRET_FILE_TEST_PASSWORD", "test", TRUE);
  /* No D-Bus: a session bus that cannot be reached, and no X11 to autolaunch one. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/connect-hub-test-bus", TRUE);
  g_unsetenv ("DISPLAY");

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub/secret-file-backend/state", test_state);
  g_test_add_func ("/hub/secret-file-backend/round-trip", test_round_trip);
  g_test_add_func ("/hub/secret-file-backend/list", test_list);

  status = g_test_run ();

  g_unlink (keyring_path);
  g_rmdir (dir);
  g_free (keyring_path);
  return status;
}
