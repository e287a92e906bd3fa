/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Keyring fault states, against a real gnome-keyring (or none) on a private bus:
 *   build-aux/run-headless.sh --keyring=locked -- tests/test-keyring-faults
 *   build-aux/run-headless.sh --keyring=none   -- tests/test-keyring-faults
 * The wrapper exports HUB_TEST_KEYRING=locked|none; the expected state is read from it. */
#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "hub-account-store.h"
#include "hub-secret-store.h"

/* The password run-headless.sh gives the locked keyring (a test value, not a secret). */
#define LOCKED_KEYRING_PASSWORD "connect-hub-test-pw"
#define LOGIN_COLLECTION        "/org/freedesktop/secrets/collection/login"
#define SECRET_BUS_NAME         "org.freedesktop.secrets"
#define SECRET_PATH             "/org/freedesktop/secrets"

/* Every call must end within this, far below libsecret's own 25 s D-Bus timeout. */
#define MAX_SECONDS 2.0

static char *locked_account_id;

static GAsyncResult *
wait_for_result (GAsyncResult **slot,
                 double         max_seconds)
{
  gint64 start = g_get_monotonic_time ();

  while (*slot == NULL)
    {
      g_assert_cmpfloat ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, <,
                         max_seconds + 1.0);
      g_main_context_iteration (NULL, TRUE);
    }

  g_assert_cmpfloat ((g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, <,
                     max_seconds);
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

static GHashTable *
new_secrets (const char *value)
{
  GHashTable *secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (secrets, g_strdup ("api_token"), g_strdup (value));
  return secrets;
}

static gboolean
do_store (HubSecretStore  *store,
          const char      *account_id,
          const char      *value,
          GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) secrets = new_secrets (value);

  hub_secret_store_store_async (store, account_id, "humaans", "Connect Hub: Humaans \xe2\x80\x94 F",
                                secrets, NULL, result_cb, &result);
  return hub_secret_store_store_finish (store, wait_for_result (&result, MAX_SECONDS), error);
}

static GHashTable *
do_lookup (HubSecretStore  *store,
           const char      *account_id,
           GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_lookup_async (store, account_id, NULL, result_cb, &result);
  return hub_secret_store_lookup_finish (store, wait_for_result (&result, MAX_SECONDS), error);
}

static gboolean
do_clear (HubSecretStore  *store,
          const char      *account_id,
          GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_clear_async (store, account_id, NULL, result_cb, &result);
  return hub_secret_store_clear_finish (store, wait_for_result (&result, MAX_SECONDS), error);
}

static GPtrArray *
do_list (HubSecretStore  *store,
         GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_list_async (store, NULL, result_cb, &result);
  return hub_secret_store_list_finish (store, wait_for_result (&result, MAX_SECONDS), error);
}

static HubSecretItem *
find_item (GPtrArray  *items,
           const char *account_id)
{
  for (guint i = 0; i < items->len; i++)
    {
      HubSecretItem *item = g_ptr_array_index (items, i);

      if (g_str_equal (item->account_id, account_id))
        return item;
    }
  return NULL;
}

static gboolean
expect_locked (void)
{
  return g_strcmp0 (g_getenv ("HUB_TEST_KEYRING"), "locked") == 0;
}

/* Unlocks the login collection with its password through gnome-keyring's
 * internal interface (no prompt), so that the test can put an item in it
 * before locking it again. */
static void
unlock_with_password (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  GVariant *password;

  reply = g_dbus_connection_call_sync (bus, SECRET_BUS_NAME, SECRET_PATH,
                                       "org.freedesktop.Secret.Service", "OpenSession",
                                       g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                       G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(vo)", NULL, &session);

  password = g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, LOCKED_KEYRING_PASSWORD,
                                        strlen (LOCKED_KEYRING_PASSWORD), 1);
  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (bus, SECRET_BUS_NAME, SECRET_PATH,
                                       "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                       "UnlockWithMasterPassword",
                                       g_variant_new ("(o(o@ay@ays))", LOGIN_COLLECTION, session,
                                                      g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                                 "", 0, 1),
                                                      password, "text/plain"),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

static void
lock_login (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *objects[] = { LOGIN_COLLECTION, NULL };

  reply = g_dbus_connection_call_sync (bus, SECRET_BUS_NAME, SECRET_PATH,
                                       "org.freedesktop.Secret.Service", "Lock",
                                       g_variant_new ("(^ao)", objects),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

/* Puts one of our items into the login keyring, then locks it. */
static void
prepare_locked_item (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GError) error = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  unlock_with_password (bus);
  locked_account_id = g_uuid_string_random ();
  g_assert_true (do_store (store, locked_account_id, "locked-fault-made-up-token", &error));
  g_assert_no_error (error);
  lock_login (bus);
}

static void
test_state (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HubKeyringState state;

  hub_secret_store_get_state_async (store, NULL, result_cb, &result);
  state = hub_secret_store_get_state_finish (store, wait_for_result (&result, MAX_SECONDS),
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==,
                   expect_locked () ? HUB_KEYRING_STATE_LOCKED : HUB_KEYRING_STATE_UNAVAILABLE);
}

static void
test_lookup (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing_id = g_uuid_string_random ();

  if (expect_locked ())
    {
      /* Locked is told apart from missing. */
      found = do_lookup (store, locked_account_id, &error);
      g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_LOCKED);
      g_assert_null (found);
      g_assert_nonnull (strstr (error->message, "locked"));
      g_clear_error (&error);

      found = do_lookup (store, missing_id, &error);
      g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_NOT_FOUND);
      g_assert_null (found);
    }
  else
    {
      found = do_lookup (store, missing_id, &error);
      g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);
      g_assert_null (found);
      g_assert_nonnull (strstr (error->message, "gnome-keyring"));
    }
}

