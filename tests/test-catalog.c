/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-catalog"

#include "config.h"

#include <string.h>

#include "hub-catalog.h"
#include "hub-provider.h"

/* The catalog contract of DESIGN.md ("Provider ids, field ids and identities"). */
typedef struct
{
  const char *id;
  const char *label;
  gboolean    secret;
} ExpectedField;

typedef struct
{
  const char    *id;
  const char    *name;
  HubAuthScheme  scheme;
  ExpectedField  fields[3];
} ExpectedProvider;

static const ExpectedProvider expected_providers[] = {
  { "humaans", "Humaans", HUB_AUTH_BEARER,
    { { "api_token", "API Token", TRUE } } },
  { "leapsome", "Leapsome", HUB_AUTH_TOKEN_EXCHANGE,
    { { "secret", "Content API Secret", TRUE } } },
  { "sesame", "Sesame HR", HUB_AUTH_BEARER,
    { { "api_token", "API Token", TRUE }, { "region", "Region", FALSE } } },
  { "smartrecruiters", "SmartRecruiters", HUB_AUTH_HEADER,
    { { "api_key", "API Key", TRUE } } },
  { "unleashed", "Unleashed", HUB_AUTH_HMAC_QUERY_SIGNATURE,
    { { "api_id", "API Id", FALSE }, { "api_key", "API Key", TRUE } } },
};

/* Each broken fixture and the key its error message must name. */
static const struct
{
  const char *file;
  const char *key;
} bad_files[] = {
  { "auth-extra-key.json", "auth.header" },
  { "auth-not-secret.json", "auth.secret_field" },
  { "auth-unknown-field.json", "auth.secret_field" },
  { "bad-regex.json", "fields[1].pattern" },
  { "base-url-not-https.json", "base_url" },
  { "base-url-secret-var.json", "base_url" },
  { "capture-unknown-key.json", "verify[0].captures[1].regex" },
  { "capture-unknown-type.json", "verify[0].captures[0].type" },
  { "docs-not-https.json", "docs" },
  { "duplicate-field.json", "fields[1].id" },
  { "empty-fields.json", "fields" },
  { "hmac-unknown-id-field.json", "auth.id_field" },
  { "id-mismatch.json", "id" },
  { "identity-optional-var.json", "identity" },
  { "identity-unknown-var.json", "identity" },
  { "max-length-string.json", "fields[0].max_length" },
  { "method-post.json", "verify[0].method" },
  { "missing-hint.json", "fields[0].hint" },
  { "missing-name.json", "name" },
  { "not-json.json", "(document)" },
  { "path-later-var.json", "verify[0].path" },
  { "path-optional-step-var.json", "verify[1].path" },
  { "path-undefined-var.json", "verify[1].path" },
  { "step-link-not-https.json", "steps[1].link" },
  { "unanchored-pattern.json", "fields[0].pattern" },
  { "unknown-key.json", "colour" },
  { "unknown-scheme.json", "auth.scheme" },
  { "unknown-transform.json", "verify[0].captures[0].transform" },
  { "unknown-warning.json", "warnings[0].kind" },
  { "wrong-type.json", "fields[0].secret" },
};

/* A small valid provider to test rules the built-in files do not exercise. */
static const char minimal_provider[] =
  "{\n"
  "  \"id\": \"minimal\", \"name\": \"Minimal\", \"description\": \"Test\",\n"
  "  \"docs\": \"https://example.com/docs\", \"rejected_hint\": \"Try again.\",\n"
  "  \"base_url\": \"https://example.com\", \"warnings\": [],\n"
  "  \"steps\": [ { \"text\": \"Do it.\" } ],\n"
  "  \"fields\": [\n"
  "    { \"id\": \"token\", \"label\": \"Token\", \"secret\": true, \"required\": true },\n"
  "    { \"id\": \"note\", \"label\": \"Note\", \"secret\": false, \"required\": false,\n"
  "      \"pattern\": \"^a+|b+$\", \"hint\": \"Only a or only b.\", \"max_length\": 5 }\n"
  "  ],\n"
  "  \"auth\": { \"scheme\": \"bearer\", \"secret_field\": \"token\" },\n"
  "  \"verify\": [ { \"name\": \"me\", \"method\": \"GET\", \"path\": \"/me\",\n"
  "    \"captures\": [ { \"var\": \"user\", \"path\": \"user.name\", \"type\": \"string\" },\n"
  "                    { \"var\": \"team\", \"path\": \"team\", \"type\": \"string\",\n"
  "                      \"optional\": true } ] } ],\n"
  "  \"identity\": \"{user} (team {team}) of (all)\"\n"
  "}\n";

