/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-json"

#include "config.h"

#include "hub-json.h"

#include <errno.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (hub-json-error-quark, hub_json_error)

typedef struct
{
  const char *p;
  const char *end;
  const char *start;
  GError    **error;
} Scanner;

static gboolean scan_value (Scanner *s,
                            guint    depth);

static gboolean
fail (Scanner    *s,
      HubJsonError code,
      const char *what)
{
  g_set_error (s->error, HUB_JSON_ERROR, code,
               "%s at byte %" G_GSIZE_FORMAT, what, (gsize) (s->p - s->start));
  return FALSE;
}

static void
skip_ws (Scanner *s)
{
  while (s->p < s->end &&
         (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
expect_literal (Scanner    *s,
                const char *literal)
{
  gsize len = strlen (literal);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, literal, len) != 0)
    return fail (s, HUB_JSON_ERROR_INVALID, "invalid literal");
  s->p += len;
  return TRUE;
}

static gboolean
read_u4 (Scanner *s,
         guint   *out)
{
  guint v = 0;

  if (s->end - s->p < 4)
    return fail (s, HUB_JSON_ERROR_INVALID, "truncated \\u escape");
  for (int i = 0; i < 4; i++)
    {
      int h = g_ascii_xdigit_value (s->p[i]);

      if (h < 0)
        return fail (s, HUB_JSON_ERROR_INVALID, "invalid \\u escape");
      v = (v << 4) | (guint) h;
    }
  s->p += 4;
  *out = v;
  return TRUE;
}

/* s->p at the opening quote. UTF-8 validity was checked for the whole
 * document beforehand, so only structure and escapes are checked here. */
static gboolean
scan_string (Scanner *s)
{
  s->p++;
  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (s, HUB_JSON_ERROR_INVALID, "control character in string");
      if (c != '\\')
        {
          s->p++;
          continue;
        }

      s->p++;
      if (s->p >= s->end)
        break;
      switch (*s->p)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          s->p++;
          break;
        case 'u':
          {
            guint cp;

            s->p++;
            if (!read_u4 (s, &cp))
              return FALSE;
            if (cp == 0)
              return fail (s, HUB_JSON_ERROR_INVALID, "NUL escape in string");
            if (cp >= 0xDC00 && cp <= 0xDFFF)
              return fail (s, HUB_JSON_ERROR_INVALID, "lone low surrogate");
            if (cp >= 0xD800 && cp <= 0xDBFF)
              {
                guint low;

                if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
                  return fail (s, HUB_JSON_ERROR_INVALID, "lone high surrogate");
                s->p += 2;
                if (!read_u4 (s, &low))
                  return FALSE;
                if (low < 0xDC00 || low > 0xDFFF)
                  return fail (s, HUB_JSON_ERROR_INVALID, "lone high surrogate");
              }
          }
          break;
        default:
          return fail (s, HUB_JSON_ERROR_INVALID, "invalid escape");
        }
    }

  return fail (s, HUB_JSON_ERROR_INVALID, "unterminated string");
}

static gboolean
is_digit (char c)
{
  return c >= '0' && c <= '9';
}

static gboolean
scan_number (Scanner *s)
{
  const char *begin = s->p;
  gboolean is_integer = TRUE;
  g_autofree char *copy = NULL;

  if (*s->p == '-')
    s->p++;
  if (s->p >= s->end || !is_digit (*s->p))
    return fail (s, HUB_JSON_ERROR_INVALID, "invalid number");
  if (*s->p == '0')
    s->p++;
  else
    while (s->p < s->end && is_digit (*s->p))
      s->p++;

  if (s->p < s->end && *s->p == '.')
    {
      is_integer = FALSE;
      s->p++;
      if (s->p >= s->end || !is_digit (*s->p))
        return fail (s, HUB_JSON_ERROR_INVALID, "invalid fraction");
      while (s->p < s->end && is_digit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      is_integer = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !is_digit (*s->p))
        return fail (s, HUB_JSON_ERROR_INVALID, "invalid exponent");
      while (s->p < s->end && is_digit (*s->p))
        s->p++;
    }

  /* Numbers are short in practice; a 400-digit one is refused as well. */
  if (s->p - begin > 64)
    return fail (s, HUB_JSON_ERROR_NUMBER, "number too long");

  copy = g_strndup (begin, (gsize) (s->p - begin));
  if (is_integer)
    {
      gint64 v;
      char *endp = NULL;

      errno = 0;
      v = g_ascii_strtoll (copy, &endp, 10);
      (void) v;
      if (errno == ERANGE || endp == NULL || *endp != '\0')
        return fail (s, HUB_JSON_ERROR_NUMBER, "integer outside int64");
    }
  else
    {
      double d;

      errno = 0;
      d = g_ascii_strtod (copy, NULL);
      if (!isfinite (d) || (errno == ERANGE && d != 0.0))
        return fail (s, HUB_JSON_ERROR_NUMBER, "number not finite");
    }
  return TRUE;
}

