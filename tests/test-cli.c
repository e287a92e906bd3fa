/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command line, end to end: spawns the built connect-hub (CONNECT_HUB_BIN)
 * with field values on stdin, against the provider emulator running in this
 * process and a real gnome-keyring on a private bus:
 *   build-aux/run-headless.sh --keyring=unlocked -- tests/test-cli
 * The /hub/cli/keyring/ cases expect HUB_TEST_KEYRING=locked or none (run-headless.sh
 * exports it) and are skipped with an unlocked keyring. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "hub-account-store.h"
#include "hub-catalog.h"
#include "hub-cli.h"
#include "hub-emulator.h"
#include "hub-secret-store.h"

/* A child that runs longer than this fails the test. */
#define CHILD_MAX_SECONDS 20

/* The password run-headless.sh gives the locked keyring (a test value, not a secret). */
#define LOCKED_KEYRING_PASSWORD "connect-hub-test-pw"
#define LOGIN_COLLECTION        "/org/freedesktop/secrets/collection/login"
#define SECRET_BUS_NAME         "org.freedesktop.secrets"
#define SECRET_PATH             "/org/freedesktop/secrets"

typedef struct
{
  const char *id;
  const char *name;
  const char *input;        /* JSON of good field values */
  const char *identity[2];  /* substrings the identity must contain */
} TestProvider;

static const TestProvider test_providers[] = {
  { "leapsome", "Leapsome",
    "{\"secret\": \"" HUB_EMU_LEAPSOME_SECRET "\"}",
    { "leapsome-example.test", "42" } },
  { "unleashed", "Unleashed",
    "{\"api_id\": \"" HUB_EMU_UNLEASHED_API_ID "\", \"api_key\": \"" HUB_EMU_UNLEASHED_API_KEY "\"}",
    { HUB_EMU_UNLEASHED_COMPANY, HUB_EMU_UNLEASHED_CURRENCY } },
  { "sesame", "Sesame HR",
    "{\"api_token\": \"" HUB_EMU_SESAME_TOKEN "\", \"region\": \"" HUB_EMU_SESAME_REGION "\"}",
    { HUB_EMU_SESAME_COMPANY, NULL } },
  { "smartrecruiters", "SmartRecruiters",
    "{\"api_key\": \"" HUB_EMU_SMARTRECRUITERS_KEY "\"}",
    { HUB_EMU_SMARTRECRUITERS_COMPANY, HUB_EMU_SMARTRECRUITERS_EMAIL } },
  { "humaans", "Humaans",
    "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\"}",
    { HUB_EMU_HUMAANS_COMPANY, HUB_EMU_HUMAANS_EMAIL } },
};

/* Every test secret: none may appear in output, logs or files. */
static const char * const test_secrets[] = {
  HUB_EMU_LEAPSOME_SECRET,
  HUB_EMU_LEAPSOME_JWT,
  HUB_EMU_UNLEASHED_API_KEY,
  HUB_EMU_SESAME_TOKEN,
  HUB_EMU_SMARTRECRUITERS_KEY,
  HUB_EMU_HUMAANS_TOKEN,
  NULL
};

typedef struct
{
  HubEmulator *emulator;
  char        *tmpdir;
  char        *data_home;
  GHashTable  *env;        /* name → value for the child; value NULL = unset */
  gboolean     no_writes;  /* the child cannot write a file (RLIMIT_FSIZE, even as root) */
} Fixture;

typedef struct
{
  int   status;   /* exit status; -1 when killed by a signal */
  char *out;
  char *err;
} CliRun;

static void
cli_run_clear (CliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

/* ------------------------------------------------------------------------ */

static const char *
keyring_mode (void)
{
  const char *mode = g_getenv ("HUB_TEST_KEYRING");

  return mode != NULL && *mode != '\0' ? mode : "unlocked";
}

static gboolean
keyring_unlocked (void)
{
  return g_str_equal (keyring_mode (), "unlocked");
}

/* Cases that link accounts need the unlocked keyring. */
static gboolean
require_unlocked_keyring (void)
{
  if (keyring_unlocked ())
    return TRUE;

  g_test_skip ("needs an unlocked keyring (HUB_TEST_KEYRING is not 'unlocked')");
  return FALSE;
}

static void
fixture_setenv (Fixture    *f,
                const char *name,
                const char *value)
{
  g_hash_table_insert (f->env, g_strdup (name), g_strdup (value));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *dirs[] = { "data", "config", "cache" };
  const char *vars[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };

  f->emulator = hub_emulator_new ();
  f->tmpdir = g_dir_make_tmp ("connect-hub-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (f->tmpdir, dirs[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      fixture_setenv (f, vars[i], path);
    }
  f->data_home = g_build_filename (f->tmpdir, "data", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (test_providers); i++)
    {
      g_autofree char *upper = g_ascii_strup (test_providers[i].id, -1);
      g_autofree char *name = g_strconcat ("CONNECT_HUB_BASE_URL_", upper, NULL);

      fixture_setenv (f, name, hub_emulator_get_base_url (f->emulator, test_providers[i].id));
    }

  fixture_setenv (f, "CONNECT_HUB_TIMEOUT", "5");
  fixture_setenv (f, "LC_ALL", "C.UTF-8");
  fixture_setenv (f, "LANGUAGE", NULL);
  fixture_setenv (f, "G_MESSAGES_DEBUG", NULL);
  /* Any GLib warning in connect-hub is a bug: it would surround the one error line. */
  fixture_setenv (f, "G_DEBUG", "fatal-warnings");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->emulator, hub_emulator_free);
  g_clear_pointer (&f->env, g_hash_table_unref);

  /* Leave the files of a failed test for inspection. */
  if (!g_test_failed ())
    remove_tree (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->data_home, g_free);
}

/* ------------------------------------------------------------------------ */
/* Running the binary                                                        */

/* In the child, before exec: a write past 0 bytes fails with EFBIG (SIGXFSZ
 * ignored), so accounts.ini cannot be saved, even by root. */
static void
no_writes_child_setup (gpointer user_data)
{
  struct rlimit limit = { 0, 0 };

  signal (SIGXFSZ, SIG_IGN);
  setrlimit (RLIMIT_FSIZE, &limit);
}

static void
communicate_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Output as a string; a NUL in it (never expected) ends it. */
static char *
bytes_to_string (GBytes *bytes)
{
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;

  return data != NULL ? g_strndup (data, size) : g_strdup ("");
}

/* Runs connect-hub with @args, @input (may be NULL: empty stdin) of @input_length
 * bytes (-1: NUL-terminated) on stdin, while the emulator keeps answering on
 * this thread's main context. */
static void
run_cli_full (Fixture             *f,
              const char          *input,
              gssize               input_length,
              CliRun              *run,
              const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) stdout_bytes = NULL;
  g_autoptr(GBytes) stderr_bytes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *binary = g_getenv ("CONNECT_HUB_BIN");
  GHashTableIter iter;
  gpointer name, value;
  gboolean expired = FALSE;
  guint deadline;

  g_assert_nonnull (binary);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_hash_table_iter_init (&iter, f->env);
  while (g_hash_table_iter_next (&iter, &name, &value))
    {
      if (value != NULL)
        g_subprocess_launcher_setenv (launcher, name, value, TRUE);
      else
        g_subprocess_launcher_unsetenv (launcher, name);
    }

  if (f->no_writes)
    {
      g_subprocess_launcher_set_child_setup (launcher, no_writes_child_setup, NULL, NULL);
      /* dconf would fail to write its shared-memory file, with a critical */
      g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
    }

  g_ptr_array_add (argv, (gpointer) binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  child = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* A pipe, never a terminal: NULL input is an empty stdin. */
  if (input == NULL)
    stdin_bytes = g_bytes_new_static ("", 0);
  else
    stdin_bytes = g_bytes_new (input, input_length < 0 ? strlen (input) : (gsize) input_length);

  deadline = g_timeout_add_seconds (CHILD_MAX_SECONDS, deadline_cb, &expired);
  g_subprocess_communicate_async (child, stdin_bytes, NULL, communicate_cb, &result);
  while (result == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    {
      g_subprocess_force_exit (child);
      g_error ("connect-hub %s did not finish within %d s", args[0], CHILD_MAX_SECONDS);
    }
  g_source_remove (deadline);

  g_subprocess_communicate_finish (child, result, &stdout_bytes, &stderr_bytes, &error);
  g_assert_no_error (error);

  run->out = bytes_to_string (stdout_bytes);
  run->err = bytes_to_string (stderr_bytes);
  run->status = g_subprocess_get_if_exited (child) ? g_subprocess_get_exit_status (child) : -1;

  if (g_test_verbose ())
    g_test_message ("connect-hub %s → %d\nstdout: %s\nstderr: %s", args[0], run->status,
                    run->out, run->err);

  /* Whatever happened: no secret reaches the terminal. */
  for (guint i = 0; test_secrets[i] != NULL; i++)
    {
      g_assert_null (strstr (run->out, test_secrets[i]));
      g_assert_null (strstr (run->err, test_secrets[i]));
    }
}

#define run_cli(f, input, run, ...) \
  run_cli_full ((f), (input), -1, (run), (const char * const[]) { __VA_ARGS__, NULL })

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    if (*p == '\n')
      n++;

  return n;
}