static HubProvider *
builtin (const char *id)
{
  HubProvider *provider = hub_catalog_lookup (hub_catalog_get_default (), id);

  g_assert_nonnull (provider);
  return provider;
}

static HubProvider *
load_minimal (void)
{
  g_autoptr(GError) error = NULL;
  HubProvider *provider = hub_provider_new_from_data (minimal_provider, strlen (minimal_provider),
                                                      "minimal.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (provider);
  return provider;
}

static void
assert_catalog_matches_design (HubCatalog *catalog)
{
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (catalog)) == HUB_TYPE_PROVIDER);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (catalog)), ==,
                    G_N_ELEMENTS (expected_providers));

  /* The table above is sorted by display name, like the model. */
  for (guint i = 0; i < G_N_ELEMENTS (expected_providers); i++)
    {
      const ExpectedProvider *expected = &expected_providers[i];
      g_autoptr(HubProvider) provider = g_list_model_get_item (G_LIST_MODEL (catalog), i);
      GPtrArray *fields = hub_provider_get_fields (provider);
      guint n_fields = 0;

      g_assert_cmpstr (hub_provider_get_id (provider), ==, expected->id);
      g_assert_cmpstr (hub_provider_get_name (provider), ==, expected->name);
      g_assert_true (hub_catalog_lookup (catalog, expected->id) == provider);
      g_assert_cmpint (hub_provider_get_auth (provider)->scheme, ==, expected->scheme);
      g_assert_true (g_str_has_prefix (hub_provider_get_base_url (provider), "https://"));
      g_assert_true (g_str_has_prefix (hub_provider_get_docs_url (provider), "https://"));
      g_assert_nonnull (hub_provider_get_description (provider));
      g_assert_nonnull (hub_provider_get_rejected_hint (provider));
      g_assert_cmpuint (hub_provider_get_steps (provider)->len, >=, 3);
      g_assert_cmpuint (hub_provider_get_steps (provider)->len, <=, 5);
      g_assert_cmpuint (hub_provider_get_warnings (provider)->len, >=, 1);
      g_assert_cmpuint (hub_provider_get_verify_steps (provider)->len, >=, 1);

      while (n_fields < G_N_ELEMENTS (expected->fields) && expected->fields[n_fields].id != NULL)
        n_fields++;
      g_assert_cmpuint (fields->len, ==, n_fields);
      for (guint f = 0; f < n_fields; f++)
        {
          const HubField *field = g_ptr_array_index (fields, f);

          g_assert_cmpstr (field->id, ==, expected->fields[f].id);
          g_assert_cmpstr (field->label, ==, expected->fields[f].label);
          g_assert_cmpint (field->secret, ==, expected->fields[f].secret);
          g_assert_true (field->required);
          g_assert_true (hub_provider_get_field (provider, field->id) == field);
        }
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (catalog), G_N_ELEMENTS (expected_providers)));
  g_assert_null (hub_catalog_lookup (catalog, "nonexistent"));
}

static void
test_builtin (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HubCatalog) catalog = hub_catalog_new_builtin (&error);

  g_assert_no_error (error);
  g_assert_nonnull (catalog);
  assert_catalog_matches_design (catalog);

  /* The shared catalog is one object. */
  g_assert_true (hub_catalog_get_default () == hub_catalog_get_default ());
  assert_catalog_matches_design (hub_catalog_get_default ());
}

static void
test_from_dir (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "data", "providers", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HubCatalog) catalog = hub_catalog_new_from_dir (dir, &error);

  g_assert_no_error (error);
  assert_catalog_matches_design (catalog);
  g_assert_finalize_object (g_steal_pointer (&catalog));
}

