/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hub-json.h"

#include <string.h>

static void
assert_refused (const char *data,
                gsize       length,
                int         code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!hub_json_check (data, length, &error))
    {
      if (!g_error_matches (error, HUB_JSON_ERROR, code))
        g_error ("document %" G_GSIZE_FORMAT " bytes: expected code %d, got %s",
                 length, code, error->message);
    }
  else
    g_error ("document accepted but should be refused: %.*s", (int) MIN (length, 80), data);

  g_clear_error (&error);
  node = hub_json_parse (data, length, &error);
  g_assert_null (node);
  g_assert_error (error, HUB_JSON_ERROR, code);
}

static void
assert_accepted (const char *data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = hub_json_parse (data, strlen (data), &error);

  if (error != NULL)
    g_error ("“%s” refused: %s", data, error->message);
  g_assert_nonnull (node);
}

static void
test_accepts_valid (void)
{
  assert_accepted ("{}");
  assert_accepted ("[]");
  assert_accepted (" \t\r\n{ \"a\" : [1, -2, 3.5e-3, 0, -0, 1E+2, true, false, null, \"x\"] } \n");
  assert_accepted ("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"");
  assert_accepted ("\"héllo wörld ✓\"");
  assert_accepted ("9223372036854775807");
  assert_accepted ("-9223372036854775808");
  assert_accepted ("1.7976931348623157e308");
  assert_accepted ("null");
}

static void
test_refuses_invalid (void)
{
  static const char *invalid[] = {
    "", " ", "NaN", "[NaN]", "Infinity", "-Infinity", "[1,]", "{\"a\":1,}", "{'a': 1}",
    "['x']", "// c\n{}", "/* c */ {}", "{} x", "{}{}", "[1] [2]", "01", "1.", ".5", "-",
    "+1", "1e", "0x10", "\"\\x41\"", "\"unterminated", "[", "{\"a\"}", "{1: 2}", "tru",
    "nul", "True", "\"tab\there\"", "\"\\u12\"", "\"\\uZZZZ\"", "[1 2]", "{\"a\" 1}",
    "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"a\\u0000b\"",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    assert_refused (invalid[i], strlen (invalid[i]), HUB_JSON_ERROR_INVALID);
}

static void
test_refuses_bom_nul_utf8 (void)
{
  assert_refused ("\xEF\xBB\xBF{}", 5, HUB_JSON_ERROR_INVALID);
  assert_refused ("{}\0", 3, HUB_JSON_ERROR_INVALID);
  assert_refused ("\"a\0b\"", 5, HUB_JSON_ERROR_INVALID);
  assert_refused ("\"\xC3\x28\"", 4, HUB_JSON_ERROR_INVALID);
  assert_refused ("\"\xED\xA0\x80\"", 5, HUB_JSON_ERROR_INVALID);  /* UTF-8 surrogate */
  assert_refused ("\"\xC0\xAF\"", 4, HUB_JSON_ERROR_INVALID);      /* overlong */
  assert_refused ("{\"a\": \"\xFF\"}", 10, HUB_JSON_ERROR_INVALID);
}

static void
test_refuses_numbers (void)
{
  static const char *bad[] = {
    "9223372036854775808", "-9223372036854775809", "[18446744073709551616]",
    "1e400", "-1e400", "{\"n\": 1E999}",
    "123456789012345678901234567890123456789012345678901234567890123456789",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    assert_refused (bad[i], strlen (bad[i]), HUB_JSON_ERROR_NUMBER);
}

static void
test_depth (void)
{
  GString *ok = g_string_new (NULL);
  GString *deep = g_string_new (NULL);
  g_autofree char *huge = NULL;

  for (int i = 0; i < HUB_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, '[');
  for (int i = 0; i < HUB_JSON_MAX_DEPTH; i++)
    g_string_append_c (ok, ']');
  assert_accepted (ok->str);

  for (int i = 0; i <= HUB_JSON_MAX_DEPTH; i++)
    g_string_append (deep, "{\"a\":");
  g_string_append (deep, "1");
  for (int i = 0; i <= HUB_JSON_MAX_DEPTH; i++)
    g_string_append_c (deep, '}');
  assert_refused (deep->str, deep->len, HUB_JSON_ERROR_TOO_DEEP);

  /* json-glib 1.6 overflows the stack on this: it must never see it. */
  huge = g_malloc (100000);
  memset (huge, '[', 100000);
  assert_refused (huge, 100000, HUB_JSON_ERROR_TOO_DEEP);

  g_string_free (ok, TRUE);
  g_string_free (deep, TRUE);
}

static JsonNode *
parse (const char *data)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = hub_json_parse (data, strlen (data), &error);

  g_assert_no_error (error);
  return node;
}

static void
test_lookup (void)
{
  g_autoptr(JsonNode) root =
    parse ("{\"Items\": [{\"CompanyName\": \"Acme\", \"n\": 7}], \"0\": {\"x\": \"zero\"},"
           " \"a\": {\"b\": {\"c\": \"deep\"}}}");

  g_assert_true (hub_json_lookup (root, "") == root);
  g_assert_cmpstr (json_node_get_string (hub_json_lookup (root, "Items.0.CompanyName")), ==,
                   "Acme");
  g_assert_cmpstr (json_node_get_string (hub_json_lookup (root, "a.b.c")), ==, "deep");
  g_assert_cmpstr (json_node_get_string (hub_json_lookup (root, "0.x")), ==, "zero");
  g_assert_null (hub_json_lookup (root, "Items.1.CompanyName"));
  g_assert_null (hub_json_lookup (root, "Items.x"));
  g_assert_null (hub_json_lookup (root, "Items.-1"));
  g_assert_null (hub_json_lookup (root, "Items.0.CompanyName.more"));
  g_assert_null (hub_json_lookup (root, "missing"));
  g_assert_null (hub_json_lookup (root, "Items."));
  g_assert_null (hub_json_lookup (NULL, "a"));
}

static void
test_typed (void)
{
  g_autoptr(JsonNode) root =
    parse ("{\"s\": \"text\", \"empty\": \"\", \"i\": 42, \"neg\": -7, \"f\": 42.0, \"e\": 1e2,"
           " \"b\": true, \"n\": null, \"arr\": [\"a\", \"b\"], \"none\": [],"
           " \"mixed\": [\"a\", 1], \"obj\": {}}");
  static const char *not_strings[] = { "empty", "i", "b", "n", "arr", "obj" };
  static const char *not_ints[] = { "s", "f", "e", "b", "n", "arr" };
  g_autoptr(GError) error = NULL;
  g_autofree char *s = NULL;
  g_auto(GStrv) arr = NULL;
  g_auto(GStrv) none = NULL;
  gint64 v = 0;

  s = hub_json_dup_string (root, "s", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (s, ==, "text");

  for (gsize i = 0; i < G_N_ELEMENTS (not_strings); i++)
    {
      g_assert_null (hub_json_dup_string (root, not_strings[i], &error));
      g_assert_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE);
      g_clear_error (&error);
    }
  g_assert_null (hub_json_dup_string (root, "nope", &error));
  g_assert_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (hub_json_get_int64 (root, "i", &v, &error));
  g_assert_no_error (error);
  g_assert_cmpint (v, ==, 42);
  g_assert_true (hub_json_get_int64 (root, "neg", &v, &error));
  g_assert_cmpint (v, ==, -7);
  for (gsize i = 0; i < G_N_ELEMENTS (not_ints); i++)
    {
      g_assert_false (hub_json_get_int64 (root, not_ints[i], &v, &error));
      g_assert_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE);
      g_clear_error (&error);
    }
  g_assert_false (hub_json_get_int64 (root, "nope", &v, &error));
  g_assert_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_NOT_FOUND);
  g_clear_error (&error);

  arr = hub_json_dup_string_array (root, "arr", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (arr), ==, 2);
  g_assert_cmpstr (arr[0], ==, "a");
  g_assert_cmpstr (arr[1], ==, "b");
  none = hub_json_dup_string_array (root, "none", &error);
  g_assert_no_error (error);
  g_assert_nonnull (none);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_null (hub_json_dup_string_array (root, "mixed", &error));
  g_assert_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE);
  g_clear_error (&error);
  g_assert_null (hub_json_dup_string_array (root, "s", &error));
  g_assert_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE);
  g_clear_error (&error);
}

static void
test_int64_limits (void)
{
  g_autoptr(JsonNode) root = parse ("{\"max\": 9223372036854775807, \"min\": -9223372036854775808}");
  g_autoptr(GError) error = NULL;
  gint64 v = 0;

  g_assert_true (hub_json_get_int64 (root, "max", &v, &error));
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_true (hub_json_get_int64 (root, "min", &v, &error));
  g_assert_cmpint (v, ==, G_MININT64);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub/json/accepts-valid", test_accepts_valid);
  g_test_add_func ("/hub/json/refuses-invalid", test_refuses_invalid);
  g_test_add_func ("/hub/json/refuses-bom-nul-utf8", test_refuses_bom_nul_utf8);
  g_test_add_func ("/hub/json/refuses-numbers", test_refuses_numbers);
  g_test_add_func ("/hub/json/depth", test_depth);
  g_test_add_func ("/hub/json/lookup", test_lookup);
  g_test_add_func ("/hub/json/typed", test_typed);
  g_test_add_func ("/hub/json/int64-limits", test_int64_limits);

  return g_test_run ();
}