/* A failure: exactly one line on stderr, "connect-hub: <message>". */
static void
assert_one_error_line (const CliRun *run)
{
  g_assert_true (g_str_has_prefix (run->err, "connect-hub: "));
  g_assert_cmpuint (count_lines (run->err), ==, 1);
  g_assert_true (g_str_has_suffix (run->err, "\n"));
  g_assert_cmpuint (strlen (run->err), >, strlen ("connect-hub: \n") + 10);
  g_assert_null (strstr (run->err, "(null)"));
}

static void
assert_usage_error (const CliRun *run)
{
  g_assert_cmpint (run->status, ==, 2);
  assert_one_error_line (run);
  g_assert_nonnull (strstr (run->err, "Try 'connect-hub --help'."));
  g_assert_cmpstr (run->out, ==, "");
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* `accounts --json`: the object of @account_id, or NULL. */
static JsonObject *
find_account (JsonNode   *accounts,
              const char *account_id)
{
  JsonArray *array;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (accounts));
  array = json_node_get_array (accounts);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (object, "id"), account_id) == 0)
        return object;
    }
  return NULL;
}

static JsonNode *
list_accounts (Fixture *f)
{
  g_auto(CliRun) run = { 0 };

  run_cli (f, NULL, &run, "accounts", "--json");
  g_assert_cmpint (run.status, ==, 0);
  return parse_json (run.out);
}

static guint
count_accounts (Fixture *f)
{
  g_autoptr(JsonNode) accounts = list_accounts (f);

  return json_array_get_length (json_node_get_array (accounts));
}

static void
assert_iso8601 (JsonObject *object,
                const char *member)
{
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  const char *text;

  g_assert_true (json_object_has_member (object, member));
  text = json_object_get_string_member (object, member);
  g_assert_nonnull (text);
  when = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (when);
  /* UTC, and set by this test */
  g_assert_true (g_str_has_suffix (text, "Z"));
  now = g_date_time_new_now_utc ();
  g_assert_cmpint (g_date_time_difference (now, when), <, 10 * 60 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (g_date_time_difference (now, when), >, -60 * G_TIME_SPAN_SECOND);
}

/* Links @provider with good credentials; returns the new account id. */
static char *
link_account (Fixture            *f,
              const TestProvider *provider)
{
  g_auto(CliRun) run = { 0 };
  g_auto(GStrv) lines = NULL;

  run_cli (f, provider->input, &run, "link", provider->id);
  g_assert_cmpstr (run.err, ==, "");
  g_assert_cmpint (run.status, ==, 0);

  lines = g_strsplit (run.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);   /* two lines and the final "" */
  g_assert_true (g_uuid_string_is_valid (lines[0]));
  g_assert_true (g_str_has_prefix (lines[1], "Linked "));
  g_assert_nonnull (strstr (lines[1], provider->name));
  for (guint i = 0; i < G_N_ELEMENTS (provider->identity); i++)
    if (provider->identity[i] != NULL)
      g_assert_nonnull (strstr (lines[1], provider->identity[i]));

  return g_strdup (lines[0]);
}

/* What `secret-tool search --all account-id ID` prints (the test reads it,
 * nothing prints it). */
static char *
secret_tool_search (const char *account_id)
{
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                            &error, "secret-tool", "search", "--all", "account-id", account_id,
                            NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  return out;
}

/* No test secret in any file under @path. */
static void
assert_no_secret_in_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          assert_no_secret_in_files (child);
          continue;
        }
      if (!g_file_get_contents (child, &contents, &length, NULL))
        continue;
      for (guint i = 0; test_secrets[i] != NULL; i++)
        g_assert_null (g_strstr_len (contents, (gssize) length, test_secrets[i]));
    }
}

/* ------------------------------------------------------------------------ */
/* Cases                                                                     */

/* The one mapping from errors to exit codes (DESIGN.md), in process. */
static void
test_exit_codes (void)
{
  const struct
  {
    GQuark domain;
    int    code;
    int    exit_code;
  } cases[] = {
    { HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_INVALID_INPUT, 2 },
    { HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_CONFIG, 2 },
    { HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_REJECTED, 3 },
    { HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_PERMISSION, 3 },
    { HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_RATE_LIMITED, 4 },
    { HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_UNREACHABLE, 4 },
    { HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_TIMED_OUT, 4 },
    { HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_TLS, 4 },
    { HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_UNEXPECTED, 4 },
    { HUB_SECRET_ERROR, HUB_SECRET_ERROR_UNAVAILABLE, 5 },
    { HUB_SECRET_ERROR, HUB_SECRET_ERROR_LOCKED, 5 },
    { HUB_SECRET_ERROR, HUB_SECRET_ERROR_NO_COLLECTION, 5 },
    { HUB_SECRET_ERROR, HUB_SECRET_ERROR_NOT_FOUND, 1 },
    { HUB_SECRET_ERROR, HUB_SECRET_ERROR_INVALID, 1 },
    { HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_NOT_FOUND, 2 },
    { HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_STORAGE, 1 },
    { HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_SECRET_MISSING, 1 },
    { HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_UNKNOWN_PROVIDER, 1 },
    { HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_UNKNOWN_PROVIDER, 2 },
    { HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_VALUE, 2 },
    { HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_FILE, 1 },
    { G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, 2 },
    { G_IO_ERROR, G_IO_ERROR_CANCELLED, 1 },
    { G_IO_ERROR, G_IO_ERROR_FAILED, 1 },
  };

  g_assert_cmpint (hub_cli_exit_code_for_error (NULL), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (cases[i].domain, cases[i].code, "message");

      g_test_message ("%s %d", g_quark_to_string (cases[i].domain), cases[i].code);
      g_assert_cmpint (hub_cli_exit_code_for_error (error), ==, cases[i].exit_code);
    }
}

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) help = { 0 };
  g_auto(CliRun) help_word = { 0 };

  run_cli (f, NULL, &run, "--version");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "connect-hub 0.1.0\n");
  g_assert_cmpstr (run.err, ==, "");

  run_cli (f, NULL, &help, "--help");
  g_assert_cmpint (help.status, ==, 0);
  g_assert_nonnull (strstr (help.out, "connect-hub link PROVIDER"));
  g_assert_nonnull (strstr (help.out, "verify (ACCOUNT_ID | --all)"));
  g_assert_cmpstr (help.err, ==, "");

  run_cli (f, NULL, &help_word, "help");
  g_assert_cmpint (help_word.status, ==, 0);
  g_assert_cmpstr (help_word.out, ==, help.out);
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  const char * const *cases[] = {
    (const char * const[]) { "--bogus", NULL },
    (const char * const[]) { "frobnicate", NULL },
    (const char * const[]) { "providers", "--jsn", NULL },
    (const char * const[]) { "providers", "extra", NULL },
    (const char * const[]) { "accounts", "--all", NULL },
    (const char * const[]) { "link", NULL },
    (const char * const[]) { "link", "humaans", "--label", NULL },
    (const char * const[]) { "link", "humaans", "--label", "two\nlines", NULL },
    (const char * const[]) { "link", "humaans", "--label=\033[31mred", NULL },
    (const char * const[]) { "link", "humaans", "--json", NULL },
    (const char * const[]) { "link", "humaans", "unleashed", NULL },
    (const char * const[]) { "verify", NULL },
    (const char * const[]) { "verify", "--all", "some-id", NULL },
    (const char * const[]) { "verify", "--bogus", NULL },
    (const char * const[]) { "remove", NULL },
    (const char * const[]) { "remove", "--all", NULL },
    (const char * const[]) { "--version", "extra", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliRun) run = { 0 };

      run_cli_full (f, "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\"}", -1, &run, cases[i]);
      assert_usage_error (&run);
    }

  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);
}

static void
test_unknown_provider (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(CliRun) run = { 0 };

  run_cli (f, "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\"}", &run, "link", "nosuch");
  g_assert_cmpint (run.status, ==, 2);
  assert_one_error_line (&run);
  g_assert_nonnull (strstr (run.err, "nosuch"));
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);
}

