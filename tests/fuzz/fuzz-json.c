/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-json"

#include "config.h"

#include <string.h>

#include "hub-catalog.h"
#include "hub-json.h"

#include "fuzz.h"

/* hub-json: the strict pre-scan, json-glib behind it, and the dotted-path
 * captures the verifier runs on a provider's answer.
 *
 * Invariants checked on every input:
 * - hub_json_parse returns a root exactly when it sets no error, and only
 *   for documents hub_json_check accepts;
 * - every capture path of the built-in catalog gives a value or NOT_FOUND /
 *   WRONG_TYPE, never anything else;
 * - for every node reachable by a path that can be written in dotted form,
 *   hub_json_lookup finds that same node, and the typed getters agree with
 *   the node's type (a captured string is valid UTF-8, non-empty, no NUL). */

const char *hub_fuzz_target_name = "json";

#define WALK_BUDGET 4096

static GPtrArray *
catalog_paths (void)
{
  static GPtrArray *paths;
  HubCatalog *catalog;
  guint n;

  if (paths != NULL)
    return paths;

  paths = g_ptr_array_new_with_free_func (g_free);
  catalog = hub_catalog_get_default ();
  n = g_list_model_get_n_items (G_LIST_MODEL (catalog));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HubProvider) provider = g_list_model_get_item (G_LIST_MODEL (catalog), i);
      const HubAuth *auth = hub_provider_get_auth (provider);
      GPtrArray *steps = hub_provider_get_verify_steps (provider);

      if (auth->token_capture != NULL)
        g_ptr_array_add (paths, g_strdup (auth->token_capture));
      for (guint j = 0; j < steps->len; j++)
        {
          const HubVerifyStep *step = g_ptr_array_index (steps, j);

          for (guint k = 0; k < step->captures->len; k++)
            {
              const HubCapture *capture = g_ptr_array_index (step->captures, k);

              g_ptr_array_add (paths, g_strdup (capture->path));
            }
        }
    }
  /* The root, and paths that index past the end or through a scalar. */
  g_ptr_array_add (paths, g_strdup (""));
  g_ptr_array_add (paths, g_strdup ("0"));
  g_ptr_array_add (paths, g_strdup ("4294967296"));
  g_ptr_array_add (paths, g_strdup ("a..b"));
  g_ptr_array_add (paths, g_strdup ("."));
  g_assert_cmpuint (paths->len, >, 10);
  return paths;
}

static void
check_getters (JsonNode   *root,
               const char *path,
               JsonNode   *node)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *string = NULL;
  g_auto(GStrv) strings = NULL;
  gint64 value = 0;
  gboolean is_string;
  gboolean is_int;
  gboolean is_string_array = FALSE;

  g_assert_nonnull (node);
  is_string = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
  is_int = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      is_string_array = TRUE;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            is_string_array = FALSE;
        }
    }

  string = hub_json_dup_string (root, path, &error);
  if (string != NULL)
    {
      g_assert_no_error (error);
      g_assert_true (is_string);
      g_assert_cmpstr (string, ==, json_node_get_string (node));
      g_assert_cmpuint (strlen (string), >, 0);
      g_assert_true (g_utf8_validate (string, -1, NULL));
    }
  else
    {
      g_assert_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE);
      g_assert_true (!is_string || *json_node_get_string (node) == '\0');
    }
  g_clear_error (&error);

  if (hub_json_get_int64 (root, path, &value, &error))
    {
      g_assert_no_error (error);
      g_assert_true (is_int);
      g_assert_cmpint (value, ==, json_node_get_int (node));
    }
  else
    {
      g_assert_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE);
      g_assert_false (is_int);
    }
  g_clear_error (&error);

  strings = hub_json_dup_string_array (root, path, &error);
  if (strings != NULL)
    {
      g_assert_no_error (error);
      g_assert_true (is_string_array);
      g_assert_cmpuint (g_strv_length (strings), ==,
                        json_array_get_length (json_node_get_array (node)));
      for (guint i = 0; strings[i] != NULL; i++)
        g_assert_true (g_utf8_validate (strings[i], -1, NULL));
    }
  else
    {
      g_assert_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE);
      g_assert_false (is_string_array);
    }
}

/* Segments that hub_json_lookup can address: not empty, no '.', and (inside
 * an object) not a name it would read as something else. */
static gboolean
segment_is_addressable (const char *name)
{
  return *name != '\0' && strchr (name, '.') == NULL;
}

static void
walk (JsonNode *root,
      JsonNode *node,
      GString  *path,
      guint    *budget)
{
  gsize saved = path->len;

  if (*budget == 0)
    return;
  (*budget)--;

  g_assert_true (hub_json_lookup (root, path->str) == node);
  check_getters (root, path->str, node);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        {
          const char *name = l->data;

          if (!segment_is_addressable (name))
            continue;
          if (saved > 0)
            g_string_append_c (path, '.');
          g_string_append (path, name);
          walk (root, json_object_get_member (object, name), path, budget);
          g_string_truncate (path, saved);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (saved > 0)
            g_string_append_c (path, '.');
          g_string_append_printf (path, "%u", i);
          walk (root, json_array_get_element (array, i), path, budget);
          g_string_truncate (path, saved);
        }
    }
}

gboolean
hub_fuzz_one_input (const guint8 *data,
                    gsize         size)
{
  const char *text = (const char *) data;
  GPtrArray *paths = catalog_paths ();
  g_autoptr(GError) check_error = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) path = NULL;
  gboolean checked;
  guint budget = WALK_BUDGET;

  checked = hub_json_check (text, size, &check_error);
  g_assert_true (checked == (check_error == NULL));
  if (!checked)
    g_assert_true (check_error->domain == HUB_JSON_ERROR &&
                   check_error->code <= HUB_JSON_ERROR_NUMBER);

  root = hub_json_parse (text, size, &error);
  if (root == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == HUB_JSON_ERROR);
      /* What the pre-scan accepts, json-glib must build. */
      g_assert_false (checked);
      return FALSE;
    }
  g_assert_no_error (error);
  g_assert_true (checked);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *capture = g_ptr_array_index (paths, i);
      JsonNode *node = hub_json_lookup (root, capture);
      g_autofree char *string = NULL;
      g_autoptr(GError) capture_error = NULL;

      string = hub_json_dup_string (root, capture, &capture_error);
      g_assert_true ((string != NULL) == (capture_error == NULL));
      if (node == NULL)
        g_assert_error (capture_error, HUB_JSON_ERROR, HUB_JSON_ERROR_NOT_FOUND);
      else
        check_getters (root, capture, node);
    }

  path = g_string_new (NULL);
  walk (root, root, path, &budget);
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  hub_fuzz_one_input (data, size);
  return 0;
}
