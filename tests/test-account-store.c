/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs against a real gnome-keyring on a private bus and the provider emulator:
 *   build-aux/run-headless.sh --keyring=unlocked -- tests/test-account-store */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gio.h>

#include "hub-account-store.h"
#include "hub-catalog.h"
#include "hub-emulator.h"
#include "hub-verifier.h"

/* Made-up test secrets; none may ever appear in a file outside the keyring. */
#define UNLEASHED_KEY_1  "MADE-UP-unleashed-key-one/AAAA+0123456789=="
#define UNLEASHED_KEY_2  "MADE-UP-unleashed-key-two/BBBB+9876543210=="
#define UNLEASHED_ID     "0f3a2b1c-4d5e-4f60-8a7b-000000000001"
#define HUMAANS_ORPHAN   "MADE-UP-humaans-orphan-token-0123456789"

#define SECRET_CANARY    "MADE-UP-canary-4c1d9e0b7a"

static const char * const all_secrets[] = {
  UNLEASHED_KEY_1, UNLEASHED_KEY_2, HUMAANS_ORPHAN, HUB_EMU_HUMAANS_TOKEN, SECRET_CANARY, NULL
};

typedef struct
{
  char            *dir;         /* under $HOME, so the final grep sees it */
  char            *path;        /* dir/connect-hub/accounts.ini */
  HubSecretStore  *secrets;
  HubAccountStore *store;
  GPtrArray       *problems;    /* char* */
  guint            items_added;
  guint            items_removed;
} Fixture;

/* ---- helpers ------------------------------------------------------------ */

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 15 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
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
problem_cb (HubAccountStore *store,
            const char      *message,
            Fixture         *fixture)
{
  g_test_message ("problem: %s", message);
  g_ptr_array_add (fixture->problems, g_strdup (message));
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *fixture)
{
  fixture->items_added += added;
  fixture->items_removed += removed;
}

static HubAccountStore *
new_store (Fixture    *fixture,
           const char *path)
{
  HubAccountStore *store = hub_account_store_new (fixture->secrets, NULL, path);

  g_signal_connect (store, "problem", G_CALLBACK (problem_cb), fixture);
  g_signal_connect (store, "items-changed", G_CALLBACK (items_changed_cb), fixture);
  return store;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *template = g_build_filename (g_get_home_dir (), "account-store-XXXXXX", NULL);

  fixture->dir = g_mkdtemp (g_steal_pointer (&template));
  g_assert_nonnull (fixture->dir);
  fixture->path = g_build_filename (fixture->dir, "connect-hub", "accounts.ini", NULL);
  fixture->secrets = hub_secret_store_new ();
  fixture->problems = g_ptr_array_new_with_free_func (g_free);
  fixture->store = new_store (fixture, fixture->path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->secrets);
  g_ptr_array_unref (fixture->problems);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static HubProvider *
provider (const char *id)
{
  HubProvider *found = hub_catalog_lookup (hub_catalog_get_default (), id);

  g_assert_nonnull (found);
  return found;
}

static GHashTable *
unleashed_values (const char *key)
{
  GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_insert (values, g_strdup ("api_id"), g_strdup (UNLEASHED_ID));
  g_hash_table_insert (values, g_strdup ("api_key"), g_strdup (key));
  return values;
}

static HubVerifyResult *
unleashed_result (const char *company)
{
  g_autoptr(GHashTable) captures = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *identity = g_strdup_printf ("%s (NZD)", company);

  g_hash_table_insert (captures, (gpointer) "company", (gpointer) company);
  g_hash_table_insert (captures, (gpointer) "currency", (gpointer) "NZD");
  return hub_verify_result_new ("unleashed", identity, captures, NULL, NULL);
}

static gboolean
load (HubAccountStore  *store,
      GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_account_store_load_async (store, NULL, result_cb, &result);
  return hub_account_store_load_finish (store, wait_for_result (&result), error);
}

static HubAccount *
add_unleashed (HubAccountStore  *store,
               const char       *key,
               const char       *company,
               const char       *label,
               GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) values = unleashed_values (key);
  g_autoptr(HubVerifyResult) verified = unleashed_result (company);

  hub_account_store_add_async (store, provider ("unleashed"), values, verified, label,
                               NULL, result_cb, &result);
  return hub_account_store_add_finish (store, wait_for_result (&result), error);
}

static GHashTable *
lookup_values (HubAccountStore  *store,
               HubAccount       *account,
               GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_account_store_lookup_values_async (store, account, NULL, result_cb, &result);
  return hub_account_store_lookup_values_finish (store, wait_for_result (&result), error);
}

static gboolean
remove_account (HubAccountStore  *store,
                HubAccount       *account,
                GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_account_store_remove_async (store, account, NULL, result_cb, &result);
  return hub_account_store_remove_finish (store, wait_for_result (&result), error);
}

static HubVerifyResult *
check (HubAccountStore  *store,
       HubAccount       *account,
       GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_account_store_check_async (store, account, NULL, result_cb, &result);
  return hub_account_store_check_finish (store, wait_for_result (&result), error);
}

/* Keyring items of @account_id (0 or 1), or whose label contains @label.
 * Other tests may use the same keyring at the same time: never count all. */
static guint
count_matching (HubSecretStore *secrets,
                const char     *account_id,
                const char     *label)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  hub_secret_store_list_async (secrets, NULL, result_cb, &result);
  items = hub_secret_store_list_finish (secrets, wait_for_result (&result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      HubSecretItem *item = g_ptr_array_index (items, i);

      if ((account_id != NULL && g_str_equal (item->account_id, account_id))
          || (label != NULL && item->label != NULL && strstr (item->label, label) != NULL))
        count++;
    }
  return count;
}

static guint
count_items (HubSecretStore *secrets,
             const char     *account_id)
{
  return count_matching (secrets, account_id, NULL);
}

static void
store_item (HubSecretStore *secrets,
            const char     *account_id,
            const char     *provider_id,
            const char     *label,
            const char     *field,
            const char     *value)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) table = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (table, (gpointer) field, (gpointer) value);
  hub_secret_store_store_async (secrets, account_id, provider_id, label, table, NULL,
                                result_cb, &result);
  g_assert_true (hub_secret_store_store_finish (secrets, wait_for_result (&result), &error));
  g_assert_no_error (error);
}

static GKeyFile *
read_ini (const char *path)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&key_file);
}

static void
assert_file_has_no_secret (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (guint i = 0; all_secrets[i] != NULL; i++)
    g_assert_null (g_strstr_len (contents, length, all_secrets[i]));
}

static char *
find_backup (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      if (g_str_has_prefix (name, "accounts.ini.corrupt-"))
        return g_build_filename (dir, name, NULL);
    }
  return NULL;
}

static void
run_quietly (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                     G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
}

/* ---- tests -------------------------------------------------------------- */