static void
test_providers_json (Fixture       *f,
                     gconstpointer  data)
{
  /* DESIGN.md: provider ids, field ids — labels (secret?) */
  static const struct
  {
    const char *id;
    const char *name;
    const char *fields[2][2];
    gboolean    secret[2];
  } expected[] = {
    { "leapsome", "Leapsome", { { "secret", "Content API Secret" } }, { TRUE } },
    { "unleashed", "Unleashed", { { "api_id", "API Id" }, { "api_key", "API Key" } },
      { FALSE, TRUE } },
    { "sesame", "Sesame HR", { { "api_token", "API Token" }, { "region", "Region" } },
      { TRUE, FALSE } },
    { "smartrecruiters", "SmartRecruiters", { { "api_key", "API Key" } }, { TRUE } },
    { "humaans", "Humaans", { { "api_token", "API Token" } }, { TRUE } },
  };
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) text = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonArray *providers;

  run_cli (f, NULL, &run, "providers", "--json");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.err, ==, "");
  root = parse_json (run.out);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  providers = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (providers), ==, G_N_ELEMENTS (expected));

  for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
    {
      JsonObject *provider = NULL;
      JsonArray *fields;
      guint n_expected = expected[e].fields[1][0] != NULL ? 2 : 1;

      for (guint i = 0; i < json_array_get_length (providers); i++)
        {
          JsonObject *object = json_array_get_object_element (providers, i);

          if (g_strcmp0 (json_object_get_string_member (object, "id"), expected[e].id) == 0)
            provider = object;
        }
      g_assert_nonnull (provider);
      g_assert_cmpuint (json_object_get_size (provider), ==, 4);
      g_assert_cmpstr (json_object_get_string_member (provider, "name"), ==, expected[e].name);
      g_assert_nonnull (json_object_get_string_member (provider, "description"));
      g_assert_cmpstr (json_object_get_string_member (provider, "description"), !=, "");

      fields = json_object_get_array_member (provider, "fields");
      g_assert_nonnull (fields);
      g_assert_cmpuint (json_array_get_length (fields), ==, n_expected);
      for (guint i = 0; i < n_expected; i++)
        {
          JsonObject *field = json_array_get_object_element (fields, i);
          JsonNode *required = json_object_get_member (field, "required");

          g_assert_cmpuint (json_object_get_size (field), ==, 4);
          g_assert_cmpstr (json_object_get_string_member (field, "id"), ==,
                           expected[e].fields[i][0]);
          g_assert_cmpstr (json_object_get_string_member (field, "label"), ==,
                           expected[e].fields[i][1]);
          g_assert_cmpint (json_object_get_boolean_member (field, "secret"), ==,
                           expected[e].secret[i]);
          g_assert_nonnull (required);
          g_assert_cmpint (json_node_get_value_type (required), ==, G_TYPE_BOOLEAN);
        }
    }

  /* The text table: a header and one aligned row per provider. */
  run_cli (f, NULL, &text, "providers");
  g_assert_cmpint (text.status, ==, 0);
  g_assert_cmpuint (count_lines (text.out), ==, 1 + G_N_ELEMENTS (expected));
  {
    g_auto(GStrv) lines = g_strsplit (text.out, "\n", -1);
    const char *name_column = strstr (lines[0], "NAME");

    g_assert_true (g_str_has_prefix (lines[0], "ID "));
    g_assert_nonnull (name_column);
    for (guint e = 0; e < G_N_ELEMENTS (expected); e++)
      {
        gboolean found = FALSE;

        for (guint l = 1; lines[l] != NULL && lines[l][0] != '\0'; l++)
          {
            /* ASCII ids and names: the column starts at the same byte offset */
            if (g_str_has_prefix (lines[l], expected[e].id) &&
                g_str_has_prefix (lines[l] + (name_column - lines[0]), expected[e].name))
              found = TRUE;
          }
        g_assert_true (found);
      }
  }
}

/* link → accounts → verify → 401 → verify → remove, for one provider. */
static void
test_lifecycle (Fixture       *f,
                gconstpointer  data)
{
  const TestProvider *provider = data;
  g_autofree char *account_id = NULL;
  g_autofree char *found = NULL;
  g_autoptr(JsonNode) accounts = NULL;
  JsonObject *account;
  const char *keys[] = { "id", "provider", "label", "identity", "status", "connected_at",
                         "checked_at", "error" };

  if (!require_unlocked_keyring ())
    return;

  account_id = link_account (f, provider);
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, provider->id), >, 0);

  /* The keyring holds it where secret-tool finds it. */
  found = secret_tool_search (account_id);
  g_assert_nonnull (strstr (found, account_id));
  g_clear_pointer (&found, g_free);

  accounts = list_accounts (f);
  account = find_account (accounts, account_id);
  g_assert_nonnull (account);
  g_assert_cmpuint (json_object_get_size (account), ==, G_N_ELEMENTS (keys));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (account, keys[i]));
  g_assert_cmpstr (json_object_get_string_member (account, "provider"), ==, provider->id);
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "connected");
  g_assert_nonnull (strstr (json_object_get_string_member (account, "identity"),
                            provider->identity[0]));
  assert_iso8601 (account, "connected_at");
  assert_iso8601 (account, "checked_at");
  g_assert_true (json_object_get_null_member (account, "error"));
  g_clear_pointer (&accounts, json_node_unref);

  /* The text table: header, then the account with its status in the STATUS column. */
  {
    g_auto(CliRun) run = { 0 };
    g_auto(GStrv) lines = NULL;
    const char *status_column;

    run_cli (f, NULL, &run, "accounts");
    g_assert_cmpint (run.status, ==, 0);
    lines = g_strsplit (run.out, "\n", -1);
    g_assert_true (g_str_has_prefix (lines[0], "ID "));
    status_column = strstr (lines[0], "STATUS");
    g_assert_nonnull (status_column);
    g_assert_true (g_str_has_prefix (lines[1], account_id));
    g_assert_true (g_str_has_prefix (lines[1] + (status_column - lines[0]), "connected "));
  }

  /* verify: passes */
  {
    g_auto(CliRun) run = { 0 };
    g_autofree char *prefix = g_strconcat (account_id, "  connected  ", NULL);

    run_cli (f, NULL, &run, "verify", account_id);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_true (g_str_has_prefix (run.out, prefix));
    g_assert_cmpuint (count_lines (run.out), ==, 1);
  }

  /* The provider now refuses the credential: exit 3, status rejected. */
  hub_emulator_set_fault (f->emulator, provider->id, HUB_EMU_FAULT_401);
  {
    g_auto(CliRun) run = { 0 };
    g_autofree char *prefix = g_strconcat (account_id, "  rejected  ", NULL);

    run_cli (f, NULL, &run, "verify", account_id);
    g_assert_cmpint (run.status, ==, 3);
    assert_one_error_line (&run);
    g_assert_true (g_str_has_prefix (run.out, prefix));
  }
  accounts = list_accounts (f);
  account = find_account (accounts, account_id);
  g_assert_nonnull (account);
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "rejected");
  g_assert_nonnull (json_object_get_string_member (account, "error"));
  g_clear_pointer (&accounts, json_node_unref);
  hub_emulator_set_fault (f->emulator, provider->id, HUB_EMU_FAULT_NONE);

  assert_no_secret_in_files (f->tmpdir);

  /* remove: gone from the list and from the keyring */
  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, NULL, &run, "remove", account_id);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
  }
  accounts = list_accounts (f);
  g_assert_null (find_account (accounts, account_id));
  found = secret_tool_search (account_id);
  g_assert_null (strstr (found, account_id));

  /* and a second remove is an unknown id: exit 2 */
  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, NULL, &run, "remove", account_id);
    g_assert_cmpint (run.status, ==, 2);
    assert_one_error_line (&run);
  }
}

