/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs against a real gnome-keyring on a private bus:
 *   build-aux/run-headless.sh --keyring=unlocked -- tests/test-secret-store */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <utime.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "hub-secret-store.h"

/* Made-up test secrets; none of them may ever appear outside the keyring. */
#define SECRET_QUOTES  "he said \"hi\" \\ back\\slash 'single' {json: [1,2]}"
#define SECRET_UNICODE "p\xc3\xa4ss-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x98\x80-\xe2\x80\x94\t\x01end"

static GAsyncResult *
wait_for_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  return *slot;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static gboolean
do_store (HubSecretStore  *store,
          const char      *account_id,
          const char      *provider_id,
          const char      *label,
          GHashTable      *secrets,
          GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_store_async (store, account_id, provider_id, label, secrets, NULL,
                                store_result_cb, &result);
  return hub_secret_store_store_finish (store, wait_for_result (&result), error);
}

static GHashTable *
do_lookup (HubSecretStore  *store,
           const char      *account_id,
           GCancellable    *cancellable,
           GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_lookup_async (store, account_id, cancellable, store_result_cb, &result);
  return hub_secret_store_lookup_finish (store, wait_for_result (&result), error);
}

static gboolean
do_clear (HubSecretStore  *store,
          const char      *account_id,
          GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_clear_async (store, account_id, NULL, store_result_cb, &result);
  return hub_secret_store_clear_finish (store, wait_for_result (&result), error);
}

static GPtrArray *
do_list (HubSecretStore  *store,
         GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_list_async (store, NULL, store_result_cb, &result);
  return hub_secret_store_list_finish (store, wait_for_result (&result), error);
}

static HubKeyringState
do_get_state (HubSecretStore  *store,
              GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hub_secret_store_get_state_async (store, NULL, store_result_cb, &result);
  return hub_secret_store_get_state_finish (store, wait_for_result (&result), error);
}

/* Runs secret-tool with @stdin_text (never in argv); returns stdout. */
static char *
run_tool (const char * const *argv,
                 const char         *stdin_text,
                 int                *exit_status)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text != NULL ? stdin_text : "", NULL,
                                 &out, NULL, &error);
  g_assert_no_error (error);
  if (exit_status != NULL)
    *exit_status = g_subprocess_get_exit_status (process);

  return out;
}

static GHashTable *
new_secrets (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static char *
unique_id (const char *prefix)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("%s%s", prefix, uuid);
}

static void
test_state_unlocked (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (do_get_state (store, &error), ==, HUB_KEYRING_STATE_UNLOCKED);
  g_assert_no_error (error);
}

static void
test_round_trip (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) secrets = new_secrets ();
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = g_uuid_string_random ();
  g_autofree char *provider_id = unique_id ("prov-");
  g_autofree char *out = NULL;
  g_autofree char *attr_account = NULL;
  g_autofree char *attr_provider = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  const char *argv[] = { "secret-tool", "search", "--all", "provider", provider_id, NULL };
  int status = -1;

  for (guint i = 0; big->len < 10 * 1024; i++)
    g_string_append_printf (big, "%c\"\xc3\xa9", 'a' + (i % 26));

  g_hash_table_insert (secrets, g_strdup ("quotes"), g_strdup (SECRET_QUOTES));
  g_hash_table_insert (secrets, g_strdup ("unicode"), g_strdup (SECRET_UNICODE));
  g_hash_table_insert (secrets, g_strdup ("big"), g_strdup (big->str));

  g_assert_true (do_store (store, account_id, provider_id,
                           "Connect Hub: Test \xe2\x80\x94 Round trip", secrets, &error));
  g_assert_no_error (error);

  found = do_lookup (store, account_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpuint (g_hash_table_size (found), ==, 3);
  g_assert_cmpstr (g_hash_table_lookup (found, "quotes"), ==, SECRET_QUOTES);
  g_assert_cmpstr (g_hash_table_lookup (found, "unicode"), ==, SECRET_UNICODE);
  g_assert_cmpstr (g_hash_table_lookup (found, "big"), ==, big->str);

  /* Visible to the desktop's own tools, with our attributes and label. */
  out = run_tool (argv, NULL, &status);
  g_assert_cmpint (status, ==, 0);
  attr_account = g_strdup_printf ("attribute.account-id = %s\n", account_id);
  attr_provider = g_strdup_printf ("attribute.provider = %s\n", provider_id);
  g_assert_nonnull (strstr (out, attr_account));
  g_assert_nonnull (strstr (out, attr_provider));
  g_assert_nonnull (strstr (out, "schema = io.github.connecthub.Account\n"));
  g_assert_nonnull (strstr (out, "label = Connect Hub: Test \xe2\x80\x94 Round trip\n"));
  g_free (g_steal_pointer (&out));

  g_assert_true (do_clear (store, account_id, &error));
  g_assert_no_error (error);

  out = run_tool (argv, NULL, &status);
  g_assert_null (strstr (out, attr_account));
}