static void
test_status_strings (void)
{
  HubAccountStatus status = HUB_ACCOUNT_STATUS_ERROR;

  g_assert_cmpstr (hub_account_status_to_string (HUB_ACCOUNT_STATUS_CONNECTED), ==, "connected");
  g_assert_cmpstr (hub_account_status_to_string (HUB_ACCOUNT_STATUS_REJECTED), ==, "rejected");
  g_assert_cmpstr (hub_account_status_to_string (HUB_ACCOUNT_STATUS_ERROR), ==, "error");
  g_assert_cmpstr (hub_account_status_to_string (HUB_ACCOUNT_STATUS_UNCHECKED), ==, "unchecked");
  g_assert_true (hub_account_status_from_string ("unchecked", &status));
  g_assert_cmpint (status, ==, HUB_ACCOUNT_STATUS_UNCHECKED);
  g_assert_true (hub_account_status_from_string ("rejected", &status));
  g_assert_cmpint (status, ==, HUB_ACCOUNT_STATUS_REJECTED);
  g_assert_false (hub_account_status_from_string ("Connected", &status));
  g_assert_false (hub_account_status_from_string (NULL, &status));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_account_notify (void)
{
  g_autoptr(HubAccount) account = hub_account_new ("id-1", "humaans");
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (1700000000);
  g_autoptr(GDateTime) same = g_date_time_new_from_unix_utc (1700000000);
  guint count = 0;

  g_signal_connect (account, "notify", G_CALLBACK (count_notify_cb), &count);

  hub_account_set_label (account, "A");
  hub_account_set_label (account, "A");
  g_assert_cmpuint (count, ==, 1);
  hub_account_set_status (account, HUB_ACCOUNT_STATUS_REJECTED);
  hub_account_set_status (account, HUB_ACCOUNT_STATUS_REJECTED);
  g_assert_cmpuint (count, ==, 2);
  hub_account_set_checked_at (account, when);
  hub_account_set_checked_at (account, same);
  g_assert_cmpuint (count, ==, 3);
  hub_account_set_keyring_locked (account, TRUE);
  hub_account_set_secret_missing (account, TRUE);
  hub_account_set_last_error (account, "x");
  hub_account_set_last_error (account, NULL);
  g_assert_cmpuint (count, ==, 7);
  g_assert_cmpstr (hub_account_get_id (account), ==, "id-1");
  g_assert_cmpstr (hub_account_get_provider_id (account), ==, "humaans");
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_REJECTED);
}

static void
test_folder_made_private (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  GStatBuf st;

  /* A folder that already exists, readable by everyone (an older version, a restore). */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  account = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Acme Trading Ltd", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
cancel_on_items_changed_cb (GListModel   *model,
                            guint         position,
                            guint         removed,
                            guint         added,
                            GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static void
test_add_cancelled_while_saving (Fixture       *fixture,
                                 gconstpointer  data)
{
  /* The user presses Cancel while the metadata is being written (the account
   * appears in the list at that moment): the result must tell the truth. */
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) values = unleashed_values (UNLEASHED_KEY_1);
  g_autoptr(HubVerifyResult) verified = unleashed_result ("Acme Trading Ltd");
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  gulong handler;
  guint n_before;

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  n_before = g_list_model_get_n_items (G_LIST_MODEL (fixture->store));

  handler = g_signal_connect (fixture->store, "items-changed",
                              G_CALLBACK (cancel_on_items_changed_cb), cancellable);
  hub_account_store_add_async (fixture->store, provider ("unleashed"), values, verified, NULL,
                               cancellable, result_cb, &result);
  account = hub_account_store_add_finish (fixture->store, wait_for_result (&result), &error);
  g_signal_handler_disconnect (fixture->store, handler);
  g_assert_true (g_cancellable_is_cancelled (cancellable));

  /* Linked after all: success, and it is in the list (never "cancelled" while listed). */
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_true (hub_account_store_lookup (fixture->store, hub_account_get_id (account)) ==
                 account);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, n_before + 1);
}

static void
test_unreadable_not_overwritten (Fixture       *fixture,
                                 gconstpointer  data)
{
  /* A file that cannot be read (here a symlink loop: root reads everything else)
   * must not be replaced by the next save with only what is in memory. */
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *target = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (symlink ("accounts.ini", fixture->path), ==, 0);

  g_assert_false (load (fixture->store, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  account = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Unreadable Test Co", NULL, &error);
  g_assert_null (account);
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "restart"));

  /* The file is as it was, and nothing half-linked stays in the keyring. */
  target = g_file_read_link (fixture->path, NULL);
  g_assert_cmpstr (target, ==, "accounts.ini");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 0);
  g_assert_cmpuint (count_matching (fixture->secrets, NULL, "Unreadable Test Co"), ==, 0);
  /* The window hears why (the "problem" signal). */
  g_assert_cmpuint (fixture->problems->len, >=, 1);

  g_assert_cmpint (g_unlink (fixture->path), ==, 0);
}

static void
test_add (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GKeyFile) ini = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *status = NULL;
  g_autofree char *connected_at = NULL;
  g_autofree char *checked_at = NULL;
  GStatBuf st;
  const char *id;
  guint n_before;

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  n_before = g_list_model_get_n_items (G_LIST_MODEL (fixture->store));
  fixture->items_added = 0;

  account = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Acme Trading Ltd", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  id = hub_account_get_id (account);
  g_assert_true (g_uuid_string_is_valid (id));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, n_before + 1);
  g_assert_cmpuint (fixture->items_added, ==, 1);
  g_assert_true (hub_account_store_lookup (fixture->store, id) == account);
  g_assert_true (hub_account_store_find_identity (fixture->store, "unleashed",
                                                  "Acme Trading Ltd (NZD)") == account);
  g_assert_cmpstr (hub_account_get_label (account), ==, "Acme Trading Ltd (NZD)");
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_nonnull (hub_account_get_connected_at (account));
  g_assert_true (g_date_time_equal (hub_account_get_connected_at (account),
                                    hub_account_get_checked_at (account)));
  g_assert_cmpstr (g_hash_table_lookup (hub_account_get_values (account), "api_id"), ==,
                   UNLEASHED_ID);
  g_assert_false (g_hash_table_contains (hub_account_get_values (account), "api_key"));
  g_assert_cmpstr (g_hash_table_lookup (hub_account_get_details (account), "company"), ==,
                   "Acme Trading Ltd");

  /* The file: 0600 in a 0700 folder, no secret, the contract's keys. */
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  assert_file_has_no_secret (fixture->path);

  ini = read_ini (fixture->path);
  g_assert_true (g_key_file_has_group (ini, id));
  g_assert_cmpstr (g_key_file_get_string (ini, id, "provider", NULL), ==, "unleashed");
  status = g_key_file_get_string (ini, id, "status", NULL);
  g_assert_cmpstr (status, ==, "connected");
  g_assert_cmpstr (g_key_file_get_string (ini, id, "value.api_id", NULL), ==, UNLEASHED_ID);
  g_assert_false (g_key_file_has_key (ini, id, "value.api_key", NULL));
  g_assert_cmpstr (g_key_file_get_string (ini, id, "detail.currency", NULL), ==, "NZD");
  connected_at = g_key_file_get_string (ini, id, "connected_at", NULL);
  checked_at = g_key_file_get_string (ini, id, "checked_at", NULL);
  g_assert_nonnull (connected_at);
  g_assert_true (g_str_has_suffix (connected_at, "Z"));
  g_assert_cmpstr (connected_at, ==, checked_at);

  /* The secret: in the keyring, with the non-secret values merged back. */
  g_assert_cmpuint (count_items (fixture->secrets, id), ==, 1);
  values = lookup_values (fixture->store, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (values, "api_key"), ==, UNLEASHED_KEY_1);
  g_assert_cmpstr (g_hash_table_lookup (values, "api_id"), ==, UNLEASHED_ID);

  g_assert_cmpuint (fixture->problems->len, ==, 0);
  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_no_error (error);
}