static void
test_invalid_input (Fixture       *f,
                    gconstpointer  data)
{
  static const struct
  {
    const char *provider;
    const char *input;
    gssize      length;
    const char *named;     /* the message names this, or NULL */
  } cases[] = {
    { "humaans", "", -1, NULL },
    { "humaans", "   \n", -1, NULL },
    { "humaans", "not json", -1, NULL },
    { "humaans", "[\"" HUB_EMU_HUMAANS_TOKEN "\"]", -1, NULL },
    { "humaans", "{}", -1, NULL },                                  /* required field missing */
    { "humaans", "{\"api_token\": 12345678901234567890}", -1, "api_token" },
    { "humaans", "{\"api_token\": null}", -1, "api_token" },
    { "humaans", "{\"api_token\": [\"" HUB_EMU_HUMAANS_TOKEN "\"]}", -1, "api_token" },
    { "humaans", "{\"bogus\": \"x\", \"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\"}", -1, "bogus" },
    { "leapsome", "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\"}", -1, "api_token" },
    { "humaans", "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\", \"api_token\": \"x\"}", -1,
      "api_token" },
    { "humaans", "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\"} trailing", -1, NULL },
    { "humaans", "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\",}", -1, NULL },
    { "humaans", "{'api_token': '" HUB_EMU_HUMAANS_TOKEN "'}", -1, NULL },
    { "humaans", "{/* c */ \"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\"}", -1, NULL },
    { "humaans", "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\\u0000x\"}", -1, NULL },
    { "humaans", "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\\nx\"}", -1, NULL },
    { "humaans", "{\"api_token\": \"Humaans\xff\xfeToken0123456789\"}", -1, NULL },
    { "humaans", "{\"api_token\": \"Humaans\0Token0123456789\"}",
      sizeof ("{\"api_token\": \"Humaans\0Token0123456789\"}") - 1, NULL },
    { "humaans", "{\"api_token\": \"short\"}", -1, NULL },              /* fails the pattern */
    { "humaans", "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\\ud800\"}", -1, NULL },
    { "unleashed", "{\"api_id\": \"not-a-uuid\", \"api_key\": \"" HUB_EMU_UNLEASHED_API_KEY "\"}",
      -1, NULL },
    { "sesame", "{\"api_token\": \"" HUB_EMU_SESAME_TOKEN "\", \"region\": \"../evil\"}", -1, NULL },
  };
  g_autofree char *huge = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliRun) run = { 0 };

      run_cli_full (f, cases[i].input, cases[i].length, &run,
                    (const char * const[]) { "link", cases[i].provider, NULL });
      if (run.status != 2)
        g_test_message ("case %u: %s", i, run.err);
      g_assert_cmpint (run.status, ==, 2);
      assert_one_error_line (&run);
      g_assert_cmpstr (run.out, ==, "");
      if (cases[i].named != NULL)
        g_assert_nonnull (strstr (run.err, cases[i].named));
    }

  /* More than 64 KiB on stdin */
  {
    g_auto(CliRun) run = { 0 };
    gsize size = 70 * 1024;
    g_autofree char *padding = g_strnfill (size, ' ');

    huge = g_strconcat ("{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\"}", padding, NULL);
    run_cli (f, huge, &run, "link", "humaans");
    g_assert_cmpint (run.status, ==, 2);
    assert_one_error_line (&run);
  }

  /* Nothing was sent, nothing was written. */
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);
  assert_no_secret_in_files (f->tmpdir);
}

/* An unknown key is named only when it looks like a field id: a secret pasted
 * as the key is never echoed. */
static void
test_unknown_field_not_echoed (Fixture       *f,
                               gconstpointer  data)
{
  static const struct
  {
    const char *key;
    gboolean    echoed;
  } cases[] = {
    { HUB_EMU_HUMAANS_TOKEN, FALSE },                 /* the secret itself, pasted as the key */
    { "Bogus", FALSE },                               /* capital letter */
    { "9lives", FALSE },                              /* starts with a digit */
    { "api-token", FALSE },                           /* dash */
    { "a23456789012345678901234567890123", FALSE },   /* 33 characters */
    { "\\u0041pi", FALSE },                           /* escapes to "Api" */
    { "api token", FALSE },
    { "bogus", TRUE },
    { "a2345678901234567890123456789012", TRUE },     /* 32 characters */
    { "x", TRUE },
    { "api_token_2", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliRun) run = { 0 };
      g_autofree char *input = g_strdup_printf ("{\"%s\": \"x\", \"api_token\": \"%s\"}",
                                                cases[i].key, HUB_EMU_HUMAANS_TOKEN);
      g_autofree char *quoted = g_strdup_printf ("“%s”", cases[i].key);

      g_test_message ("key %u", i);
      run_cli (f, input, &run, "link", "humaans");
      g_assert_cmpint (run.status, ==, 2);
      assert_one_error_line (&run);
      g_assert_cmpstr (run.out, ==, "");
      /* Either way the message says which fields the provider takes. */
      g_assert_nonnull (strstr (run.err, "Humaans takes api_token."));
      if (cases[i].echoed)
        {
          g_assert_nonnull (strstr (run.err, quoted));
        }
      else
        {
          g_assert_nonnull (strstr (run.err, "Unknown field in standard input"));
          g_assert_null (strstr (run.err, "“"));
        }
    }

  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);
}

/* Server trouble: exit 4 and no account; a refused credential: exit 3, no account. */
static void
test_link_failures (Fixture       *f,
                    gconstpointer  data)
{
  static const struct
  {
    HubEmuFault fault;
    int         status;
  } cases[] = {
    { HUB_EMU_FAULT_500, 4 },
    { HUB_EMU_FAULT_401, 3 },
    { HUB_EMU_FAULT_403, 3 },
    { HUB_EMU_FAULT_429, 4 },
    { HUB_EMU_FAULT_MALFORMED_JSON, 4 },
    { HUB_EMU_FAULT_REDIRECT, 4 },
  };
  const TestProvider *humaans = &test_providers[4];

  if (!require_unlocked_keyring ())
    return;

  hub_emulator_set_retry_after (f->emulator, "30");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliRun) run = { 0 };

      hub_emulator_reset_counters (f->emulator);
      hub_emulator_set_fault (f->emulator, NULL, cases[i].fault);
      run_cli (f, humaans->input, &run, "link", "humaans");
      if (run.status != cases[i].status)
        g_test_message ("fault %s: %s", hub_emu_fault_to_string (cases[i].fault), run.err);
      g_assert_cmpint (run.status, ==, cases[i].status);
      assert_one_error_line (&run);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpuint (hub_emulator_get_hits (f->emulator, "humaans"), >, 0);
      g_assert_cmpuint (hub_emulator_get_redirect_hits (f->emulator), ==, 0);
    }

  hub_emulator_set_fault (f->emulator, NULL, HUB_EMU_FAULT_NONE);
  g_assert_cmpuint (count_accounts (f), ==, 0);
}

/* A base URL that is not loopback is refused before anything is sent. */
static void
test_link_bad_base_url (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(CliRun) run = { 0 };

  if (!require_unlocked_keyring ())
    return;

  fixture_setenv (f, "CONNECT_HUB_BASE_URL_HUMAANS", "http://192.0.2.1/humaans");
  run_cli (f, test_providers[4].input, &run, "link", "humaans");
  g_assert_cmpint (run.status, ==, 2);
  assert_one_error_line (&run);
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);
  g_assert_cmpuint (count_accounts (f), ==, 0);
}

static void
test_link_duplicate (Fixture       *f,
                     gconstpointer  data)
{
  const TestProvider *unleashed = &test_providers[1];
  g_autofree char *first = NULL;
  g_autofree char *expected_err = NULL;
  g_autoptr(JsonNode) accounts = NULL;
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) removed = { 0 };
  JsonObject *account;

  if (!require_unlocked_keyring ())
    return;

  first = link_account (f, unleashed);

  run_cli (f, unleashed->input, &run, "link", "unleashed", "--label", "Acme NZ");
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, first));
  g_assert_cmpint (run.out[strlen (first)], ==, '\n');
  expected_err = g_strdup_printf ("Already linked as %s: updated its credential.\n", first);
  g_assert_cmpstr (run.err, ==, expected_err);

  accounts = list_accounts (f);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (accounts)), ==, 1);
  account = find_account (accounts, first);
  g_assert_nonnull (account);
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "connected");
  g_assert_cmpstr (json_object_get_string_member (account, "label"), ==, "Acme NZ");

  run_cli (f, NULL, &removed, "remove", first);
  g_assert_cmpint (removed.status, ==, 0);
}

/* The keyring item deleted outside the app: verify says to relink (exit 1),
 * the account stays listed, and is never "rejected". */