static void
test_replace_in_place (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) first = new_secrets ();
  g_autoptr(GHashTable) second = new_secrets ();
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = g_uuid_string_random ();
  guint matches = 0;

  g_hash_table_insert (first, g_strdup ("api_key"), g_strdup ("first-made-up-key"));
  g_hash_table_insert (second, g_strdup ("api_key"), g_strdup ("second-made-up-key"));

  g_assert_true (do_store (store, account_id, "humaans", "Connect Hub: Humaans \xe2\x80\x94 A",
                           first, &error));
  g_assert_no_error (error);
  g_assert_true (do_store (store, account_id, "humaans", "Connect Hub: Humaans \xe2\x80\x94 B",
                           second, &error));
  g_assert_no_error (error);

  items = do_list (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      HubSecretItem *item = g_ptr_array_index (items, i);

      if (g_str_equal (item->account_id, account_id))
        {
          matches++;
          g_assert_cmpstr (item->provider_id, ==, "humaans");
          g_assert_cmpstr (item->label, ==, "Connect Hub: Humaans \xe2\x80\x94 B");
          g_assert_false (item->locked);
        }
    }
  g_assert_cmpuint (matches, ==, 1);

  found = do_lookup (store, account_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_key"), ==, "second-made-up-key");

  g_assert_true (do_clear (store, account_id, &error));
  g_assert_no_error (error);
}

static void
test_not_found (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = g_uuid_string_random ();

  found = do_lookup (store, account_id, NULL, &error);
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_NOT_FOUND);
  g_assert_null (found);
  g_clear_error (&error);

  g_assert_false (do_clear (store, account_id, &error));
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_NOT_FOUND);
}

static void
test_invalid_content (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = g_uuid_string_random ();
  g_autofree char *out = NULL;
  const char *argv[] = { "secret-tool", "store", "--label=not ours",
                         "xdg:schema", "io.github.connecthub.Account",
                         "account-id", account_id, "provider", "humaans", NULL };
  int status = -1;

  out = run_tool (argv, "plain text, not JSON", &status);
  g_assert_cmpint (status, ==, 0);

  found = do_lookup (store, account_id, NULL, &error);
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_INVALID);
  g_assert_null (found);
  g_clear_error (&error);

  g_assert_true (do_clear (store, account_id, &error));
  g_assert_no_error (error);
}

/* gnome-keyring keeps a keyring without a password as plain text and, when
 * it re-reads the file (it changed on disk), unescapes "\\" and "\n": the
 * stored JSON must survive that byte for byte. */