static void
test_duplicate (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(HubAccount) first = NULL;
  g_autoptr(HubAccount) second = NULL;
  g_autoptr(HubAccount) other = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before;

  g_assert_true (load (fixture->store, &error));
  first = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Dup Co", "Mine", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hub_account_get_label (first), ==, "Mine");
  n_before = g_list_model_get_n_items (G_LIST_MODEL (fixture->store));
  g_assert_cmpuint (count_matching (fixture->secrets, NULL, "Dup Co"), ==, 0);

  second = add_unleashed (fixture->store, UNLEASHED_KEY_2, "Dup Co", NULL, &error);
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_DUPLICATE);
  g_assert_null (second);
  g_assert_nonnull (strstr (error->message, "Mine"));
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, n_before);
  g_assert_cmpuint (count_matching (fixture->secrets, NULL, "Dup Co"), ==, 0);

  /* Another company of the same provider is fine. */
  other = add_unleashed (fixture->store, UNLEASHED_KEY_2, "Other Co", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, n_before + 1);

  g_assert_true (remove_account (fixture->store, first, &error));
  g_assert_true (remove_account (fixture->store, other, &error));
  g_assert_no_error (error);
}

static void
test_relink_rename_remove (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(HubVerifyResult) verified = unleashed_result ("Relink Ltd");
  g_autoptr(GHashTable) values = unleashed_values (UNLEASHED_KEY_2);
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GKeyFile) ini = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_true (load (fixture->store, &error));
  account = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Relink Ltd", NULL, &error);
  g_assert_no_error (error);
  id = g_strdup (hub_account_get_id (account));
  hub_account_set_status (account, HUB_ACCOUNT_STATUS_REJECTED);

  /* Relink: same account id, same keyring item, new secret. */
  hub_account_store_update_async (fixture->store, account, values, verified, NULL,
                                  result_cb, &result);
  g_assert_true (hub_account_store_update_finish (fixture->store, wait_for_result (&result),
                                                  &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (hub_account_get_id (account), ==, id);
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_cmpuint (count_items (fixture->secrets, id), ==, 1);
  found = lookup_values (fixture->store, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_key"), ==, UNLEASHED_KEY_2);
  g_clear_pointer (&found, g_hash_table_unref);

  /* Rename: the label only. */
  hub_account_store_rename_async (fixture->store, account, "Warehouse \xe2\x80\x94 north", NULL,
                                  result_cb, &result);
  g_assert_true (hub_account_store_rename_finish (fixture->store, wait_for_result (&result),
                                                  &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (hub_account_get_label (account), ==, "Warehouse \xe2\x80\x94 north");
  g_assert_cmpstr (hub_account_get_identity (account), ==, "Relink Ltd (NZD)");
  ini = read_ini (fixture->path);
  g_assert_cmpstr (g_key_file_get_string (ini, id, "label", NULL), ==,
                   "Warehouse \xe2\x80\x94 north");
  g_clear_pointer (&ini, g_key_file_unref);
  found = lookup_values (fixture->store, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_key"), ==, UNLEASHED_KEY_2);
  assert_file_has_no_secret (fixture->path);

  /* Remove: the keyring item, then the metadata. */
  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_no_error (error);
  g_assert_null (hub_account_store_lookup (fixture->store, id));
  g_assert_cmpuint (fixture->items_removed, ==, 1);
  g_assert_cmpuint (count_items (fixture->secrets, id), ==, 0);
  ini = read_ini (fixture->path);
  g_assert_false (g_key_file_has_group (ini, id));
}

/* A rename saved while a relink waits for the keyring is not undone when the
 * relink's write lands: the relink applies to the account as it is then. */
static void
test_relink_during_rename (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(HubVerifyResult) verified = unleashed_result ("Relinked Ltd");
  g_autoptr(GHashTable) values = unleashed_values (UNLEASHED_KEY_2);
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GAsyncResult) updated = NULL;
  g_autoptr(GAsyncResult) renamed = NULL;
  g_autoptr(HubAccountStore) again = NULL;
  g_autoptr(GKeyFile) ini = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  HubAccount *loaded;

  g_assert_true (load (fixture->store, &error));
  account = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Before Ltd", "Old label", &error);
  g_assert_no_error (error);
  id = g_strdup (hub_account_get_id (account));

  /* The relink reads and writes the keyring before its save; the rename
   * only saves, so it lands first. */
  hub_account_store_update_async (fixture->store, account, values, verified, NULL,
                                  result_cb, &updated);
  hub_account_store_rename_async (fixture->store, account, "Renamed meanwhile", NULL,
                                  result_cb, &renamed);
  g_assert_true (hub_account_store_rename_finish (fixture->store, wait_for_result (&renamed),
                                                  &error));
  g_assert_no_error (error);
  /* The interleaving this test is about: the relink had not landed yet. */
  g_assert_null (updated);
  g_assert_cmpstr (hub_account_get_identity (account), ==, "Before Ltd (NZD)");
  g_assert_true (hub_account_store_update_finish (fixture->store, wait_for_result (&updated),
                                                  &error));
  g_assert_no_error (error);

  /* In memory: both changes. */
  g_assert_cmpstr (hub_account_get_label (account), ==, "Renamed meanwhile");
  g_assert_cmpstr (hub_account_get_identity (account), ==, "Relinked Ltd (NZD)");
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_cmpuint (hub_account_get_history (account)->len, >=, 1);
  g_assert_cmpint (((HubCheckRecord *) g_ptr_array_index (hub_account_get_history (account),
                                                          0))->kind, ==, HUB_CHECK_KIND_RELINK);
  found = lookup_values (fixture->store, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_key"), ==, UNLEASHED_KEY_2);
  g_clear_pointer (&found, g_hash_table_unref);
  g_assert_cmpuint (count_items (fixture->secrets, id), ==, 1);

  /* In the file, and so after a reload. */
  ini = read_ini (fixture->path);
  g_assert_cmpstr (g_key_file_get_string (ini, id, "label", NULL), ==, "Renamed meanwhile");
  assert_file_has_no_secret (fixture->path);
  again = new_store (fixture, fixture->path);
  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  loaded = hub_account_store_lookup (again, id);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (hub_account_get_label (loaded), ==, "Renamed meanwhile");
  g_assert_cmpstr (hub_account_get_identity (loaded), ==, "Relinked Ltd (NZD)");
  g_assert_cmpint (hub_account_get_status (loaded), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_cmpint (((HubCheckRecord *) g_ptr_array_index (hub_account_get_history (loaded),
                                                          0))->kind, ==, HUB_CHECK_KIND_RELINK);
  found = lookup_values (again, loaded, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_key"), ==, UNLEASHED_KEY_2);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_id"), ==, UNLEASHED_ID);

  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_no_error (error);
}

/* An account removed while a relink waits for the keyring stays removed, and
 * the secret the relink stored does not outlive it. */
static void
test_relink_during_remove (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(HubVerifyResult) verified = unleashed_result ("Gone Ltd");
  g_autoptr(GHashTable) values = unleashed_values (UNLEASHED_KEY_2);
  g_autoptr(GAsyncResult) updated = NULL;
  g_autoptr(GAsyncResult) removed = NULL;
  g_autoptr(GKeyFile) ini = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_assert_true (load (fixture->store, &error));
  account = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Gone Ltd", NULL, &error);
  g_assert_no_error (error);
  id = g_strdup (hub_account_get_id (account));

  hub_account_store_update_async (fixture->store, account, values, verified, NULL,
                                  result_cb, &updated);
  hub_account_store_remove_async (fixture->store, account, NULL, result_cb, &removed);
  g_assert_true (hub_account_store_remove_finish (fixture->store, wait_for_result (&removed),
                                                  &error));
  g_assert_no_error (error);
  g_assert_false (hub_account_store_update_finish (fixture->store, wait_for_result (&updated),
                                                   &error));
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (hub_account_store_lookup (fixture->store, id));
  g_assert_cmpuint (count_items (fixture->secrets, id), ==, 0);
  ini = read_ini (fixture->path);
  g_assert_false (g_key_file_has_group (ini, id));
}

static void
test_reload (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(HubAccountStore) again = NULL;
  g_autoptr(GError) error = NULL;
  HubAccount *loaded;

  g_assert_true (load (fixture->store, &error));
  account = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Reload \"Quoted\"\nLtd", NULL,
                           &error);
  g_assert_no_error (error);

  again = new_store (fixture, fixture->path);
  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  loaded = hub_account_store_lookup (again, hub_account_get_id (account));
  g_assert_nonnull (loaded);
  g_assert_cmpstr (hub_account_get_provider_id (loaded), ==, "unleashed");
  g_assert_cmpstr (hub_account_get_label (loaded), ==, hub_account_get_label (account));
  g_assert_cmpstr (hub_account_get_identity (loaded), ==, "Reload \"Quoted\"\nLtd (NZD)");
  g_assert_cmpint (hub_account_get_status (loaded), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_true (g_date_time_equal (hub_account_get_checked_at (loaded),
                                    hub_account_get_checked_at (account)));
  g_assert_true (g_date_time_equal (hub_account_get_connected_at (loaded),
                                    hub_account_get_connected_at (account)));
  g_assert_cmpstr (g_hash_table_lookup (hub_account_get_values (loaded), "api_id"), ==,
                   UNLEASHED_ID);
  g_assert_cmpstr (g_hash_table_lookup (hub_account_get_details (loaded), "currency"), ==,
                   "NZD");
  g_assert_false (hub_account_get_secret_missing (loaded));
  g_assert_false (hub_account_get_keyring_locked (loaded));
  g_assert_cmpuint (fixture->problems->len, ==, 0);

  g_assert_true (remove_account (again, loaded, &error));
  g_assert_no_error (error);
}

static void
check_corrupt (Fixture    *fixture,
               const char *contents,
               gssize      length)
{
  g_autofree char *dir = g_path_get_dirname (fixture->path);
  g_autofree char *orphan_id = g_uuid_string_random ();
  g_autofree char *backup = NULL;
  g_autofree char *backup_contents = NULL;
  g_autoptr(GKeyFile) ini = NULL;
  g_autoptr(GError) error = NULL;
  gsize backup_length = 0;
  HubAccount *account;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, contents, length, NULL));
  store_item (fixture->secrets, orphan_id, "unleashed",
              "Connect Hub: Unleashed \xe2\x80\x94 Corrupt Co (NZD)", "api_key", UNLEASHED_KEY_1);

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);

  /* Kept aside byte for byte, reported, and the list rebuilt from the keyring. */
  backup = find_backup (fixture->path);
  g_assert_nonnull (backup);
  g_assert_true (g_file_get_contents (backup, &backup_contents, &backup_length, NULL));
  g_assert_cmpmem (backup_contents, backup_length, contents,
                   length < 0 ? strlen (contents) : (gsize) length);
  g_assert_cmpuint (fixture->problems->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (fixture->problems, 0), backup));

  account = hub_account_store_lookup (fixture->store, orphan_id);
  g_assert_nonnull (account);
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_UNCHECKED);
  g_assert_cmpstr (hub_account_get_label (account), ==, "Corrupt Co (NZD)");
  g_assert_cmpstr (hub_account_get_provider_id (account), ==, "unleashed");

  ini = read_ini (fixture->path);
  g_assert_true (g_key_file_has_group (ini, orphan_id));
  g_assert_cmpstr (g_key_file_get_string (ini, orphan_id, "status", NULL), ==, "unchecked");
  assert_file_has_no_secret (fixture->path);

  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_no_error (error);
}