static void
test_verify_secret_missing (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *account_id = NULL;
  g_autoptr(GSubprocess) clear = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) accounts = NULL;
  g_auto(CliRun) run = { 0 };
  g_auto(CliRun) removed = { 0 };
  JsonObject *account;

  if (!require_unlocked_keyring ())
    return;

  account_id = link_account (f, &test_providers[3]);
  clear = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            "secret-tool", "clear", "account-id", account_id, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (clear, NULL, &error));
  g_assert_no_error (error);
  hub_emulator_reset_counters (f->emulator);

  /* accounts shows it, its stored status kept, the condition in "error"
   * and in the text table's last column. */
  {
    const char *expected = "Secret missing from the keyring: link the account again "
                           "(connect-hub link smartrecruiters)";
    g_auto(CliRun) text = { 0 };
    g_autofree char *suffix = g_strconcat ("  ", expected, "\n", NULL);

    accounts = list_accounts (f);
    account = find_account (accounts, account_id);
    g_assert_nonnull (account);
    g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "connected");
    g_assert_cmpstr (json_object_get_string_member (account, "error"), ==, expected);
    g_clear_pointer (&accounts, json_node_unref);

    run_cli (f, NULL, &text, "accounts");
    g_assert_cmpint (text.status, ==, 0);
    g_assert_cmpuint (count_lines (text.out), ==, 2);
    g_assert_true (g_str_has_prefix (text.out, "ID "));
    g_assert_nonnull (strstr (text.out, account_id));
    g_assert_true (g_str_has_suffix (text.out, suffix));
  }

  run_cli (f, NULL, &run, "verify", account_id);
  g_assert_cmpint (run.status, ==, 1);
  assert_one_error_line (&run);
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);

  accounts = list_accounts (f);
  account = find_account (accounts, account_id);
  g_assert_nonnull (account);
  g_assert_cmpstr (json_object_get_string_member (account, "status"), !=, "rejected");

  run_cli (f, NULL, &removed, "remove", account_id);
  g_assert_cmpint (removed.status, ==, 0);
}

static const char * const bad_timeouts[] = {
  "0", "-1", "abc", "999999", "", "601", " 5", "5s", "1.5", "+5", "0x10",
};

/* An invalid CONNECT_HUB_TIMEOUT: exit 2, one line naming it, nothing sent. */
static void
assert_bad_timeout (const CliRun *run)
{
  g_assert_cmpint (run->status, ==, 2);
  assert_one_error_line (run);
  g_assert_nonnull (strstr (run->err, "CONNECT_HUB_TIMEOUT"));
  g_assert_cmpstr (run->out, ==, "");
}

/* CONNECT_HUB_TIMEOUT is a whole number of seconds, 1–600; anything else is
 * refused by link and verify before anything is sent. */
static void
test_bad_timeout (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *account_id = NULL;

  if (!require_unlocked_keyring ())
    return;

  account_id = link_account (f, &test_providers[4]);
  hub_emulator_reset_counters (f->emulator);

  for (guint i = 0; i < G_N_ELEMENTS (bad_timeouts); i++)
    {
      g_auto(CliRun) link = { 0 };
      g_auto(CliRun) verify = { 0 };
      g_auto(CliRun) verify_all = { 0 };

      g_test_message ("CONNECT_HUB_TIMEOUT=“%s”", bad_timeouts[i]);
      fixture_setenv (f, "CONNECT_HUB_TIMEOUT", bad_timeouts[i]);
      run_cli (f, test_providers[4].input, &link, "link", "humaans");
      assert_bad_timeout (&link);
      run_cli (f, NULL, &verify, "verify", account_id);
      assert_bad_timeout (&verify);
      run_cli (f, NULL, &verify_all, "verify", "--all");
      assert_bad_timeout (&verify_all);
    }
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);

  /* The edges of the range are accepted; unset means the default. */
  {
    const char *good[] = { "1", "600", NULL };

    for (guint i = 0; i < G_N_ELEMENTS (good); i++)
      {
        g_auto(CliRun) run = { 0 };

        fixture_setenv (f, "CONNECT_HUB_TIMEOUT", good[i]);
        run_cli (f, NULL, &run, "verify", account_id);
        g_assert_cmpint (run.status, ==, 0);
        g_assert_cmpstr (run.err, ==, "");
      }
  }
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, "humaans"), >, 0);

  {
    g_auto(CliRun) removed = { 0 };

    run_cli (f, NULL, &removed, "remove", account_id);
    g_assert_cmpint (removed.status, ==, 0);
  }
}

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* A keyring item of our schema without metadata: connect-hub adopts it as an
 * account. The only way to get a second account of one provider, because the
 * emulator answers every good credential with the same identity. */
static char *
store_orphan_item (const char *provider_id,
                   const char *field_id,
                   const char *secret)
{
  g_autoptr(HubSecretStore) store = hub_secret_store_new ();
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  char *account_id = g_uuid_string_random ();

  g_hash_table_insert (secrets, (gpointer) field_id, (gpointer) secret);
  hub_secret_store_store_async (store, account_id, provider_id, "Connect Hub: orphan", secrets,
                                NULL, result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (hub_secret_store_store_finish (store, result, &error));
  g_assert_no_error (error);

  return account_id;
}

/* The list of accounts cannot be written: verify reports no status it could
 * not save, prints the one line and exits 1; the stored account is unchanged. */
static void
test_verify_not_saved (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *account_id = NULL;
  g_autofree char *ini_path = NULL;
  g_autofree char *ini_before = NULL;
  g_autofree char *ini_after = NULL;
  g_autoptr(JsonNode) accounts = NULL;
  JsonObject *account;
  const char * const modes[][2] = { { "verify", NULL }, { "verify", "--all" } };

  if (!require_unlocked_keyring ())
    return;

  account_id = link_account (f, &test_providers[4]);
  ini_path = g_build_filename (f->data_home, "connect-hub", "accounts.ini", NULL);
  g_assert_true (g_file_get_contents (ini_path, &ini_before, NULL, NULL));

  /* The provider now refuses the credential: "rejected" must not be shown,
   * since it cannot be saved. */
  hub_emulator_set_fault (f->emulator, "humaans", HUB_EMU_FAULT_401);
  f->no_writes = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_auto(CliRun) run = { 0 };

      hub_emulator_reset_counters (f->emulator);
      run_cli_full (f, NULL, -1, &run,
                    (const char * const[]) { modes[i][0],
                                             modes[i][1] != NULL ? modes[i][1] : account_id,
                                             NULL });
      g_assert_cmpint (run.status, ==, 1);
      assert_one_error_line (&run);
      g_assert_nonnull (strstr (run.err, "could not be saved"));
      g_assert_cmpstr (run.out, ==, "");
      g_assert_cmpuint (hub_emulator_get_hits (f->emulator, "humaans"), >, 0);
    }
  f->no_writes = FALSE;
  hub_emulator_set_fault (f->emulator, "humaans", HUB_EMU_FAULT_NONE);

  g_assert_true (g_file_get_contents (ini_path, &ini_after, NULL, NULL));
  g_assert_cmpstr (ini_after, ==, ini_before);
  accounts = list_accounts (f);
  account = find_account (accounts, account_id);
  g_assert_nonnull (account);
  g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "connected");
  g_assert_true (json_object_get_null_member (account, "error"));

  {
    g_auto(CliRun) removed = { 0 };

    run_cli (f, NULL, &removed, "remove", account_id);
    g_assert_cmpint (removed.status, ==, 0);
  }
}

/* Problems found while loading (an adopted keyring item not saved, a damaged
 * list set aside) never add lines around a failure's one line, and reach
 * stderr when the command succeeds. */