static void
test_plain_keyring_reload (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) secrets = new_secrets ();
  g_autoptr(GHashTable) other = new_secrets ();
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account_id = g_uuid_string_random ();
  g_autofree char *other_id = g_uuid_string_random ();
  g_autofree char *keyring = g_build_filename (g_get_user_data_dir (), "keyrings",
                                               "login.keyring", NULL);
  GStatBuf st;
  struct utimbuf times;

  if (g_strcmp0 (g_getenv ("HUB_TEST_KEYRING"), "unlocked") != 0)
    {
      g_test_skip ("needs run-headless.sh --keyring=unlocked (a plain-text keyring)");
      return;
    }

  g_hash_table_insert (secrets, g_strdup ("api_key"),
                       g_strdup ("back\\slash \\\\ two \"q\" new\nline tab\t /s\u00e9"));
  g_assert_true (do_store (store, account_id, "humaans", "Connect Hub: Reload", secrets, &error));
  g_assert_no_error (error);

  /* Make the daemon re-read its file before the next write. */
  g_assert_cmpint (g_stat (keyring, &st), ==, 0);
  times.actime = st.st_atime + 5;
  times.modtime = st.st_mtime + 5;
  g_assert_cmpint (g_utime (keyring, &times), ==, 0);
  g_hash_table_insert (other, g_strdup ("api_key"), g_strdup ("other-made-up"));
  g_assert_true (do_store (store, other_id, "humaans", "Connect Hub: Other", other, &error));
  g_assert_no_error (error);

  found = do_lookup (store, account_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_key"), ==,
                   g_hash_table_lookup (secrets, "api_key"));

  g_assert_true (do_clear (store, account_id, &error));
  g_assert_true (do_clear (store, other_id, &error));
  g_assert_no_error (error);
}

static void
test_cancelled (void)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  found = do_lookup (store, "00000000-0000-4000-8000-000000000000", cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (found);
}

static void
test_secrets_only_in_keyring (void)
{
  const char *home = g_get_home_dir ();
  g_autofree char *out = NULL;
  const char *argv[] = { "grep", "-rlaF", "-e", "he said", "-e", "first-made-up-key",
                         "-e", "second-made-up-key", "-e", "other-made-up", "--exclude-dir=keyrings", home, NULL };
  int status = -1;

  /* Only meaningful inside the wrapper's temporary HOME. */
  if (g_getenv ("HUB_TEST_KEYRING") == NULL)
    {
      g_test_skip ("not inside build-aux/run-headless.sh");
      return;
    }

  out = run_tool (argv, NULL, &status);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (status, ==, 1);
}

/* Inside Flatpak or a Snap, libsecret's first call asks the secret portal for
 * its version with a synchronous D-Bus call (25 s). A portal that takes its
 * name but never answers must not freeze the calling thread, and every call
 * still ends by the store's timeout. SNAP_NAME turns libsecret's probe on
 * here; it runs in a subprocess so nothing else sees it or the fake portal. */
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

typedef struct
{
  gint64 last;
  gint64 max_gap;
} Ticks;

static gboolean
tick_cb (gpointer user_data)
{
  Ticks *ticks = user_data;
  gint64 now = g_get_monotonic_time ();

  ticks->max_gap = MAX (ticks->max_gap, now - ticks->last);
  ticks->last = now;
  return G_SOURCE_CONTINUE;
}

static void
test_hung_portal (void)
{
  g_autoptr(HubSecretStore) store = NULL;
  g_autoptr(GDBusConnection) silent = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) secrets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  Ticks ticks = { 0, 0 };
  gint64 started;
  guint tick_id;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 15 * G_USEC_PER_SEC, 0);
      g_test_trap_assert_passed ();
      return;
    }

  g_setenv ("SNAP_NAME", "connect-hub-test", TRUE);
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
                                       g_variant_new ("(su)", "org.freedesktop.portal.Desktop", 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, 5000,
                                       NULL, &error);
  g_assert_no_error (error);

  store = hub_secret_store_new ();
  hub_secret_store_set_timeout (store, 2);
  ticks.last = g_get_monotonic_time ();
  tick_id = g_timeout_add (50, tick_cb, &ticks);

  started = g_get_monotonic_time ();
  found = do_lookup (store, "00000000-0000-4000-8000-00000000a11e", NULL, &error);
  g_assert_null (found);
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);
  g_clear_error (&error);

  /* Two at once share one question to the portal; both end. */
  secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (secrets, (gpointer) "api_token", (gpointer) "portal-made-up-token");
  hub_secret_store_list_async (store, NULL, store_result_cb, &result);
  g_assert_false (do_store (store, "00000000-0000-4000-8000-00000000a11e", "humaans",
                            "Connect Hub: test", secrets, &error));
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  items = hub_secret_store_list_finish (store, wait_for_result (&result), &error);
  g_assert_null (items);
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);

  g_source_remove (tick_id);
  g_test_message ("longest stall of the main loop: %" G_GINT64_FORMAT " ms",
                  ticks.max_gap / 1000);
  g_assert_cmpint (ticks.max_gap, <, G_USEC_PER_SEC / 2);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 8 * G_USEC_PER_SEC);
}