static void
test_corrupt_junk (Fixture       *fixture,
                   gconstpointer  data)
{
  check_corrupt (fixture, "this is [not an ini\n\x01\x02 = [[\n", -1);
}

static void
test_corrupt_nul (Fixture       *fixture,
                  gconstpointer  data)
{
  char zeros[512] = { 0 };

  check_corrupt (fixture, zeros, sizeof zeros);
}

static void
test_unwritable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *blocker = g_build_filename (fixture->dir, "blocker", NULL);
  g_autofree char *path = NULL;
  g_autoptr(HubAccountStore) store = NULL;
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  guint n_before;

  if (getuid () == 0)
    {
      /* chmod does not stop root: make the parent a regular file instead. */
      g_assert_true (g_file_set_contents (blocker, "not a folder", -1, NULL));
      path = g_build_filename (blocker, "connect-hub", "accounts.ini", NULL);
    }
  else
    {
      g_autofree char *parent = g_build_filename (blocker, "connect-hub", NULL);

      g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
      g_assert_cmpint (g_chmod (parent, 0500), ==, 0);
      path = g_build_filename (parent, "accounts.ini", NULL);
    }

  store = new_store (fixture, path);
  g_assert_true (load (store, &error));
  g_assert_no_error (error);
  n_before = g_list_model_get_n_items (G_LIST_MODEL (store));

  account = add_unleashed (store, UNLEASHED_KEY_1, "Unwritable Ltd", NULL, &error);
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE);
  g_assert_null (account);
  g_assert_null (strstr (error->message, UNLEASHED_KEY_1));
  /* Nothing added anywhere: the keyring item was rolled back. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n_before);
  g_assert_cmpuint (count_matching (fixture->secrets, NULL, "Unwritable Ltd"), ==, 0);
}

/* A relink whose metadata write fails puts the previous secret back. */
static void
test_relink_rollback (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autofree char *moved = g_strconcat (folder, ".moved", NULL);
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(HubVerifyResult) verified = unleashed_result ("Rollback Ltd");
  g_autoptr(GHashTable) values = unleashed_values (UNLEASHED_KEY_2);
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (load (fixture->store, &error));
  account = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Rollback Ltd", NULL, &error);
  g_assert_no_error (error);

  /* Swap the folder for a regular file: every write now fails, even as root. */
  g_assert_cmpint (g_rename (folder, moved), ==, 0);
  g_assert_true (g_file_set_contents (folder, "not a folder", -1, NULL));

  hub_account_store_update_async (fixture->store, account, values, verified, NULL,
                                  result_cb, &result);
  g_assert_false (hub_account_store_update_finish (fixture->store, wait_for_result (&result),
                                                   &error));
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE);
  g_clear_error (&error);

  found = lookup_values (fixture->store, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_key"), ==, UNLEASHED_KEY_1);
  g_assert_cmpuint (count_items (fixture->secrets, hub_account_get_id (account)), ==, 1);

  g_assert_cmpint (g_unlink (folder), ==, 0);
  g_assert_cmpint (g_rename (moved, folder), ==, 0);
  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_no_error (error);
}