static void
test_verify_load_problems (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (f->data_home, "connect-hub", NULL);
  g_autofree char *ini_path = g_build_filename (dir, "accounts.ini", NULL);
  g_autofree char *orphan_id = NULL;

  if (!require_unlocked_keyring ())
    return;

  /* Adopting the item cannot be saved, nor can its check: one line, exit 1. */
  orphan_id = store_orphan_item ("humaans", "api_token", HUB_EMU_HUMAANS_TOKEN);
  {
    g_auto(CliRun) run = { 0 };

    f->no_writes = TRUE;
    run_cli (f, NULL, &run, "verify", "--all");
    f->no_writes = FALSE;
    g_assert_cmpint (run.status, ==, 1);
    assert_one_error_line (&run);
    g_assert_nonnull (strstr (run.err, "could not be saved"));
    g_assert_cmpstr (run.out, ==, "");
  }
  {
    g_auto(CliRun) removed = { 0 };

    run_cli (f, NULL, &removed, "remove", orphan_id);
    g_assert_cmpint (removed.status, ==, 0);
  }

  /* A damaged list, set aside: verify --all succeeds and says so. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (ini_path, "[unterminated\n", -1, NULL));
  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, NULL, &run, "verify", "--all");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_true (g_str_has_prefix (run.err, "connect-hub: "));
    g_assert_nonnull (strstr (run.err, "accounts.ini.corrupt-"));
  }
}

/* verify --all: every account checked, the most severe failure wins. */
static void
test_verify_all (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *ids[G_N_ELEMENTS (test_providers)] = { NULL };

  if (!require_unlocked_keyring ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (test_providers); i++)
    ids[i] = link_account (f, &test_providers[i]);

  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, NULL, &run, "verify", "--all");
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.err, ==, "");
    g_assert_cmpuint (count_lines (run.out), ==, G_N_ELEMENTS (test_providers));
    for (guint i = 0; i < G_N_ELEMENTS (test_providers); i++)
      {
        g_autofree char *line = g_strconcat (ids[i], "  connected  ", NULL);

        g_assert_nonnull (strstr (run.out, line));
      }
  }

  /* 500 for one provider, 401 for another: 3 beats 4; one summary line. */
  hub_emulator_set_fault (f->emulator, "sesame", HUB_EMU_FAULT_500);
  hub_emulator_set_fault (f->emulator, "humaans", HUB_EMU_FAULT_401);
  {
    g_auto(CliRun) run = { 0 };
    g_autofree char *rejected = g_strconcat (ids[4], "  rejected  ", NULL);
    g_autofree char *error = g_strconcat (ids[2], "  error  ", NULL);
    g_autofree char *connected = g_strconcat (ids[0], "  connected  ", NULL);

    run_cli (f, NULL, &run, "verify", "--all");
    g_assert_cmpint (run.status, ==, 3);
    assert_one_error_line (&run);
    g_assert_cmpuint (count_lines (run.out), ==, G_N_ELEMENTS (test_providers));
    g_assert_nonnull (strstr (run.out, rejected));
    g_assert_nonnull (strstr (run.out, error));
    g_assert_nonnull (strstr (run.out, connected));
  }

  /* Only the 500 left: exit 4 */
  hub_emulator_set_fault (f->emulator, "humaans", HUB_EMU_FAULT_NONE);
  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, NULL, &run, "verify", "--all");
    g_assert_cmpint (run.status, ==, 4);
    assert_one_error_line (&run);
  }
  hub_emulator_set_fault (f->emulator, NULL, HUB_EMU_FAULT_NONE);

  for (guint i = 0; i < G_N_ELEMENTS (test_providers); i++)
    {
      g_auto(CliRun) run = { 0 };

      run_cli (f, NULL, &run, "remove", ids[i]);
      g_assert_cmpint (run.status, ==, 0);
    }
  g_assert_cmpuint (count_accounts (f), ==, 0);
}

typedef struct
{
  HubEmulator *emulator;
  gint64       first_hit;     /* monotonic time of the first request, or 0 */
  gint64       sample_after;  /* µs after the first request */
  gboolean     sampled;
  guint        humaans;       /* hits when sampled */
  guint        sesame;
} HitSampler;

static gboolean
sample_hits_cb (gpointer user_data)
{
  HitSampler *sampler = user_data;
  gint64 now = g_get_monotonic_time ();

  if (sampler->first_hit == 0)
    {
      if (hub_emulator_get_hits (sampler->emulator, NULL) > 0)
        sampler->first_hit = now;
      return G_SOURCE_CONTINUE;
    }

  if (now - sampler->first_hit < sampler->sample_after)
    return G_SOURCE_CONTINUE;

  sampler->humaans = hub_emulator_get_hits (sampler->emulator, "humaans");
  sampler->sesame = hub_emulator_get_hits (sampler->emulator, "sesame");
  sampler->sampled = TRUE;
  return G_SOURCE_REMOVE;
}

/* verify --all: one check at a time per provider (rate limits), providers in
 * parallel. Every provider stalls, so each check holds its one request until
 * the timeout; half a timeout in, the emulator has seen exactly one Humaans
 * request (of two accounts) and one Sesame request. */
static void
test_verify_all_per_provider (Fixture       *f,
                              gconstpointer  data)
{
  const guint timeout = 2;
  g_autofree char *humaans_id = NULL;
  g_autofree char *sesame_id = NULL;
  g_autofree char *orphan_id = NULL;
  g_autofree char *timeout_text = g_strdup_printf ("%u", timeout);
  g_autoptr(JsonNode) accounts = NULL;
  g_auto(CliRun) run = { 0 };
  HitSampler sampler = { 0 };
  JsonObject *orphan;
  guint poll;
  const char *ids[3];

  if (!require_unlocked_keyring ())
    return;

  humaans_id = link_account (f, &test_providers[4]);
  sesame_id = link_account (f, &test_providers[2]);
  orphan_id = store_orphan_item ("humaans", "api_token", HUB_EMU_HUMAANS_TOKEN);

  accounts = list_accounts (f);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (accounts)), ==, 3);
  orphan = find_account (accounts, orphan_id);
  g_assert_nonnull (orphan);
  g_assert_cmpstr (json_object_get_string_member (orphan, "provider"), ==, "humaans");

  fixture_setenv (f, "CONNECT_HUB_TIMEOUT", timeout_text);
  hub_emulator_reset_counters (f->emulator);
  hub_emulator_set_fault (f->emulator, NULL, HUB_EMU_FAULT_STALL);
  sampler.emulator = f->emulator;
  sampler.sample_after = timeout * G_USEC_PER_SEC / 2;
  poll = g_timeout_add (20, sample_hits_cb, &sampler);
  run_cli (f, NULL, &run, "verify", "--all");
  if (!sampler.sampled)
    g_source_remove (poll);
  hub_emulator_set_fault (f->emulator, NULL, HUB_EMU_FAULT_NONE);

  g_assert_true (sampler.sampled);
  g_assert_cmpuint (sampler.humaans, ==, 1);   /* not both Humaans accounts at once */
  g_assert_cmpuint (sampler.sesame, ==, 1);    /* Sesame did not wait for Humaans */
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, "humaans"), ==, 2);
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, "sesame"), ==, 1);

  g_assert_cmpint (run.status, ==, 4);
  assert_one_error_line (&run);
  g_assert_cmpuint (count_lines (run.out), ==, 3);
  ids[0] = humaans_id;
  ids[1] = sesame_id;
  ids[2] = orphan_id;
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *line = g_strconcat (ids[i], "  error  ", NULL);

      g_assert_nonnull (strstr (run.out, line));
    }

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_auto(CliRun) removed = { 0 };

      run_cli (f, NULL, &removed, "remove", ids[i]);
      g_assert_cmpint (removed.status, ==, 0);
    }
}

/* verify --all: once a provider answers 429, its other accounts are not
 * asked about in this run; they are reported as rate limited (exit 4), their
 * stored status unchanged. Other providers are checked as usual. */
static void
test_verify_all_rate_limited (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *humaans_id = NULL;
  g_autofree char *sesame_id = NULL;
  g_autofree char *orphans[2] = { NULL };
  g_autoptr(JsonNode) accounts = NULL;
  g_auto(CliRun) run = { 0 };
  g_auto(GStrv) lines = NULL;
  const char *humaans_ids[3];
  guint n_not_checked = 0;
  guint n_error = 0;

  if (!require_unlocked_keyring ())
    return;

  humaans_id = link_account (f, &test_providers[4]);
  sesame_id = link_account (f, &test_providers[2]);
  for (guint i = 0; i < G_N_ELEMENTS (orphans); i++)
    orphans[i] = store_orphan_item ("humaans", "api_token", HUB_EMU_HUMAANS_TOKEN);
  g_assert_cmpuint (count_accounts (f), ==, 4);
  humaans_ids[0] = humaans_id;
  humaans_ids[1] = orphans[0];
  humaans_ids[2] = orphans[1];

  hub_emulator_reset_counters (f->emulator);
  hub_emulator_set_retry_after (f->emulator, "600");
  hub_emulator_set_fault (f->emulator, "humaans", HUB_EMU_FAULT_429);
  run_cli (f, NULL, &run, "verify", "--all");
  hub_emulator_set_fault (f->emulator, NULL, HUB_EMU_FAULT_NONE);

  /* One request to Humaans for three accounts; Sesame still checked. */
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, "humaans"), ==, 1);
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, "sesame"), ==, 1);

  g_assert_cmpint (run.status, ==, 4);
  assert_one_error_line (&run);
  g_assert_cmpuint (count_lines (run.out), ==, 4);
  {
    g_autofree char *line = g_strconcat (sesame_id, "  connected  ", NULL);

    g_assert_nonnull (strstr (run.out, line));
  }
  lines = g_strsplit (run.out, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      if (strstr (lines[l], "  Not checked: ") != NULL)
        {
          n_not_checked++;
          g_assert_nonnull (strstr (lines[l], "Humaans"));
          g_assert_nonnull (strstr (lines[l], "10 minutes"));
        }
      else if (strstr (lines[l], "  error  ") != NULL)
        {
          n_error++;
        }
    }
  g_assert_cmpuint (n_not_checked, ==, 2);
  g_assert_cmpuint (n_error, ==, 1);

  /* Only the account that was asked about changed status. */
  accounts = list_accounts (f);
  n_error = 0;
  for (guint i = 0; i < G_N_ELEMENTS (humaans_ids); i++)
    {
      JsonObject *account = find_account (accounts, humaans_ids[i]);
      const char *status;

      g_assert_nonnull (account);
      status = json_object_get_string_member (account, "status");
      if (g_str_equal (status, "error"))
        n_error++;
      else
        g_assert_cmpstr (status, ==, i == 0 ? "connected" : "unchecked");
    }
  g_assert_cmpuint (n_error, ==, 1);

  {
    const char *ids[] = { humaans_id, sesame_id, orphans[0], orphans[1] };

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_auto(CliRun) removed = { 0 };

        run_cli (f, NULL, &removed, "remove", ids[i]);
        g_assert_cmpint (removed.status, ==, 0);
      }
  }
}