static void
test_recipes (void)
{
  HubProvider *provider;
  const HubAuth *auth;
  HubVerifyStep *step;
  HubCapture *capture;
  GStrv scopes;

  provider = builtin ("leapsome");
  auth = hub_provider_get_auth (provider);
  g_assert_cmpstr (hub_provider_get_base_url (provider), ==, "https://api.leapsome.com/v1");
  g_assert_cmpstr (auth->secret_field, ==, "secret");
  g_assert_cmpstr (auth->token_path, ==, "/token");
  g_assert_cmpstr (auth->token_param, ==, "secret");
  g_assert_cmpstr (auth->token_capture, ==, "token");
  step = g_ptr_array_index (hub_provider_get_verify_steps (provider), 0);
  g_assert_cmpstr (step->path, ==, "/employees");
  g_assert_cmpstr (step->query, ==, "pageSize=1");
  capture = g_ptr_array_index (step->captures, 0);
  g_assert_cmpstr (capture->transform, ==, "email-domain");
  capture = g_ptr_array_index (step->captures, 1);
  g_assert_cmpint (capture->type, ==, HUB_CAPTURE_INTEGER);

  provider = builtin ("unleashed");
  auth = hub_provider_get_auth (provider);
  g_assert_cmpstr (auth->id_field, ==, "api_id");
  g_assert_cmpstr (auth->secret_field, ==, "api_key");
  g_assert_cmpstr (auth->client_type, ==, "connecthub/connecthub");
  g_assert_null (auth->header);
  step = g_ptr_array_index (hub_provider_get_verify_steps (provider), 0);
  g_assert_cmpstr (step->path, ==, "/Companies");
  g_assert_null (step->query);

  provider = builtin ("sesame");
  g_assert_cmpstr (hub_provider_get_base_url (provider), ==, "https://api-{region}.sesametime.com");
  g_assert_cmpstrv (hub_provider_get_field (provider, "region")->suggestions,
                    ((const char * const[]) { "eu1", "eu2", "eu3", "eu4", "eu5", NULL }));

  provider = builtin ("smartrecruiters");
  g_assert_cmpstr (hub_provider_get_auth (provider)->header, ==, "X-SmartToken");
  g_assert_cmpuint (hub_provider_get_verify_steps (provider)->len, ==, 2);

  provider = builtin ("humaans");
  step = g_ptr_array_index (hub_provider_get_verify_steps (provider), 0);
  g_assert_cmpstr (step->path, ==, "/token-info");
  g_assert_true (step->optional);
  step = g_ptr_array_index (hub_provider_get_verify_steps (provider), 2);
  g_assert_cmpstr (step->path, ==, "/companies/{companyId}");
  g_assert_false (step->optional);
  scopes = hub_provider_get_required_scopes (provider);
  g_assert_cmpstrv (scopes, ((const char * const[]) { "public:read", "private:read", NULL }));
  g_assert_null (hub_provider_get_required_scopes (builtin ("sesame")));

  g_assert_cmpstr (hub_warning_kind_to_string (HUB_WARNING_SHOWN_ONCE), ==, "shown-once");
  g_assert_cmpstr (hub_warning_kind_to_string (HUB_WARNING_PAID), ==, "paid");
}

static void
test_bad_file (gconstpointer data)
{
  guint i = GPOINTER_TO_UINT (data);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "providers-bad", bad_files[i].file,
                                                 NULL);
  g_autofree char *contents = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HubProvider) provider = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  provider = hub_provider_new_from_data (contents, length, path, &error);
  g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_FILE);
  g_assert_null (provider);

  /* "unleashed.json: fields[1].pattern: …" */
  prefix = g_strdup_printf ("%s: %s: ", bad_files[i].file, bad_files[i].key);
  if (!g_str_has_prefix (error->message, prefix))
    g_error ("“%s” does not start with “%s”", error->message, prefix);
}

static void
test_bad_dir (void)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "providers-bad", NULL);
  g_autoptr(GDir) gdir = g_dir_open (dir, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HubCatalog) catalog = NULL;
  const char *name;

  /* Every fixture on disk is in the table, so none goes untested. */
  g_assert_nonnull (gdir);
  while ((name = g_dir_read_name (gdir)) != NULL)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
        found = found || g_str_equal (bad_files[i].file, name);
      if (!found)
        g_error ("fixture %s has no entry in bad_files[]", name);
    }

  catalog = hub_catalog_new_from_dir (dir, &error);
  g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_FILE);
  g_assert_null (catalog);
  g_clear_error (&error);

  catalog = hub_catalog_new_from_dir ("/nonexistent/connect-hub-providers", &error);
  g_assert_nonnull (error);
  g_assert_null (catalog);
}