static void
test_clear (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  HubSecretItem *item;

  if (!expect_locked ())
    {
      g_autofree char *missing_id = g_uuid_string_random ();

      g_assert_false (do_clear (store, missing_id, &error));
      g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);
      return;
    }

  g_assert_false (do_clear (store, locked_account_id, &error));
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_LOCKED);
  g_clear_error (&error);

  /* The item is still there, and still locked. */
  items = do_list (store, &error);
  g_assert_no_error (error);
  item = find_item (items, locked_account_id);
  g_assert_nonnull (item);
  g_assert_true (item != NULL && item->locked);
  g_assert_cmpstr (item != NULL ? item->provider_id : NULL, ==, "humaans");
}

static void
test_store_refused (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = g_uuid_string_random ();

  g_assert_false (do_store (store, account_id, "refused-made-up-token", &error));
  g_assert_error (error, HUB_SECRET_ERROR,
                  expect_locked () ? HUB_SECRET_ERROR_LOCKED : HUB_SECRET_ERROR_UNAVAILABLE);

  if (expect_locked ())
    {
      g_autoptr(GPtrArray) items = NULL;

      g_clear_error (&error);
      items = do_list (store, &error);
      g_assert_no_error (error);
      g_assert_null (find_item (items, account_id));
    }
}

static void
test_list (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = do_list (store, &error);
  if (expect_locked ())
    {
      g_assert_no_error (error);
      g_assert_nonnull (find_item (items, locked_account_id));
    }
  else
    {
      g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);
      g_assert_null (items);
    }
}

static void
problem_cb (HubAccountStore *store,
            const char      *message,
            guint           *count)
{
  (*count)++;
}

/* The account store over a locked or missing keyring: the metadata is still
 * listed, a locked item is marked, and nothing is lost or reported removed. */
