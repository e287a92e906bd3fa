/* SPDX-License-Identifier: GPL-3.0-or-later */

/* The command line's stdin parser (`connect-hub link PROVIDER` reads the
 * field values as a JSON object): hub_cli_parse_values. */
#include <string.h>

#include "hub-catalog.h"
#include "hub-cli.h"
#include "hub-json.h"

#include "fuzz.h"

/* Input: the first byte picks the provider (the parser only accepts that
 * provider's field ids): '0'…'4' in catalog order (Humaans, Leapsome,
 * Sesame HR, SmartRecruiters, Unleashed); the rest is what arrives on stdin.
 *
 * Invariants: TRUE exactly when no error is set; an accepted input is one
 * JSON object (hub_json_check agrees) of known field ids, each once, whose
 * values are valid UTF-8 without NUL; validation of the parsed values then
 * runs without a warning. */

const char *hub_fuzz_target_name = "cli";

gboolean
hub_fuzz_one_input (const guint8 *data,
                    gsize         size)
{
  HubCatalog *catalog = hub_catalog_get_default ();
  guint n_providers = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  g_autoptr(HubProvider) provider = NULL;
  g_autoptr(GHashTable) values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  const char *input;
  gsize length;
  const char *failed_field = NULL;
  guint index;

  if (size == 0)
    return FALSE;
  index = data[0] >= '0' ? (guint) (data[0] - '0') : data[0];
  provider = g_list_model_get_item (G_LIST_MODEL (catalog), index % n_providers);
  input = (const char *) data + 1;
  length = size - 1;

  if (!hub_cli_parse_values (provider, input, length, values, &error))
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == G_OPTION_ERROR);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return FALSE;
    }
  g_assert_no_error (error);

  /* The CLI promises JSON: nothing json-glib's strict front door refuses. */
  g_assert_true (hub_json_check (input, length, NULL));
  g_assert_cmpuint (g_hash_table_size (values), <=,
                    hub_provider_get_fields (provider)->len);

  g_hash_table_iter_init (&iter, values);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_nonnull (hub_provider_get_field (provider, key));
      g_assert_true (g_utf8_validate (value, -1, NULL));
    }

  if (!hub_provider_validate_values (provider, values, &failed_field, &error))
    {
      g_assert_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_VALUE);
      g_assert_nonnull (failed_field);
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  hub_fuzz_one_input (data, size);
  return 0;
}