static void
test_minimal (void)
{
  g_autoptr(HubProvider) provider = load_minimal ();
  g_autoptr(GError) error = NULL;
  g_autoptr(HubProvider) renamed = NULL;

  g_assert_cmpuint (hub_provider_get_warnings (provider)->len, ==, 0);
  g_assert_null (hub_provider_get_required_scopes (provider));

  /* The id must match the file name, wherever the file is. */
  renamed = hub_provider_new_from_data (minimal_provider, strlen (minimal_provider),
                                        "/some/dir/other.json", &error);
  g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_FILE);
  g_assert_true (g_str_has_prefix (error->message, "other.json: id: "));
  g_assert_null (renamed);
  g_clear_error (&error);

  /* Without a file name there is nothing to compare. */
  renamed = hub_provider_new_from_data (minimal_provider, strlen (minimal_provider), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (renamed);
}

static void
assert_valid (HubProvider *provider,
              const char  *field_id,
              const char  *value)
{
  g_autofree char *message = NULL;
  const HubField *field = hub_provider_get_field (provider, field_id);

  g_assert_nonnull (field);
  if (!hub_field_validate (field, value, &message))
    g_error ("%s: “%s” refused: %s", field_id, value, message);
  g_assert_null (message);
}

/* Returns the message, so callers can check what it says. */
static char *
assert_invalid (HubProvider *provider,
                const char  *field_id,
                const char  *value)
{
  g_autofree char *message = NULL;
  const HubField *field = hub_provider_get_field (provider, field_id);

  g_assert_nonnull (field);
  if (hub_field_validate (field, value, &message))
    g_error ("%s: “%s” accepted", field_id, value);
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  /* Without a message pointer the answer is the same. */
  g_assert_false (hub_field_validate (field, value, NULL));
  return g_steal_pointer (&message);
}