/* A crash between the secret and the metadata leaves an orphan item: the
 * next start lists it again. */
static void
test_orphan_adopted (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *orphan_id = g_uuid_string_random ();
  g_autofree char *bare_id = g_uuid_string_random ();
  g_autoptr(GKeyFile) ini = NULL;
  g_autoptr(GError) error = NULL;
  HubAccount *account;
  HubAccount *bare;

  store_item (fixture->secrets, orphan_id, "humaans",
              "Connect Hub: Humaans \xe2\x80\x94 Example GmbH", "api_token", HUMAANS_ORPHAN);
  store_item (fixture->secrets, bare_id, "humaans", "something else", "api_token",
              HUMAANS_ORPHAN);

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);

  account = hub_account_store_lookup (fixture->store, orphan_id);
  g_assert_nonnull (account);
  g_assert_cmpstr (hub_account_get_provider_id (account), ==, "humaans");
  g_assert_cmpstr (hub_account_get_label (account), ==, "Example GmbH");
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_UNCHECKED);
  g_assert_false (hub_account_get_secret_missing (account));
  bare = hub_account_store_lookup (fixture->store, bare_id);
  g_assert_nonnull (bare);
  g_assert_cmpstr (hub_account_get_label (bare), ==, "Humaans");

  ini = read_ini (fixture->path);
  g_assert_true (g_key_file_has_group (ini, orphan_id));
  g_assert_true (g_key_file_has_group (ini, bare_id));
  assert_file_has_no_secret (fixture->path);

  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_true (remove_account (fixture->store, bare, &error));
  g_assert_no_error (error);
}

static void
test_secret_missing (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(HubAccountStore) again = NULL;
  g_autoptr(HubVerifyResult) verified = NULL;
  g_autoptr(GDateTime) checked_before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) ini = NULL;
  g_autofree char *id = NULL;
  HubAccount *loaded;

  g_assert_true (load (fixture->store, &error));
  account = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Missing Ltd", NULL, &error);
  g_assert_no_error (error);
  id = g_strdup (hub_account_get_id (account));

  {
    const char *argv[] = { "secret-tool", "clear", "account-id", id, NULL };

    run_quietly (argv);
  }

  again = new_store (fixture, fixture->path);
  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  loaded = hub_account_store_lookup (again, id);
  g_assert_nonnull (loaded);
  g_assert_true (hub_account_get_secret_missing (loaded));
  g_assert_cmpint (hub_account_get_status (loaded), ==, HUB_ACCOUNT_STATUS_CONNECTED);

  /* A check cannot run: the status and checked-at stay, the error is noted. */
  checked_before = g_date_time_ref (hub_account_get_checked_at (loaded));
  verified = check (again, loaded, &error);
  g_assert_null (verified);
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_SECRET_MISSING);
  g_assert_cmpint (hub_account_get_status (loaded), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_true (g_date_time_equal (hub_account_get_checked_at (loaded), checked_before));
  g_assert_cmpstr (hub_account_get_last_error (loaded), ==, error->message);
  g_clear_error (&error);

  /* Remove still removes the metadata. */
  g_assert_true (remove_account (again, loaded, &error));
  g_assert_no_error (error);
  g_assert_null (hub_account_store_lookup (again, id));
  ini = read_ini (fixture->path);
  g_assert_false (g_key_file_has_group (ini, id));
}

static HubAccount *
add_humaans (HubAccountStore  *store,
             GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(HubVerifyResult) verified = NULL;

  /* The identity of a previous link; the check must refresh it. */
  verified = hub_verify_result_new ("humaans", "Old Name", NULL, NULL, NULL);
  g_hash_table_insert (values, (gpointer) "api_token", (gpointer) HUB_EMU_HUMAANS_TOKEN);
  hub_account_store_add_async (store, provider ("humaans"), values, verified, "People",
                               NULL, result_cb, &result);
  return hub_account_store_add_finish (store, wait_for_result (&result), error);
}

static void
test_check (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(HubEmulator) emulator = hub_emulator_new ();
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(HubVerifyResult) verified = NULL;
  g_autoptr(GDateTime) old = g_date_time_new_from_unix_utc (1000000000);
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) ini = NULL;
  const char *id;

  hub_emulator_setenv (emulator);
  g_assert_true (load (fixture->store, &error));
  account = add_humaans (fixture->store, &error);
  g_assert_no_error (error);
  id = hub_account_get_id (account);

  /* Passing check: connected, identity refreshed, checked-at moves. */
  hub_account_set_checked_at (account, old);
  verified = check (fixture->store, account, &error);
  g_assert_no_error (error);
  g_assert_nonnull (verified);
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_nonnull (strstr (hub_account_get_identity (account), HUB_EMU_HUMAANS_COMPANY));
  g_assert_cmpstr (hub_account_get_label (account), ==, "People");
  g_assert_true (g_date_time_compare (hub_account_get_checked_at (account), old) > 0);
  g_assert_null (hub_account_get_last_error (account));
  g_clear_object (&verified);

  /* A server error: "error", never "rejected". */
  hub_emulator_set_fault (emulator, "humaans", HUB_EMU_FAULT_500);
  hub_account_set_checked_at (account, old);
  verified = check (fixture->store, account, &error);
  g_assert_null (verified);
  g_assert_error (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_UNREACHABLE);
  g_clear_error (&error);
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_ERROR);
  g_assert_nonnull (hub_account_get_last_error (account));
  g_assert_true (g_date_time_compare (hub_account_get_checked_at (account), old) > 0);

  /* Only the provider's refusal makes it "rejected". */
  hub_emulator_set_fault (emulator, "humaans", HUB_EMU_FAULT_401);
  verified = check (fixture->store, account, &error);
  g_assert_null (verified);
  g_assert_error (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_REJECTED);
  g_clear_error (&error);
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_REJECTED);

  ini = read_ini (fixture->path);
  g_assert_cmpstr (g_key_file_get_string (ini, id, "status", NULL), ==, "rejected");
  g_assert_nonnull (g_key_file_get_string (ini, id, "last_error", NULL));
  assert_file_has_no_secret (fixture->path);

  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_no_error (error);
}

/* Swaps the folder of @path for a regular file: every write now fails, even
 * as root. Returns where the folder went; restore_folder puts it back. */
static char *
block_folder (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  char *moved = g_strconcat (folder, ".moved", NULL);

  g_assert_cmpint (g_rename (folder, moved), ==, 0);
  g_assert_true (g_file_set_contents (folder, "not a folder", -1, NULL));
  return moved;
}

static void
restore_folder (const char *path,
                const char *moved)
{
  g_autofree char *folder = g_path_get_dirname (path);

  g_assert_cmpint (g_unlink (folder), ==, 0);
  g_assert_cmpint (g_rename (moved, folder), ==, 0);
}

static char *
read_text (const char *path)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  return contents;
}

/* A check whose result cannot be saved changes nothing: not the account in
 * memory, not the file; the error says the check ran and what to do. */