static void
test_account_store (void)
{
  g_autoptr(HubSecretStore) secrets = hub_secret_store_new ();
  g_autoptr(HubAccountStore) store = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) ini = g_key_file_new ();
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *account_id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(HubVerifyResult) verified = NULL;
  HubAccount *account;
  guint problems = 0;
  guint n_items;

  dir = g_build_filename (g_get_user_data_dir (), "faults-store", NULL);
  path = g_build_filename (dir, "accounts.ini", NULL);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  account_id = g_strdup (expect_locked () ? locked_account_id
                                          : "5b0c2a8e-0000-4000-8000-00000000f417");
  g_key_file_set_string (ini, account_id, "provider", "humaans");
  g_key_file_set_string (ini, account_id, "label", "People");
  g_key_file_set_string (ini, account_id, "status", "connected");
  g_key_file_set_string (ini, account_id, "checked_at", "2026-01-02T03:04:05Z");
  g_assert_true (g_key_file_save_to_file (ini, path, NULL));
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));

  store = hub_account_store_new (secrets, NULL, path);
  g_signal_connect (store, "problem", G_CALLBACK (problem_cb), &problems);
  hub_account_store_load_async (store, NULL, result_cb, &result);
  g_assert_true (hub_account_store_load_finish (store, wait_for_result (&result, MAX_SECONDS),
                                                &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  account = hub_account_store_lookup (store, account_id);
  g_assert_nonnull (account);
  if (expect_locked ())
    {
      g_assert_cmpuint (problems, ==, 0);
      g_assert_true (hub_account_get_keyring_locked (account));
      g_assert_false (hub_account_get_secret_missing (account));
    }
  else
    {
      g_assert_cmpuint (problems, ==, 1);
      g_assert_false (hub_account_get_secret_missing (account));
    }

  /* A check reads no secret: the status and checked-at stay. */
  hub_account_store_check_async (store, account, NULL, result_cb, &result);
  verified = hub_account_store_check_finish (store, wait_for_result (&result, MAX_SECONDS),
                                             &error);
  g_assert_null (verified);
  g_assert_error (error, HUB_SECRET_ERROR,
                  expect_locked () ? HUB_SECRET_ERROR_LOCKED : HUB_SECRET_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_nonnull (hub_account_get_last_error (account));

  /* Remove is refused and the account kept (fault matrix row 23: remove
   * while locked is not reported as removed). */
  n_items = g_list_model_get_n_items (G_LIST_MODEL (store));
  hub_account_store_remove_async (store, account, NULL, result_cb, &result);
  g_assert_false (hub_account_store_remove_finish (store, wait_for_result (&result, MAX_SECONDS),
                                                   &error));
  g_assert_error (error, HUB_SECRET_ERROR,
                  expect_locked () ? HUB_SECRET_ERROR_LOCKED : HUB_SECRET_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  g_clear_object (&result);
  g_assert_true (hub_account_store_lookup (store, account_id) == account);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n_items);
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_false (hub_account_get_secret_missing (account));
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_nonnull (strstr (after, account_id));
  g_assert_nonnull (strstr (after, "checked_at=2026-01-02T03:04:05Z"));

  if (expect_locked ())
    {
      g_autoptr(GPtrArray) items = NULL;
      HubSecretItem *item;

      /* The secret is still there, still locked, and the account says so. */
      g_assert_true (hub_account_get_keyring_locked (account));
      items = do_list (secrets, &error);
      g_assert_no_error (error);
      item = find_item (items, account_id);
      g_assert_nonnull (item);
      g_assert_true (item != NULL && item->locked);

      /* A second store over the same file still lists it after a restart. */
      {
        g_autoptr(HubAccountStore) again = hub_account_store_new (secrets, NULL, path);

        hub_account_store_load_async (again, NULL, result_cb, &result);
        g_assert_true (hub_account_store_load_finish (again,
                                                      wait_for_result (&result, MAX_SECONDS),
                                                      &error));
        g_assert_no_error (error);
        g_assert_nonnull (hub_account_store_lookup (again, account_id));
        g_assert_true (hub_account_get_keyring_locked (hub_account_store_lookup (again,
                                                                                 account_id)));
      }
    }
}

/* A secret service that takes the name but never answers (a hung activation):
 * every call still ends, by the store's timeout. Runs after the others: it
 * leaves libsecret's service object waiting on a silent peer. */
static GDBusMessage *
drop_calls_filter (GDBusConnection *connection,
                   GDBusMessage    *message,
                   gboolean         incoming,
                   gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }
  return message;
}

static void
test_zz_hung_service (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GDBusConnection) silent = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  HubKeyringState state;

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  silent = g_dbus_connection_new_for_address_sync (address,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                   G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (silent, drop_calls_filter, NULL, NULL);
  reply = g_dbus_connection_call_sync (silent, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", SECRET_BUS_NAME, 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                       NULL, &error);
  g_assert_no_error (error);

  hub_secret_store_set_timeout (store, 1);

  hub_secret_store_get_state_async (store, NULL, result_cb, &result);
  state = hub_secret_store_get_state_finish (store, wait_for_result (&result, MAX_SECONDS),
                                             &error);
  g_assert_no_error (error);
  g_assert_cmpint (state, ==, HUB_KEYRING_STATE_UNAVAILABLE);
  g_clear_object (&result);

  found = do_lookup (store, "5b0c2a8e-0000-4000-8000-0000000000aa", &error);
  g_assert_null (found);
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "in time"));
  g_clear_error (&error);

  g_assert_false (do_store (store, "5b0c2a8e-0000-4000-8000-0000000000aa", "hung-made-up",
                            &error));
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);
}

/* With no prompter on the private bus an unlock can never succeed: it must
 * still end, by the timeout at the latest. Runs last (it may leave a
 * dangling prompt in the daemon). */
static void
test_unlock_bounded (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hub_secret_store_set_timeout (store, 1);
  hub_secret_store_unlock_async (store, NULL, result_cb, &result);
  g_assert_false (hub_secret_store_unlock_finish (store, wait_for_result (&result, MAX_SECONDS),
                                                  &error));
  if (expect_locked ())
    g_assert_true (g_error_matches (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_LOCKED)
                   || g_error_matches (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE));
  else
    g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);
}

int
main (int   argc,
      char *argv[])
{
  const char *mode = g_getenv ("HUB_TEST_KEYRING");

  g_test_init (&argc, &argv, NULL);

  if (g_strcmp0 (mode, "locked") != 0 && g_strcmp0 (mode, "none") != 0)
    {
      g_printerr ("Run under build-aux/run-headless.sh --keyring=locked|none "
                  "(HUB_TEST_KEYRING is “%s”)\n", mode != NULL ? mode : "");
      return 1;
    }

  if (expect_locked ())
    prepare_locked_item ();

  g_test_add_func ("/hub/keyring-faults/state", test_state);
  g_test_add_func ("/hub/keyring-faults/lookup", test_lookup);
  g_test_add_func ("/hub/keyring-faults/clear", test_clear);
  g_test_add_func ("/hub/keyring-faults/store-refused", test_store_refused);
  g_test_add_func ("/hub/keyring-faults/list", test_list);
  g_test_add_func ("/hub/keyring-faults/unlock-bounded", test_unlock_bounded);
  g_test_add_func ("/hub/keyring-faults/account-store", test_account_store);
  /* Needs the bus name free: only without a keyring daemon. */
  if (!expect_locked ())
    g_test_add_func ("/hub/keyring-faults/zz-hung-service", test_zz_hung_service);

  return g_test_run ();
}