static void
test_validate_patterns (void)
{
  HubProvider *unleashed = builtin ("unleashed");
  HubProvider *sesame = builtin ("sesame");
  HubProvider *humaans = builtin ("humaans");
  HubProvider *leapsome = builtin ("leapsome");
  g_autofree char *message = NULL;
  g_autofree char *long_token = g_strnfill (129, 'a');
  g_autofree char *max_token = g_strnfill (128, 'a');

  assert_valid (unleashed, "api_id", "0f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  assert_valid (unleashed, "api_id", "0F3A2B1C-4D5E-4F60-8A7B-9C0D1E2F3A4B");
  message = assert_invalid (unleashed, "api_id", "0f3a2b1c4d5e4f608a7b9c0d1e2f3a4b");
  g_assert_cmpstr (message, ==, hub_provider_get_field (unleashed, "api_id")->hint);
  g_clear_pointer (&message, g_free);
  g_free (assert_invalid (unleashed, "api_id", "0f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4"));
  g_free (assert_invalid (unleashed, "api_id", "0f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4bb"));
  g_free (assert_invalid (unleashed, "api_id", "zf3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b"));
  g_free (assert_invalid (unleashed, "api_id", "{0f3a2b1c-4d5e-4f60-8a7b-9c0d1e2f3a4b}"));
  assert_valid (unleashed, "api_key", "MADE-UP-TEST-KEY/NotReal+0123456789abcdefABCDEF==");
  g_free (assert_invalid (unleashed, "api_key", "two words"));

  assert_valid (sesame, "region", "eu1");
  assert_valid (sesame, "region", "us12");
  g_free (assert_invalid (sesame, "region", "EU1"));
  g_free (assert_invalid (sesame, "region", "eu"));
  g_free (assert_invalid (sesame, "region", "europe1"));
  g_free (assert_invalid (sesame, "region", "eu1 "));
  g_free (assert_invalid (sesame, "region", "eu-1"));
  assert_valid (sesame, "api_token", "sesame-test-token-0123456789abcdef");

  assert_valid (humaans, "api_token", "HumaansTestToken0123456789abcdef");
  assert_valid (humaans, "api_token", "abc_DEF-0123456789");
  assert_valid (humaans, "api_token", max_token);
  g_free (assert_invalid (humaans, "api_token", "short"));
  g_free (assert_invalid (humaans, "api_token", "HumaansTestToken0123456789abcde!"));
  message = assert_invalid (humaans, "api_token", long_token);
  g_assert_nonnull (strstr (message, "128"));
  g_clear_pointer (&message, g_free);

  assert_valid (leapsome, "secret", "LStestSecret0123456789");
  g_free (assert_invalid (leapsome, "secret", "1234567"));
  g_free (assert_invalid (leapsome, "secret", "has a space"));
  assert_valid (builtin ("smartrecruiters"), "api_key", "DCRA1-0123456789abcdef0123456789ab");
}

static void
test_validate_generic (void)
{
  HubProvider *unleashed = builtin ("unleashed");
  g_autoptr(HubProvider) minimal = load_minimal ();
  const HubField *api_key = hub_provider_get_field (unleashed, "api_key");
  g_autofree char *message = NULL;
  g_autofree char *too_long = g_strnfill (4097, 'x');
  g_autofree char *longest = g_strnfill (4096, 'x');

  /* Empty and whitespace-only values are missing; the message names the field. */
  message = assert_invalid (unleashed, "api_key", "");
  g_assert_nonnull (strstr (message, api_key->label));
  g_clear_pointer (&message, g_free);
  g_free (assert_invalid (unleashed, "api_key", NULL));
  g_free (assert_invalid (unleashed, "api_key", "   "));
  g_free (assert_invalid (unleashed, "api_key", " \t\n "));

  /* Control and invisible characters, even where the pattern would allow them. */
  g_free (assert_invalid (minimal, "token", "abc\tdef"));
  g_free (assert_invalid (minimal, "token", "abcdef\n"));
  g_free (assert_invalid (minimal, "token", "abc\rdef"));
  g_free (assert_invalid (minimal, "token", "abc\x7f" "def"));
  g_free (assert_invalid (minimal, "token", "abc\xc2\x85" "def"));      /* U+0085 */
  g_free (assert_invalid (minimal, "token", "abc\xe2\x80\x8b" "def"));  /* U+200B */
  g_free (assert_invalid (minimal, "token", "abc\xe2\x80\xa8" "def"));  /* U+2028 */
  g_free (assert_invalid (unleashed, "api_key", "abc\x1b" "def"));
  /* Not UTF-8. */
  g_free (assert_invalid (minimal, "token", "abc\xff" "def"));

  /* Default maximum length is 4096 characters, counted as characters. */
  assert_valid (minimal, "token", "any value at all");
  assert_valid (minimal, "token", longest);
  g_free (assert_invalid (minimal, "token", too_long));
  assert_valid (minimal, "note", "aaaaa");
  g_free (assert_invalid (minimal, "note", "aaaaaa"));

  /* An optional field may be empty, or blank. */
  assert_valid (minimal, "note", "");
  assert_valid (minimal, "note", NULL);
  assert_valid (minimal, "note", "  ");
  assert_valid (minimal, "note", "bbb");

  /* The whole value must match, even with a top-level alternation. */
  message = assert_invalid (minimal, "note", "aab");
  g_assert_cmpstr (message, ==, "Only a or only b.");
  g_clear_pointer (&message, g_free);
  g_free (assert_invalid (minimal, "note", "ab"));
}

static void
test_validate_values (void)
{
  HubProvider *sesame = builtin ("sesame");
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  const char *failed = "unset";

  g_hash_table_insert (values, "api_token", "sesame-test-token-0123456789abcdef");
  g_hash_table_insert (values, "region", "eu1");
  g_assert_true (hub_provider_validate_values (sesame, values, &failed, &error));
  g_assert_no_error (error);
  g_assert_null (failed);

  g_hash_table_insert (values, "region", "Europe");
  g_assert_false (hub_provider_validate_values (sesame, values, &failed, &error));
  g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_VALUE);
  g_assert_cmpstr (failed, ==, "region");
  g_assert_cmpstr (error->message, ==, hub_provider_get_field (sesame, "region")->hint);
  g_clear_error (&error);

  /* A missing value is an empty one. */
  g_hash_table_remove (values, "api_token");
  g_hash_table_insert (values, "region", "eu2");
  g_assert_false (hub_provider_validate_values (sesame, values, &failed, &error));
  g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_VALUE);
  g_assert_cmpstr (failed, ==, "api_token");
  g_clear_error (&error);
  g_assert_false (hub_provider_validate_values (sesame, NULL, &failed, &error));
  g_assert_cmpstr (failed, ==, "api_token");
  g_clear_error (&error);

  /* Unknown keys are named; no field is to blame. */
  g_hash_table_insert (values, "api_token", "sesame-test-token-0123456789abcdef");
  g_hash_table_insert (values, "regoin", "eu1");
  g_hash_table_insert (values, "apikey", "x");
  g_assert_false (hub_provider_validate_values (sesame, values, &failed, &error));
  g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_VALUE);
  g_assert_null (failed);
  g_assert_nonnull (strstr (error->message, "apikey, regoin"));
  g_clear_error (&error);

  /* failed_field may be NULL. */
  g_assert_false (hub_provider_validate_values (sesame, values, NULL, &error));
  g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_VALUE);
}