/* Exit 2 means bad input of this invocation, found before anything is sent.
 * A stored account that cannot be checked (a provider this version does not
 * know, stored values that no longer pass) is 1, and never hides a rejected
 * credential (3) in verify --all. */
static void
test_verify_exit_ranks (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *humaans_id = NULL;
  g_autofree char *sesame_id = NULL;
  g_autofree char *unknown_id = NULL;
  g_autofree char *ini_path = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *region_line = g_strconcat ("value.region=", HUB_EMU_SESAME_REGION, "\n", NULL);

  if (!require_unlocked_keyring ())
    return;

  humaans_id = link_account (f, &test_providers[4]);
  sesame_id = link_account (f, &test_providers[2]);
  unknown_id = store_orphan_item ("nosuchprovider", "api_token", HUB_EMU_HUMAANS_TOKEN);
  g_assert_cmpuint (count_accounts (f), ==, 3);

  /* The stored region of the Sesame account no longer passes validation. */
  ini_path = g_build_filename (f->data_home, "connect-hub", "accounts.ini", NULL);
  g_assert_true (g_file_get_contents (ini_path, &ini, NULL, NULL));
  g_assert_nonnull (strstr (ini, region_line));
  {
    g_auto(GStrv) parts = g_strsplit (ini, region_line, 2);
    g_autofree char *changed = g_strconcat (parts[0], "value.region=../evil\n", parts[1], NULL);

    g_assert_true (g_file_set_contents (ini_path, changed, -1, NULL));
  }

  hub_emulator_reset_counters (f->emulator);

  /* Alone, each stale account is exit 1, nothing sent. */
  {
    const char *ids[] = { unknown_id, sesame_id };

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_auto(CliRun) run = { 0 };

        run_cli (f, NULL, &run, "verify", ids[i]);
        g_assert_cmpint (run.status, ==, 1);
        assert_one_error_line (&run);
      }
    g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);
  }

  /* With a rejected credential among them, verify --all exits 3. */
  hub_emulator_set_fault (f->emulator, "humaans", HUB_EMU_FAULT_401);
  {
    g_auto(CliRun) run = { 0 };
    g_autofree char *unknown_line = g_strconcat (unknown_id, "  error  ", NULL);
    g_autofree char *rejected_line = g_strconcat (humaans_id, "  rejected  ", NULL);

    run_cli (f, NULL, &run, "verify", "--all");
    g_assert_cmpint (run.status, ==, 3);
    assert_one_error_line (&run);
    g_assert_nonnull (strstr (run.err, "3 accounts failed"));
    g_assert_nonnull (strstr (run.err, "Humaans"));
    g_assert_cmpuint (count_lines (run.out), ==, 3);
    g_assert_nonnull (strstr (run.out, unknown_line));
    g_assert_nonnull (strstr (run.out, "nosuchprovider"));
    g_assert_nonnull (strstr (run.out, rejected_line));
  }
  hub_emulator_set_fault (f->emulator, NULL, HUB_EMU_FAULT_NONE);

  /* Without it: the stale accounts make it 1, not 2. */
  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, NULL, &run, "verify", "--all");
    g_assert_cmpint (run.status, ==, 1);
    assert_one_error_line (&run);
  }

  /* A refused base-URL override is this invocation's input: exit 2, before
   * any provider is asked. */
  hub_emulator_reset_counters (f->emulator);
  fixture_setenv (f, "CONNECT_HUB_BASE_URL_SESAME", "http://192.0.2.1/sesame");
  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, NULL, &run, "verify", "--all");
    g_assert_cmpint (run.status, ==, 2);
    assert_one_error_line (&run);
    g_assert_nonnull (strstr (run.err, "CONNECT_HUB_BASE_URL_SESAME"));
    g_assert_cmpstr (run.out, ==, "");
  }
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);
  fixture_setenv (f, "CONNECT_HUB_BASE_URL_SESAME",
                  hub_emulator_get_base_url (f->emulator, "sesame"));

  {
    const char *ids[] = { humaans_id, sesame_id, unknown_id };

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_auto(CliRun) removed = { 0 };

        run_cli (f, NULL, &removed, "remove", ids[i]);
        g_assert_cmpint (removed.status, ==, 0);
      }
  }
}

/* With every debug message on, no secret in stdout, stderr or files. */
static void
test_debug_no_secrets (Fixture       *f,
                       gconstpointer  data)
{
  if (!require_unlocked_keyring ())
    return;

  fixture_setenv (f, "G_MESSAGES_DEBUG", "all");

  for (guint i = 0; i < G_N_ELEMENTS (test_providers); i++)
    {
      const TestProvider *provider = &test_providers[i];
      g_autofree char *account_id = NULL;
      g_auto(CliRun) link = { 0 };
      g_auto(CliRun) verify = { 0 };
      g_auto(CliRun) rejected = { 0 };
      g_auto(CliRun) accounts = { 0 };
      g_auto(CliRun) remove = { 0 };

      /* run_cli_full asserts that no test secret is in the output */
      run_cli (f, provider->input, &link, "link", provider->id);
      g_assert_cmpint (link.status, ==, 0);
      account_id = g_strndup (link.out, strcspn (link.out, "\n"));
      g_assert_true (g_uuid_string_is_valid (account_id));

      run_cli (f, NULL, &verify, "verify", account_id);
      g_assert_cmpint (verify.status, ==, 0);

      hub_emulator_set_fault (f->emulator, provider->id, HUB_EMU_FAULT_401);
      run_cli (f, NULL, &rejected, "verify", account_id);
      g_assert_cmpint (rejected.status, ==, 3);
      hub_emulator_set_fault (f->emulator, provider->id, HUB_EMU_FAULT_NONE);

      run_cli (f, NULL, &accounts, "accounts", "--json");
      g_assert_cmpint (accounts.status, ==, 0);

      assert_no_secret_in_files (f->tmpdir);

      run_cli (f, NULL, &remove, "remove", account_id);
      g_assert_cmpint (remove.status, ==, 0);
    }

  /* Invalid input with debug on: the refused value is not echoed either. */
  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, "{\"api_token\": \"" HUB_EMU_HUMAANS_TOKEN "\\n\"}", &run, "link", "humaans");
    g_assert_cmpint (run.status, ==, 2);
  }
}

/* ------------------------------------------------------------------------ */
/* Keyring faults: run-headless.sh --keyring=locked|none                     */

static gboolean
require_keyring_fault (void)
{
  if (!keyring_unlocked ())
    return TRUE;

  g_test_skip ("runs with HUB_TEST_KEYRING=locked or none (build-aux/run-headless.sh)");
  return FALSE;
}

static void
call_secret_service (GDBusConnection *bus,
                     const char      *interface,
                     const char      *method,
                     GVariant        *parameters,
                     GVariant       **reply)
{
  g_autoptr(GError) error = NULL;
  GVariant *result;

  result = g_dbus_connection_call_sync (bus, SECRET_BUS_NAME, SECRET_PATH, interface, method,
                                        parameters, NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL,
                                        &error);
  g_assert_no_error (error);
  if (reply != NULL)
    *reply = result;
  else
    g_variant_unref (result);
}

/* Unlocks the login collection with its password through gnome-keyring's
 * internal interface (no prompt), so the test can link an account, or locks it. */
static void
set_login_locked (gboolean locked)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  const char *objects[] = { LOGIN_COLLECTION, NULL };

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  if (locked)
    {
      call_secret_service (bus, "org.freedesktop.Secret.Service", "Lock",
                           g_variant_new ("(^ao)", objects), NULL);
    }
  else
    {
      g_autoptr(GVariant) reply = NULL;
      g_autofree char *session = NULL;

      call_secret_service (bus, "org.freedesktop.Secret.Service", "OpenSession",
                           g_variant_new ("(sv)", "plain", g_variant_new_string ("")), &reply);
      g_variant_get (reply, "(vo)", NULL, &session);
      call_secret_service (bus, "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                           "UnlockWithMasterPassword",
                           g_variant_new ("(o(o@ay@ays))", LOGIN_COLLECTION, session,
                                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                     "", 0, 1),
                                          g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE,
                                                                     LOCKED_KEYRING_PASSWORD,
                                                                     strlen (LOCKED_KEYRING_PASSWORD),
                                                                     1),
                                          "text/plain"),
                           NULL);
    }
}