static void
test_check_unwritable (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(HubEmulator) emulator = hub_emulator_new ();
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(HubVerifyResult) verified = NULL;
  g_autoptr(GDateTime) old = g_date_time_new_from_unix_utc (1000000000);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *moved_file = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  guint n_problems;

  hub_emulator_setenv (emulator);
  g_assert_true (load (fixture->store, &error));
  account = add_humaans (fixture->store, &error);
  g_assert_no_error (error);
  hub_account_set_checked_at (account, old);
  before = read_text (fixture->path);

  moved = block_folder (fixture->path);
  moved_file = g_build_filename (moved, "accounts.ini", NULL);
  n_problems = fixture->problems->len;

  /* A passing check: it would refresh the identity and checked-at. */
  verified = check (fixture->store, account, &error);
  g_assert_null (verified);
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE);
  g_assert_true (g_str_has_prefix (error->message, "The check ran (connected), but the list of "
                                                   "accounts could not be saved ("));
  g_assert_nonnull (strstr (error->message, folder));
  g_assert_null (strstr (error->message, HUB_EMU_HUMAANS_TOKEN));
  g_clear_error (&error);
  g_assert_cmpstr (hub_account_get_identity (account), ==, "Old Name");
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_true (g_date_time_equal (hub_account_get_checked_at (account), old));
  g_assert_null (hub_account_get_last_error (account));

  /* A failing one would make it "rejected": it stays connected. */
  hub_emulator_set_fault (emulator, "humaans", HUB_EMU_FAULT_401);
  verified = check (fixture->store, account, &error);
  g_assert_null (verified);
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE);
  g_assert_true (g_str_has_prefix (error->message, "The check ran (rejected)"));
  g_clear_error (&error);
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_true (g_date_time_equal (hub_account_get_checked_at (account), old));
  g_assert_null (hub_account_get_last_error (account));

  /* Rename neither. */
  {
    g_autoptr(GAsyncResult) result = NULL;

    hub_account_store_rename_async (fixture->store, account, "Unsaved name", NULL,
                                    result_cb, &result);
    g_assert_false (hub_account_store_rename_finish (fixture->store, wait_for_result (&result),
                                                     &error));
    g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE);
    g_clear_error (&error);
    g_assert_cmpstr (hub_account_get_label (account), ==, "People");
  }

  /* The error was returned, not also raised as a problem. */
  g_assert_cmpuint (fixture->problems->len, ==, n_problems);
  after = read_text (moved_file);
  g_assert_cmpstr (after, ==, before);

  restore_folder (fixture->path, moved);
  hub_emulator_set_fault (emulator, "humaans", HUB_EMU_FAULT_NONE);
  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_no_error (error);
}

/* A remove that deleted the secret but could not save the list says so, and
 * the account shows the secret is missing. */
static void
test_remove_unwritable (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = NULL;
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autoptr(GKeyFile) ini = NULL;
  g_autofree char *id = NULL;

  g_assert_true (load (fixture->store, &error));
  account = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Half Removed Ltd", NULL, &error);
  g_assert_no_error (error);
  id = g_strdup (hub_account_get_id (account));
  g_assert_false (hub_account_get_secret_missing (account));

  moved = block_folder (fixture->path);
  g_assert_false (remove_account (fixture->store, account, &error));
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE);
  g_assert_true (g_str_has_prefix (error->message,
                                   "The Unleashed credential was deleted from the keyring, but "
                                   "the list of accounts could not be saved ("));
  g_assert_true (g_str_has_suffix (error->message, "writable, then remove the account again."));
  g_assert_nonnull (strstr (error->message, folder));
  g_clear_error (&error);

  g_assert_true (hub_account_store_lookup (fixture->store, id) == account);
  g_assert_true (hub_account_get_secret_missing (account));
  g_assert_cmpuint (count_items (fixture->secrets, id), ==, 0);

  /* Once the folder is writable, removing again finishes the job. */
  restore_folder (fixture->path, moved);
  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_no_error (error);
  g_assert_null (hub_account_store_lookup (fixture->store, id));
  ini = read_ini (fixture->path);
  g_assert_false (g_key_file_has_group (ini, id));
}


/* A secret field's value in accounts.ini (an older version, a hand edit) is
 * never loaded and is gone after the next save. */
static void
test_secret_value_scrubbed (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autofree char *contents = NULL;
  g_autoptr(HubAccount) added = NULL;
  g_autoptr(GKeyFile) ini = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *text = NULL;
  HubAccount *account;

  /* Sesame: api_token is secret, region is not. */
  text = g_strdup_printf ("[%s]\nprovider=sesame\nlabel=Hand edited\nstatus=connected\n"
                          "value.region=eu1\nvalue.api_token=%s\nsomething_else=%s\n",
                          id, SECRET_CANARY, SECRET_CANARY);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, text, -1, NULL));

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  account = hub_account_store_lookup (fixture->store, id);
  g_assert_nonnull (account);
  g_assert_cmpstr (g_hash_table_lookup (hub_account_get_values (account), "region"), ==, "eu1");
  g_assert_false (g_hash_table_contains (hub_account_get_values (account), "api_token"));

  added = add_unleashed (fixture->store, UNLEASHED_KEY_1, "Scrub Ltd", NULL, &error);
  g_assert_no_error (error);

  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, SECRET_CANARY));
  g_assert_null (strstr (contents, "api_token"));
  ini = read_ini (fixture->path);
  g_assert_cmpstr (g_key_file_get_string (ini, id, "value.region", NULL), ==, "eu1");
  g_assert_cmpstr (g_key_file_get_string (ini, hub_account_get_id (added), "value.api_id", NULL),
                   ==, UNLEASHED_ID);
  assert_file_has_no_secret (fixture->path);

  g_assert_true (remove_account (fixture->store, added, &error));
  g_assert_no_error (error);
}

/* An account of a provider this version does not know stays listed with an
 * error that says what to do; a check fails without making it "rejected". */
static void
test_unknown_provider (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *text = NULL;
  g_autoptr(HubVerifyResult) verified = NULL;
  g_autoptr(GKeyFile) ini = NULL;
  g_autoptr(GError) error = NULL;
  const char *expected = "Connect Hub does not know the provider \xe2\x80\x9c" "futurehr\xe2\x80\x9d. "
                         "Remove this account or update Connect Hub.";
  HubAccount *account;

  text = g_strdup_printf ("[%s]\nprovider=futurehr\nlabel=From the future\nstatus=connected\n"
                          "identity=Future Inc\n", id);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, text, -1, NULL));

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  account = hub_account_store_lookup (fixture->store, id);
  g_assert_nonnull (account);
  g_assert_cmpstr (hub_account_get_label (account), ==, "From the future");
  g_assert_cmpstr (hub_account_get_identity (account), ==, "Future Inc");
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_ERROR);
  g_assert_cmpstr (hub_account_get_last_error (account), ==, expected);

  verified = check (fixture->store, account, &error);
  g_assert_null (verified);
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_UNKNOWN_PROVIDER);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);
  g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_ERROR);

  /* Nothing of it is lost on disk. */
  ini = read_ini (fixture->path);
  g_assert_true (g_key_file_has_group (ini, id));
  g_assert_cmpstr (g_key_file_get_string (ini, id, "provider", NULL), ==, "futurehr");
  g_assert_cmpstr (g_key_file_get_string (ini, id, "label", NULL), ==, "From the future");
}

/* ---- history ------------------------------------------------------------ */

static HubCheckRecord *
history_at (HubAccount *account,
            guint       index)
{
  GPtrArray *history = hub_account_get_history (account);

  g_assert_nonnull (history);
  g_assert_cmpuint (index, <, history->len);
  return g_ptr_array_index (history, index);
}