static char *
render (HubProvider *provider,
        ...)
{
  g_autoptr(GHashTable) vars = g_hash_table_new (g_str_hash, g_str_equal);
  const char *name;
  va_list args;

  va_start (args, provider);
  while ((name = va_arg (args, const char *)) != NULL)
    g_hash_table_insert (vars, (char *) name, va_arg (args, char *));
  va_end (args);

  return hub_provider_render_identity (provider, vars);
}

static void
test_identity (void)
{
  g_autoptr(HubProvider) minimal = load_minimal ();
  char *text;

#define CHECK(expr, expected) \
  G_STMT_START { text = (expr); g_assert_cmpstr (text, ==, (expected)); g_free (text); } G_STMT_END

  CHECK (render (builtin ("unleashed"), "company", "Acme Trading Ltd", "currency", "NZD", NULL),
         "Acme Trading Ltd (NZD)");
  CHECK (render (builtin ("unleashed"), "company", "Acme Trading Ltd", NULL), "Acme Trading Ltd");
  CHECK (render (builtin ("unleashed"), "company", "Acme", "currency", "", NULL), "Acme");
  CHECK (render (builtin ("leapsome"), "domain", "example.test", "employees", "42", NULL),
         "example.test (42 employees)");
  CHECK (render (builtin ("humaans"), "company", "Example GmbH", "email", "p@example.test",
                 "companyId", "cmp_1", NULL),
         "Example GmbH (p@example.test)");
  CHECK (render (builtin ("smartrecruiters"), "company", "Smart", "email", "r@smart.test", NULL),
         "Smart (r@smart.test)");
  CHECK (render (builtin ("sesame"), "company", "Sesame Example SL", NULL), "Sesame Example SL");
  /* Values are inserted as they are, never parsed as templates. */
  CHECK (render (builtin ("sesame"), "company", "{email} (x)", "email", "e", NULL), "{email} (x)");

  /* Groups without variables stay; a group is dropped with the space before it. */
  CHECK (render (minimal, "user", "Ada", "team", "Core", NULL), "Ada (team Core) of (all)");
  CHECK (render (minimal, "user", "Ada", NULL), "Ada of (all)");
  CHECK (hub_provider_render_identity (minimal, NULL), "of (all)");
  CHECK (render (builtin ("sesame"), NULL), NULL);

#undef CHECK
}

static void
test_resources_registered (void)
{
  /* hub_catalog_new_builtin registered the resource in this executable. */
  g_autoptr(GBytes) bytes = NULL;

  g_assert_nonnull (hub_catalog_get_default ());
  bytes = g_resources_lookup_data ("/io/github/connecthub/ConnectHub/providers/sesame.json",
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert_nonnull (bytes);
}

static void
test_hostile_document (void)
{
  /* json-glib 1.6 overflows the stack on this; the loader must refuse it first. */
  g_autofree char *deep = g_strnfill (100000, '[');
  /* A lone surrogate would turn into invalid UTF-8 inside strings and messages. */
  static const char surrogate[] = "{\"id\": \"\\uDC00\"}";
  static const char comment[] = "/* x */ {\"id\": \"x\"}";
  const char *documents[] = { deep, surrogate, comment };

  for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HubProvider) provider = NULL;

      provider = hub_provider_new_from_data (documents[i], strlen (documents[i]),
                                             "hostile.json", &error);
      g_assert_null (provider);
      g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_FILE);
      g_assert_true (g_str_has_prefix (error->message, "hostile.json: "));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub/catalog/builtin", test_builtin);
  g_test_add_func ("/hub/catalog/from-dir", test_from_dir);
  g_test_add_func ("/hub/catalog/recipes", test_recipes);
  g_test_add_func ("/hub/catalog/resources", test_resources_registered);
  g_test_add_func ("/hub/catalog/minimal", test_minimal);
  g_test_add_func ("/hub/catalog/bad-dir", test_bad_dir);
  g_test_add_func ("/hub/catalog/hostile-document", test_hostile_document);
  for (guint i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/hub/catalog/bad/%s", bad_files[i].file);

      g_test_add_data_func (path, GUINT_TO_POINTER (i), test_bad_file);
    }
  g_test_add_func ("/hub/field/patterns", test_validate_patterns);
  g_test_add_func ("/hub/field/generic", test_validate_generic);
  g_test_add_func ("/hub/provider/validate-values", test_validate_values);
  g_test_add_func ("/hub/provider/identity", test_identity);

  return g_test_run ();
}