/* ---- the keyring service vanishing (own session: it kills the daemon) ---- */

static GDBusConnection *
session_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  return bus;
}

static gboolean
secrets_name_has_owner (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

/* The pid of the process that owns org.freedesktop.secrets on this session's
 * private bus: the gnome-keyring-daemon run-headless.sh started for us. */
static GPid
keyring_daemon_pid (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *comm_path = NULL;
  g_autofree char *comm = NULL;
  guint32 pid;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, 2000,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  g_assert_cmpuint (pid, >, 1);
  g_assert_cmpuint (pid, !=, (guint32) getpid ());

  /* Never kill anything but the keyring daemon. */
  comm_path = g_strdup_printf ("/proc/%u/comm", pid);
  g_assert_true (g_file_get_contents (comm_path, &comm, NULL, NULL));
  g_assert_true (g_str_has_prefix (comm, "gnome-keyring-d"));
  return (GPid) pid;
}

/* Starts gnome-keyring-daemon again, as run-headless.sh did (same keyring
 * files: this session's XDG_DATA_HOME), and unlocks the empty-password login
 * keyring. */
static void
restart_keyring_daemon (GDBusConnection *bus)
{
  const char * const argv[] = {
    "gnome-keyring-daemon", "--start", "--components=secrets", NULL
  };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  /* The daemon aborts on its own warnings under fatal-warnings. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);

  while (!secrets_name_has_owner (bus))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                       "org.freedesktop.Secret.Service", "Unlock",
                                       g_variant_new_parsed ("([objectpath '/org/freedesktop/secrets/collection/login'],)"),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
}

/* Runs @call and checks it failed with UNAVAILABLE within 2 s. */
#define ASSERT_UNAVAILABLE_FAST(what, call)                                     \
  G_STMT_START {                                                                \
    gint64 started_ = g_get_monotonic_time ();                                  \
    call;                                                                       \
    g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);    \
    g_assert_null (strstr (error->message, vanished_secret));                   \
    g_clear_error (&error);                                                     \
    g_test_message ("%s: %" G_GINT64_FORMAT " ms", what,                        \
                    (g_get_monotonic_time () - started_) / 1000);               \
    g_assert_cmpint (g_get_monotonic_time () - started_, <, 2 * G_USEC_PER_SEC); \
  } G_STMT_END

static const char vanished_secret[] = "MADE-UP-vanished-token-5e0c";

/* Issue 5: the keyring service goes away while the app runs (a crash, a
 * logout of the session's keyring). Every call, including one in flight,
 * must end with UNAVAILABLE, at once: no hang until the timer, no critical. */
static void
test_service_vanished (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  const char *account_id = "00000000-0000-4000-8000-0000000dead5";
  gint64 started;
  GPid pid;

  g_assert_cmpstr (g_getenv ("HUB_TEST_KEYRING"), ==, "unlocked");
  /* Far beyond the 2 s the calls may take: the timer must not be what ends them. */
  hub_secret_store_set_timeout (store, 20);

  g_hash_table_insert (secrets, (gpointer) "api_token", (gpointer) vanished_secret);
  g_assert_true (do_store (store, account_id, "humaans", "Connect Hub: vanishing", secrets,
                           &error));
  g_assert_no_error (error);
  found = do_lookup (store, account_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_token"), ==, vanished_secret);
  g_clear_pointer (&found, g_hash_table_unref);

  /* In flight: the lookup is started, then the daemon dies. */
  pid = keyring_daemon_pid (bus);
  started = g_get_monotonic_time ();
  hub_secret_store_lookup_async (store, account_id, NULL, store_result_cb, &result);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  found = hub_secret_store_lookup_finish (store, wait_for_result (&result), &error);
  g_assert_null (found);
  g_assert_error (error, HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  g_test_message ("in-flight lookup: %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - started) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
  g_clear_object (&result);

  /* Gone from the bus (the bus drops the name as the connection closes). */
  while (secrets_name_has_owner (bus))
    {
      g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
      g_usleep (20 * 1000);
    }

  /* Every call after it, on the same store (whatever it cached) and on a new one. */
  for (guint round = 0; round < 2; round++)
    {
      if (round == 1)
        {
          g_clear_object (&store);
          store = hub_secret_store_new ();
          hub_secret_store_set_timeout (store, 20);
        }
      ASSERT_UNAVAILABLE_FAST ("lookup",
                               found = do_lookup (store, account_id, NULL, &error);
                               g_assert_null (found));
      ASSERT_UNAVAILABLE_FAST ("store",
                               g_assert_false (do_store (store, account_id, "humaans",
                                                         "Connect Hub: vanishing", secrets,
                                                         &error)));
      ASSERT_UNAVAILABLE_FAST ("clear",
                               g_assert_false (do_clear (store, account_id, &error)));
      ASSERT_UNAVAILABLE_FAST ("list",
                               items = do_list (store, &error);
                               g_assert_null (items));

      /* The state says so too (a state, not an error). */
      started = g_get_monotonic_time ();
      g_assert_cmpint (do_get_state (store, &error), ==, HUB_KEYRING_STATE_UNAVAILABLE);
      g_assert_no_error (error);
      g_assert_cmpint (g_get_monotonic_time () - started, <, 2 * G_USEC_PER_SEC);
    }

  /* The service comes back (the user restarts it): the keyring works again
   * without restarting the app (libsecret 0.20.5 would keep using its
   * session with the dead daemon), and the item is still there. */
  restart_keyring_daemon (bus);
  found = do_lookup (store, account_id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (found, "api_token"), ==, vanished_secret);
  g_assert_true (do_clear (store, account_id, &error));
  g_assert_no_error (error);

  /* Ours: started by this test, ended by it. */
  g_assert_cmpint (kill (keyring_daemon_pid (bus), SIGTERM), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* It kills the session's keyring daemon: only in a session of its own
   * (tests/meson.build runs it under run-headless.sh with this set). */
  if (g_strcmp0 (g_getenv ("HUB_TEST_SERVICE_VANISHED"), "1") == 0)
    {
      g_test_add_func ("/hub/secret-store/service-vanished", test_service_vanished);
      return g_test_run ();
    }

  g_test_add_func ("/hub/secret-store/state/unlocked", test_state_unlocked);
  g_test_add_func ("/hub/secret-store/round-trip", test_round_trip);
  g_test_add_func ("/hub/secret-store/replace-in-place", test_replace_in_place);
  g_test_add_func ("/hub/secret-store/not-found", test_not_found);
  g_test_add_func ("/hub/secret-store/invalid-content", test_invalid_content);
  g_test_add_func ("/hub/secret-store/plain-keyring-reload", test_plain_keyring_reload);
  g_test_add_func ("/hub/secret-store/cancelled", test_cancelled);
  g_test_add_func ("/hub/secret-store/hung-portal", test_hung_portal);
  g_test_add_func ("/hub/secret-store/secrets-only-in-keyring", test_secrets_only_in_keyring);

  return g_test_run ();
}