static void
assert_newest_first (HubAccount *account)
{
  GPtrArray *history = hub_account_get_history (account);

  for (guint i = 1; i < history->len; i++)
    g_assert_cmpint (g_date_time_compare (history_at (account, i - 1)->time,
                                          history_at (account, i)->time), >=, 0);
}

static void
clear_secret (HubSecretStore *secrets,
              const char     *account_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hub_secret_store_clear_async (secrets, account_id, NULL, result_cb, &result);
  g_assert_true (hub_secret_store_clear_finish (secrets, wait_for_result (&result), &error));
  g_assert_no_error (error);
}

static void
test_history (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(HubEmulator) emulator = hub_emulator_new ();
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(HubVerifyResult) verified = NULL;
  g_autoptr(HubAccountStore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) ini = NULL;
  g_autofree char *line = NULL;
  g_autofree char *rejected_message = NULL;
  HubCheckRecord *record;
  HubAccount *loaded;
  guint notified = 0;

  hub_emulator_setenv (emulator);
  g_assert_true (load (fixture->store, &error));
  account = add_humaans (fixture->store, &error);
  g_assert_no_error (error);

  /* The link is the first entry. */
  g_assert_cmpuint (hub_account_get_history (account)->len, ==, 1);
  record = history_at (account, 0);
  g_assert_cmpint (record->kind, ==, HUB_CHECK_KIND_LINK);
  g_assert_cmpint (record->status, ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_cmpint (record->duration_ms, ==, -1);
  g_assert_null (record->message);

  g_signal_connect (account, "notify::history", G_CALLBACK (count_notify_cb), &notified);

  /* A good check, then a 401. */
  verified = check (fixture->store, account, &error);
  g_assert_no_error (error);
  g_assert_nonnull (verified);
  g_assert_cmpuint (notified, ==, 1);
  hub_emulator_set_fault (emulator, "humaans", HUB_EMU_FAULT_401);
  g_clear_object (&verified);
  verified = check (fixture->store, account, &error);
  g_assert_null (verified);
  g_assert_error (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_REJECTED);
  rejected_message = g_strdup (error->message);
  g_clear_error (&error);
  g_assert_cmpuint (notified, ==, 2);

  g_assert_cmpuint (hub_account_get_history (account)->len, ==, 3);
  assert_newest_first (account);
  record = history_at (account, 0);
  g_assert_cmpint (record->kind, ==, HUB_CHECK_KIND_CHECK);
  g_assert_cmpint (record->status, ==, HUB_ACCOUNT_STATUS_REJECTED);
  g_assert_cmpstr (record->message, ==, rejected_message);
  g_assert_cmpint (record->duration_ms, >=, 0);
  g_assert_cmpint (record->duration_ms, <, 15000);
  g_assert_true (g_date_time_equal (record->time, hub_account_get_checked_at (account)));
  record = history_at (account, 1);
  g_assert_cmpint (record->kind, ==, HUB_CHECK_KIND_CHECK);
  g_assert_cmpint (record->status, ==, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_null (record->message);
  g_assert_cmpint (record->duration_ms, >=, 0);
  g_assert_cmpint (history_at (account, 2)->kind, ==, HUB_CHECK_KIND_LINK);

  /* One line in the file, without a secret. */
  ini = read_ini (fixture->path);
  line = g_key_file_get_string (ini, hub_account_get_id (account), "history", NULL);
  g_assert_nonnull (line);
  g_test_message ("history=%s", line);
  g_assert_nonnull (strstr (line, "|check|rejected|"));
  g_assert_nonnull (strstr (line, "|check|connected|"));
  g_assert_nonnull (strstr (line, "|link|connected||"));
  assert_file_has_no_secret (fixture->path);

  /* It survives a reload, entry for entry. */
  again = new_store (fixture, fixture->path);
  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  loaded = hub_account_store_lookup (again, hub_account_get_id (account));
  g_assert_nonnull (loaded);
  g_assert_cmpuint (hub_account_get_history (loaded)->len, ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      HubCheckRecord *a = history_at (account, i);
      HubCheckRecord *b = history_at (loaded, i);

      g_assert_true (g_date_time_equal (a->time, b->time));
      g_assert_cmpint (a->kind, ==, b->kind);
      g_assert_cmpint (a->status, ==, b->status);
      g_assert_cmpint (a->duration_ms, ==, b->duration_ms);
      g_assert_cmpstr (a->message, ==, b->message);
    }
  g_clear_object (&again);

  /* A keyring that cannot give the secret is no check: nothing recorded. */
  hub_emulator_set_fault (emulator, "humaans", HUB_EMU_FAULT_NONE);
  clear_secret (fixture->secrets, hub_account_get_id (account));
  g_clear_object (&verified);
  verified = check (fixture->store, account, &error);
  g_assert_null (verified);
  g_assert_error (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_SECRET_MISSING);
  g_clear_error (&error);
  g_assert_cmpuint (hub_account_get_history (account)->len, ==, 3);
  g_assert_cmpuint (notified, ==, 2);

  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_no_error (error);
}

static void
test_history_capped (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(HubEmulator) emulator = hub_emulator_new ();
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(HubAccountStore) again = NULL;
  g_autoptr(GError) error = NULL;
  HubAccount *loaded;

  hub_emulator_setenv (emulator);
  g_assert_true (load (fixture->store, &error));
  account = add_humaans (fixture->store, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(HubVerifyResult) verified = NULL;

      /* Alternate, so the order is visible: the last check (i = 11) fails. */
      hub_emulator_set_fault (emulator, "humaans",
                              i % 2 == 1 ? HUB_EMU_FAULT_500 : HUB_EMU_FAULT_NONE);
      verified = check (fixture->store, account, &error);
      if (i % 2 == 1)
        {
          g_assert_error (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_UNREACHABLE);
          g_clear_error (&error);
        }
      else
        {
          g_assert_no_error (error);
        }
    }

  g_assert_cmpuint (hub_account_get_history (account)->len, ==, HUB_ACCOUNT_HISTORY_MAX);
  assert_newest_first (account);
  for (guint i = 0; i < HUB_ACCOUNT_HISTORY_MAX; i++)
    {
      HubCheckRecord *record = history_at (account, i);

      /* The link and the two oldest checks fell off. */
      g_assert_cmpint (record->kind, ==, HUB_CHECK_KIND_CHECK);
      g_assert_cmpint (record->status, ==, i % 2 == 0 ? HUB_ACCOUNT_STATUS_ERROR
                                                       : HUB_ACCOUNT_STATUS_CONNECTED);
    }

  again = new_store (fixture, fixture->path);
  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  loaded = hub_account_store_lookup (again, hub_account_get_id (account));
  g_assert_nonnull (loaded);
  g_assert_cmpuint (hub_account_get_history (loaded)->len, ==, HUB_ACCOUNT_HISTORY_MAX);
  g_clear_object (&again);

  g_assert_true (remove_account (fixture->store, account, &error));
  g_assert_no_error (error);
}

static void
test_history_malformed (Fixture       *fixture,
                        gconstpointer  data)
{
  static const char * const bad[] = {
    "garbage",
    "2026-11-27T10:00:00Z|check|connected|12",                    /* four fields */
    "2026-11-27T10:00:00Z|check|connected|12||",                  /* six fields */
    "2026-13-45T10:00:00Z|check|connected|12|",                   /* bad time */
    "2026-11-27T10:00:00|check|connected|12|",                    /* no zone */
    "2026-11-27T10:00:00Z|probe|connected|12|",                   /* bad kind */
    "2026-11-27T10:00:00Z|check|happy|12|",                       /* bad status */
    "2026-11-27T10:00:00Z|check|error|-5|x",                      /* negative ms */
    "2026-11-27T10:00:00Z|check|error|12ms|x",                    /* not a number */
    "2026-11-27T10:00:00Z|check|error|12|a%00b",                  /* NUL */
    "2026-11-27T10:00:00Z|check|error|12|a%ZZ",                   /* broken escape */
    "2026-11-27T10:00:00Z|check|error|12|%FF%FE",                 /* not UTF-8 */
    "2026-11-27T10:00:00Z|check|connected|12|;garbage",           /* one bad of two */
  };
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autofree char *good_id = g_uuid_string_random ();
  g_autofree char *backup = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GKeyFile) ini = NULL;
  g_autoptr(GError) error = NULL;
  HubCheckRecord *record;
  HubAccount *account;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      char *id = g_uuid_string_random ();

      g_string_append_printf (text, "[%s]\nprovider=unleashed\nlabel=Bad %u\nstatus=connected\n"
                              "identity=Bad %u Ltd\nvalue.api_id=%s\nhistory=%s\n\n",
                              id, i, i, UNLEASHED_ID, bad[i]);
      g_ptr_array_add (ids, id);
    }
  /* A good one, whose message holds every character the format uses. */
  g_string_append_printf (text, "[%s]\nprovider=unleashed\nlabel=Good\nstatus=error\n"
                          "history=2026-11-27T10:05:00Z|check|error|312|a%%7Cb%%3Bc%%25 d%%0Ae;"
                          "2026-11-27T10:00:00+01:00|relink|connected||\n",
                          good_id);
  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (fixture->path, text->str, -1, NULL));

  g_assert_true (load (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->problems->len, ==, 0);
  backup = find_backup (fixture->path);
  g_assert_null (backup);

  /* Each account is there with all its data; only the history is gone. */
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *label = g_strdup_printf ("Bad %u", i);
      g_autofree char *identity = g_strdup_printf ("Bad %u Ltd", i);

      account = hub_account_store_lookup (fixture->store, g_ptr_array_index (ids, i));
      g_assert_nonnull (account);
      g_assert_cmpstr (hub_account_get_label (account), ==, label);
      g_assert_cmpstr (hub_account_get_identity (account), ==, identity);
      g_assert_cmpint (hub_account_get_status (account), ==, HUB_ACCOUNT_STATUS_CONNECTED);
      g_assert_cmpstr (g_hash_table_lookup (hub_account_get_values (account), "api_id"), ==,
                       UNLEASHED_ID);
      g_assert_cmpuint (hub_account_get_history (account)->len, ==, 0);
    }

  account = hub_account_store_lookup (fixture->store, good_id);
  g_assert_nonnull (account);
  g_assert_cmpuint (hub_account_get_history (account)->len, ==, 2);
  record = history_at (account, 0);
  g_assert_cmpint (record->kind, ==, HUB_CHECK_KIND_CHECK);
  g_assert_cmpint (record->status, ==, HUB_ACCOUNT_STATUS_ERROR);
  g_assert_cmpint (record->duration_ms, ==, 312);
  g_assert_cmpstr (record->message, ==, "a|b;c% d\ne");
  record = history_at (account, 1);
  g_assert_cmpint (record->kind, ==, HUB_CHECK_KIND_RELINK);
  g_assert_cmpint (record->duration_ms, ==, -1);
  g_assert_null (record->message);
  /* Held in UTC: 10:00 at +01:00 is 09:00Z. */
  g_assert_cmpint (g_date_time_get_hour (record->time), ==, 9);
  g_assert_cmpint (g_date_time_get_utc_offset (record->time), ==, 0);

  /* A save writes the good history back as it was read. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autofree char *line = NULL;

    hub_account_store_rename_async (fixture->store, account, "Still Good", NULL, result_cb,
                                    &result);
    g_assert_true (hub_account_store_rename_finish (fixture->store, wait_for_result (&result),
                                                    &error));
    g_assert_no_error (error);
    ini = read_ini (fixture->path);
    line = g_key_file_get_string (ini, good_id, "history", NULL);
    g_assert_cmpstr (line, ==, "2026-11-27T10:05:00Z|check|error|312|a%7Cb%3Bc%25 d%0Ae;"
                               "2026-11-27T09:00:00Z|relink|connected||");
    g_assert_cmpuint (hub_account_get_history (account)->len, ==, 2);
  }
}

/* Runs last: no test secret in any file of the temporary HOME. */
static void
test_no_secret_in_home (void)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  if (g_getenv ("HUB_TEST_KEYRING") == NULL)
    {
      g_test_skip ("not inside build-aux/run-headless.sh (HOME is not temporary)");
      return;
    }

  /* The empty-password test keyring is plain text by design: skip it. */
  g_ptr_array_add (argv, (gpointer) "grep");
  g_ptr_array_add (argv, (gpointer) "-rlaF");
  g_ptr_array_add (argv, (gpointer) "--exclude-dir=keyrings");
  for (guint i = 0; all_secrets[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (gpointer) "-e");
      g_ptr_array_add (argv, (gpointer) all_secrets[i]);
    }
  g_ptr_array_add (argv, (gpointer) g_get_home_dir ());
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/hub/account/status-strings", test_status_strings);
  g_test_add_func ("/hub/account/notify", test_account_notify);
  ADD ("/hub/account-store/add", test_add);
  ADD ("/hub/account-store/folder-made-private", test_folder_made_private);
  ADD ("/hub/account-store/add-cancelled-while-saving", test_add_cancelled_while_saving);
  ADD ("/hub/account-store/unreadable-not-overwritten", test_unreadable_not_overwritten);
  ADD ("/hub/account-store/duplicate", test_duplicate);
  ADD ("/hub/account-store/relink-rename-remove", test_relink_rename_remove);
  ADD ("/hub/account-store/relink-during-rename", test_relink_during_rename);
  ADD ("/hub/account-store/relink-during-remove", test_relink_during_remove);
  ADD ("/hub/account-store/reload", test_reload);
  ADD ("/hub/account-store/corrupt-junk", test_corrupt_junk);
  ADD ("/hub/account-store/corrupt-all-nul", test_corrupt_nul);
  ADD ("/hub/account-store/unwritable", test_unwritable);
  ADD ("/hub/account-store/relink-rollback", test_relink_rollback);
  ADD ("/hub/account-store/orphan-adopted", test_orphan_adopted);
  ADD ("/hub/account-store/secret-missing", test_secret_missing);
  ADD ("/hub/account-store/check", test_check);
  ADD ("/hub/account-store/check-unwritable", test_check_unwritable);
  ADD ("/hub/account-store/remove-unwritable", test_remove_unwritable);
  ADD ("/hub/account-store/secret-value-scrubbed", test_secret_value_scrubbed);
  ADD ("/hub/account-store/unknown-provider", test_unknown_provider);
  ADD ("/hub/account-store/history", test_history);
  ADD ("/hub/account-store/history-capped", test_history_capped);
  ADD ("/hub/account-store/history-malformed", test_history_malformed);
  g_test_add_func ("/hub/account-store/zz-no-secret-in-home", test_no_secret_in_home);

#undef ADD

  return g_test_run ();
}