static void
assert_keyring_exit (const CliRun *run)
{
  g_assert_cmpint (run->status, ==, 5);
  assert_one_error_line (run);
  g_assert_cmpstr (run->out, ==, "");
}

/* link: exit 5 before anything is sent, nothing stored. */
static void
test_keyring_link (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(CliRun) run = { 0 };

  if (!require_keyring_fault ())
    return;

  run_cli (f, test_providers[4].input, &run, "link", "humaans");
  assert_keyring_exit (&run);
  g_assert_nonnull (strstr (run.err, "keyring"));
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);
  assert_no_secret_in_files (f->tmpdir);
}

/* A refused base-URL override is bad input: exit 2 even though the keyring
 * is locked or missing, nothing sent. */
static void
test_keyring_link_bad_base_url (Fixture       *f,
                                gconstpointer  data)
{
  const char *urls[] = { "http://192.0.2.1/humaans", "ftp://127.0.0.1/humaans", "not a url" };

  if (!require_keyring_fault ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_auto(CliRun) run = { 0 };

      fixture_setenv (f, "CONNECT_HUB_BASE_URL_HUMAANS", urls[i]);
      run_cli (f, test_providers[4].input, &run, "link", "humaans");
      g_assert_cmpint (run.status, ==, 2);
      assert_one_error_line (&run);
      g_assert_nonnull (strstr (run.err, "CONNECT_HUB_BASE_URL_HUMAANS"));
      g_assert_cmpstr (run.out, ==, "");
    }

  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);
  assert_no_secret_in_files (f->tmpdir);
}

/* An invalid CONNECT_HUB_TIMEOUT is bad input before the keyring is asked. */
static void
test_keyring_bad_timeout (Fixture       *f,
                          gconstpointer  data)
{
  if (!require_keyring_fault ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (bad_timeouts); i++)
    {
      g_auto(CliRun) link = { 0 };
      g_auto(CliRun) verify_all = { 0 };

      fixture_setenv (f, "CONNECT_HUB_TIMEOUT", bad_timeouts[i]);
      run_cli (f, test_providers[4].input, &link, "link", "humaans");
      assert_bad_timeout (&link);
      run_cli (f, NULL, &verify_all, "verify", "--all");
      assert_bad_timeout (&verify_all);
    }
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);
}

/* verify and remove: exit 5 without prompting; accounts still lists. */
static void
test_keyring_verify (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *account_id = NULL;
  gboolean locked = g_str_equal (keyring_mode (), "locked");

  if (!require_keyring_fault ())
    return;

  if (locked)
    {
      /* An account linked while the keyring was open, then locked. */
      set_login_locked (FALSE);
      account_id = link_account (f, &test_providers[4]);
      set_login_locked (TRUE);
    }
  else
    {
      account_id = g_uuid_string_random ();
    }

  hub_emulator_reset_counters (f->emulator);

  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, NULL, &run, "verify", account_id);
    assert_keyring_exit (&run);
  }
  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, NULL, &run, "verify", "--all");
    assert_keyring_exit (&run);
  }
  {
    g_auto(CliRun) run = { 0 };

    run_cli (f, NULL, &run, "remove", account_id);
    assert_keyring_exit (&run);
  }
  g_assert_cmpuint (hub_emulator_get_hits (f->emulator, NULL), ==, 0);

  /* Listing needs no secret: it still works, and a locked keyring never
   * turns an account into "rejected". */
  {
    g_autoptr(JsonNode) accounts = list_accounts (f);
    JsonObject *account = find_account (accounts, account_id);

    if (locked)
      {
        g_auto(CliRun) text = { 0 };

        g_assert_nonnull (account);
        g_assert_cmpstr (json_object_get_string_member (account, "status"), ==, "connected");
        g_assert_cmpstr (json_object_get_string_member (account, "error"), ==,
                         "Keyring locked: unlock it, then try again");

        run_cli (f, NULL, &text, "accounts");
        g_assert_cmpint (text.status, ==, 0);
        g_assert_nonnull (strstr (text.out, account_id));
        g_assert_true (g_str_has_suffix (text.out,
                                         "  Keyring locked: unlock it, then try again\n"));
      }
    else
      {
        g_assert_null (account);
      }
  }

  if (locked)
    {
      g_autofree char *found = NULL;

      /* The remove above kept the secret. */
      found = secret_tool_search (account_id);
      g_assert_nonnull (strstr (found, account_id));

      set_login_locked (FALSE);
      {
        g_auto(CliRun) run = { 0 };

        run_cli (f, NULL, &run, "remove", account_id);
        g_assert_cmpint (run.status, ==, 0);
      }
      set_login_locked (TRUE);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub/cli/exit-codes", test_exit_codes);
  g_test_add ("/hub/cli/version", Fixture, NULL, fixture_set_up, test_version, fixture_tear_down);
  g_test_add ("/hub/cli/usage", Fixture, NULL, fixture_set_up, test_usage, fixture_tear_down);
  g_test_add ("/hub/cli/link/unknown-provider", Fixture, NULL, fixture_set_up,
              test_unknown_provider, fixture_tear_down);
  g_test_add ("/hub/cli/link/invalid-input", Fixture, NULL, fixture_set_up, test_invalid_input,
              fixture_tear_down);
  g_test_add ("/hub/cli/link/unknown-field-not-echoed", Fixture, NULL, fixture_set_up,
              test_unknown_field_not_echoed, fixture_tear_down);
  g_test_add ("/hub/cli/providers/json", Fixture, NULL, fixture_set_up, test_providers_json,
              fixture_tear_down);

  for (guint i = 0; i < G_N_ELEMENTS (test_providers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hub/cli/lifecycle/%s", test_providers[i].id);

      g_test_add (path, Fixture, &test_providers[i], fixture_set_up, test_lifecycle,
                  fixture_tear_down);
    }

  g_test_add ("/hub/cli/link/failures", Fixture, NULL, fixture_set_up, test_link_failures,
              fixture_tear_down);
  g_test_add ("/hub/cli/link/bad-base-url", Fixture, NULL, fixture_set_up,
              test_link_bad_base_url, fixture_tear_down);
  g_test_add ("/hub/cli/link/duplicate", Fixture, NULL, fixture_set_up, test_link_duplicate,
              fixture_tear_down);
  g_test_add ("/hub/cli/verify/all", Fixture, NULL, fixture_set_up, test_verify_all,
              fixture_tear_down);
  g_test_add ("/hub/cli/bad-timeout", Fixture, NULL, fixture_set_up, test_bad_timeout,
              fixture_tear_down);
  g_test_add ("/hub/cli/verify/not-saved", Fixture, NULL, fixture_set_up, test_verify_not_saved,
              fixture_tear_down);
  g_test_add ("/hub/cli/verify/load-problems", Fixture, NULL, fixture_set_up,
              test_verify_load_problems, fixture_tear_down);
  g_test_add ("/hub/cli/verify/secret-missing", Fixture, NULL, fixture_set_up,
              test_verify_secret_missing, fixture_tear_down);
  g_test_add ("/hub/cli/verify/per-provider", Fixture, NULL, fixture_set_up,
              test_verify_all_per_provider, fixture_tear_down);
  g_test_add ("/hub/cli/verify/rate-limited", Fixture, NULL, fixture_set_up,
              test_verify_all_rate_limited, fixture_tear_down);
  g_test_add ("/hub/cli/verify/exit-ranks", Fixture, NULL, fixture_set_up,
              test_verify_exit_ranks, fixture_tear_down);
  g_test_add ("/hub/cli/debug-no-secrets", Fixture, NULL, fixture_set_up, test_debug_no_secrets,
              fixture_tear_down);

  g_test_add ("/hub/cli/keyring/link", Fixture, NULL, fixture_set_up, test_keyring_link,
              fixture_tear_down);
  g_test_add ("/hub/cli/keyring/link-bad-base-url", Fixture, NULL, fixture_set_up,
              test_keyring_link_bad_base_url, fixture_tear_down);
  g_test_add ("/hub/cli/keyring/bad-timeout", Fixture, NULL, fixture_set_up,
              test_keyring_bad_timeout, fixture_tear_down);
  g_test_add ("/hub/cli/keyring/verify", Fixture, NULL, fixture_set_up, test_keyring_verify,
              fixture_tear_down);

  return g_test_run ();
}