static gboolean
scan_container (Scanner *s,
                guint    depth,
                gboolean is_object)
{
  char close = is_object ? '}' : ']';

  if (depth + 1 > HUB_JSON_MAX_DEPTH)
    return fail (s, HUB_JSON_ERROR_TOO_DEEP, "nesting too deep");

  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      skip_ws (s);
      if (is_object)
        {
          if (s->p >= s->end || *s->p != '"')
            return fail (s, HUB_JSON_ERROR_INVALID, "expected member name");
          if (!scan_string (s))
            return FALSE;
          skip_ws (s);
          if (s->p >= s->end || *s->p != ':')
            return fail (s, HUB_JSON_ERROR_INVALID, "expected ':'");
          s->p++;
        }
      if (!scan_value (s, depth + 1))
        return FALSE;
      skip_ws (s);
      if (s->p >= s->end)
        return fail (s, HUB_JSON_ERROR_INVALID, "unterminated container");
      if (*s->p == ',')
        {
          s->p++;
          continue;
        }
      if (*s->p == close)
        {
          s->p++;
          return TRUE;
        }
      return fail (s, HUB_JSON_ERROR_INVALID, "expected ',' or end of container");
    }
}

static gboolean
scan_value (Scanner *s,
            guint    depth)
{
  skip_ws (s);
  if (s->p >= s->end)
    return fail (s, HUB_JSON_ERROR_INVALID, "expected a value");

  switch (*s->p)
    {
    case '{':
      return scan_container (s, depth, TRUE);
    case '[':
      return scan_container (s, depth, FALSE);
    case '"':
      return scan_string (s);
    case 't':
      return expect_literal (s, "true");
    case 'f':
      return expect_literal (s, "false");
    case 'n':
      return expect_literal (s, "null");
    default:
      if (*s->p == '-' || is_digit (*s->p))
        return scan_number (s);
      return fail (s, HUB_JSON_ERROR_INVALID, "unexpected character");
    }
}

gboolean
hub_json_check (const char  *data,
                gsize        length,
                GError     **error)
{
  Scanner s = { data, data + length, data, error };

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length == 0)
    {
      g_set_error_literal (error, HUB_JSON_ERROR, HUB_JSON_ERROR_INVALID, "empty document");
      return FALSE;
    }
  /* Also refuses any NUL byte. */
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, HUB_JSON_ERROR, HUB_JSON_ERROR_INVALID,
                           "invalid UTF-8 or NUL byte");
      return FALSE;
    }

  if (!scan_value (&s, 0))
    return FALSE;
  skip_ws (&s);
  if (s.p != s.end)
    return fail (&s, HUB_JSON_ERROR_INVALID, "trailing data after the document");
  return TRUE;
}

JsonNode *
hub_json_parse (const char  *data,
                gsize        length,
                GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;

  if (!hub_json_check (data, length, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) length, &local_error))
    {
      g_set_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_INVALID,
                   "json-glib refused the document: %s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, HUB_JSON_ERROR, HUB_JSON_ERROR_INVALID, "empty document");
      return NULL;
    }
  return json_node_ref (root);
}

static gboolean
parse_index (const char *segment,
             guint      *out)
{
  guint64 v;

  if (*segment == '\0')
    return FALSE;
  for (const char *c = segment; *c; c++)
    if (!is_digit (*c))
      return FALSE;
  if (!g_ascii_string_to_unsigned (segment, 10, 0, G_MAXUINT, &v, NULL))
    return FALSE;
  *out = (guint) v;
  return TRUE;
}

JsonNode *
hub_json_lookup (JsonNode   *root,
                 const char *path)
{
  g_auto(GStrv) segments = NULL;
  JsonNode *node = root;

  g_return_val_if_fail (path != NULL, NULL);

  if (root == NULL)
    return NULL;
  if (*path == '\0')
    return root;

  segments = g_strsplit (path, ".", -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *segment = segments[i];

      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);

          if (!json_object_has_member (object, segment))
            return NULL;
          node = json_object_get_member (object, segment);
        }
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint index;

          if (!parse_index (segment, &index) || index >= json_array_get_length (array))
            return NULL;
          node = json_array_get_element (array, index);
        }
      else
        return NULL;

      if (node == NULL)
        return NULL;
    }
  return node;
}

static JsonNode *
lookup_or_error (JsonNode   *root,
                 const char *path,
                 GError    **error)
{
  JsonNode *node = hub_json_lookup (root, path);

  if (node == NULL)
    g_set_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_NOT_FOUND, "no value at “%s”", path);
  return node;
}

char *
hub_json_dup_string (JsonNode   *root,
                     const char *path,
                     GError    **error)
{
  JsonNode *node = lookup_or_error (root, path, error);
  const char *value;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE,
                   "value at “%s” is not a string", path);
      return NULL;
    }
  value = json_node_get_string (node);
  if (value == NULL || *value == '\0')
    {
      g_set_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE,
                   "value at “%s” is an empty string", path);
      return NULL;
    }
  return g_strdup (value);
}

gboolean
hub_json_get_int64 (JsonNode   *root,
                    const char *path,
                    gint64     *out_value,
                    GError    **error)
{
  JsonNode *node = lookup_or_error (root, path, error);

  if (node == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_set_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE,
                   "value at “%s” is not an integer", path);
      return FALSE;
    }
  if (out_value != NULL)
    *out_value = json_node_get_int (node);
  return TRUE;
}

GStrv
hub_json_dup_string_array (JsonNode   *root,
                           const char *path,
                           GError    **error)
{
  JsonNode *node = lookup_or_error (root, path, error);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  guint n;

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE,
                   "value at “%s” is not an array", path);
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error (error, HUB_JSON_ERROR, HUB_JSON_ERROR_WRONG_TYPE,
                       "element %u at “%s” is not a string", i, path);
          return NULL;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}
