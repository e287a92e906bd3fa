/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-catalog"

#include "config.h"

#include <string.h>

#include "hub-catalog.h"
#include "hub-json.h"
#include "hub-provider.h"
#include "hub-verifier.h"

#include "fuzz.h"

/* hub_provider_new_from_data: a provider JSON file (catalog + recipe).
 *
 * Invariants: a provider is returned exactly when no error is set; the error
 * is HUB_CATALOG_ERROR_INVALID_FILE; a loaded provider answers every getter,
 * validates values, renders its identity template and resolves its base URL
 * without a warning (the suite runs with G_DEBUG=fatal-warnings). */

const char *hub_fuzz_target_name = "catalog";

/* Known issues, reported: hub_provider_new_from_data hands the document to
 * json-glib 1.6 without hub-json's strict pre-scan, so
 * - deep nesting overflows json-glib's stack (docs/reliability.md §3): crash;
 * - a lone surrogate escape ("\uDC00") becomes invalid UTF-8 in a string or
 *   member name, which then reaches error messages and would reach labels.
 * The catalog is trusted data compiled into the binary, not network input.
 * Unless HUB_FUZZ_NO_GUARDS=1, documents the pre-scan refuses for depth are
 * skipped, and the UTF-8 invariants apply only to documents it accepts. */
static gboolean
no_guards (void)
{
  static int value = -1;

  if (value < 0)
    value = g_strcmp0 (g_getenv ("HUB_FUZZ_NO_GUARDS"), "1") == 0;
  return value;
}

static void
assert_utf8 (gboolean    strict,
             const char *text)
{
  if (text != NULL && (strict || no_guards ()))
    g_assert_true (g_utf8_validate (text, -1, NULL));
}

/* URL schemes are case-insensitive (RFC 3986), so is the loader. */
static gboolean
is_https (const char *url)
{
  return url != NULL && g_ascii_strncasecmp (url, "https://", strlen ("https://")) == 0;
}

static void
exercise (HubProvider *provider,
          gboolean     strict)
{
  GPtrArray *fields = hub_provider_get_fields (provider);
  GPtrArray *steps = hub_provider_get_verify_steps (provider);
  GPtrArray *warnings = hub_provider_get_warnings (provider);
  GPtrArray *guide = hub_provider_get_steps (provider);
  const HubAuth *auth = hub_provider_get_auth (provider);
  GStrv scopes = hub_provider_get_required_scopes (provider);
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) vars = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *empty_identity = NULL;
  g_autofree char *base_url = NULL;
  const char *failed_field = NULL;

  g_assert_nonnull (hub_provider_get_id (provider));
  g_assert_nonnull (hub_provider_get_name (provider));
  g_assert_nonnull (hub_provider_get_description (provider));
  assert_utf8 (strict, hub_provider_get_name (provider));
  assert_utf8 (strict, hub_provider_get_description (provider));
  assert_utf8 (strict, hub_provider_get_rejected_hint (provider));
  g_assert_true (is_https (hub_provider_get_docs_url (provider)));
  g_assert_nonnull (hub_provider_get_rejected_hint (provider));
  g_assert_nonnull (auth);
  g_assert_nonnull (hub_provider_get_identity_template (provider));
  g_assert_cmpuint (fields->len, >, 0);
  for (guint i = 0; scopes != NULL && scopes[i] != NULL; i++)
    assert_utf8 (strict, scopes[i]);

  for (guint i = 0; i < warnings->len; i++)
    {
      const HubWarning *warning = g_ptr_array_index (warnings, i);

      g_assert_nonnull (hub_warning_kind_to_string (warning->kind));
      assert_utf8 (strict, warning->text);
    }
  for (guint i = 0; i < guide->len; i++)
    {
      const HubStep *step = g_ptr_array_index (guide, i);

      g_assert_nonnull (step->text);
      assert_utf8 (strict, step->text);
      g_assert_true (step->link == NULL || is_https (step->link));
    }

  /* Field rules: an empty value, a plausible one, each suggestion, and a
   * value with a control character (always refused). */
  for (guint i = 0; i < fields->len; i++)
    {
      const HubField *field = g_ptr_array_index (fields, i);
      g_autofree char *message = NULL;

      g_assert_true (hub_provider_get_field (provider, field->id) == field);
      assert_utf8 (strict, field->label);
      assert_utf8 (strict, field->hint);
      if (!hub_field_validate (field, "", &message))
        g_assert_nonnull (message);
      g_clear_pointer (&message, g_free);
      hub_field_validate (field, "abc-0123456789", NULL);
      g_assert_false (hub_field_validate (field, "a\nb", NULL));
      for (guint j = 0; field->suggestions != NULL && field->suggestions[j] != NULL; j++)
        hub_field_validate (field, field->suggestions[j], NULL);
      g_hash_table_insert (values, field->id, (gpointer) "abc-0123456789");
    }

  if (!hub_provider_validate_values (provider, values, &failed_field, &error))
    {
      g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_VALUE);
      g_assert_nonnull (failed_field);
      g_assert_nonnull (hub_provider_get_field (provider, failed_field));
    }
  g_clear_error (&error);

  base_url = hub_verifier_resolve_base_url (provider, values, &error);
  g_assert_true ((base_url != NULL) == (error == NULL));
  if (base_url == NULL)
    g_assert_true (error->domain == HUB_VERIFY_ERROR);
  g_clear_error (&error);

  /* Identity: with no variables, then with every capture set. */
  empty_identity = hub_provider_render_identity (provider, vars);
  for (guint i = 0; i < steps->len; i++)
    {
      const HubVerifyStep *step = g_ptr_array_index (steps, i);

      g_assert_nonnull (step->method);
      g_assert_nonnull (step->path);
      for (guint j = 0; j < step->captures->len; j++)
        {
          const HubCapture *capture = g_ptr_array_index (step->captures, j);

          g_assert_nonnull (capture->var);
          g_assert_nonnull (capture->path);
          g_hash_table_insert (vars, capture->var, (gpointer) "Acme (Ltd) {x}");
        }
    }
  identity = hub_provider_render_identity (provider, vars);
  assert_utf8 (strict, identity);
}

gboolean
hub_fuzz_one_input (const guint8 *data,
                    gsize         size)
{
  const char *text = (const char *) data;
  g_autoptr(HubProvider) provider = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  gboolean strict = hub_json_check (text, size, &check_error);

  if (!strict && !no_guards () &&
      g_error_matches (check_error, HUB_JSON_ERROR, HUB_JSON_ERROR_TOO_DEEP))
    return FALSE;

  provider = hub_provider_new_from_data (text, size, NULL, &error);
  if (provider == NULL)
    {
      g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_FILE);
      assert_utf8 (strict, error->message);
      return FALSE;
    }
  g_assert_no_error (error);
  exercise (provider, strict);
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  hub_fuzz_one_input (data, size);
  return 0;
}
