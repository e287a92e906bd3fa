/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-provider"

#include "config.h"

#include "hub-provider.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "hub-catalog.h"
#include "hub-json.h"

#define DEFAULT_MAX_LENGTH 4096
#define LIMIT_MAX_LENGTH   65536

struct _HubProvider
{
  GObject     parent_instance;

  char       *id;
  char       *name;
  char       *description;      /* translated */
  char       *docs_url;
  char       *rejected_hint;    /* translated */
  char       *base_url;
  GPtrArray  *warnings;         /* HubWarning */
  GPtrArray  *steps;            /* HubStep */
  GPtrArray  *fields;           /* HubField */
  HubAuth     auth;
  GPtrArray  *verify_steps;     /* HubVerifyStep */
  char       *identity;
  GStrv       required_scopes;  /* nullable */
};

G_DEFINE_FINAL_TYPE (HubProvider, hub_provider, G_TYPE_OBJECT)

static const char * const warning_kinds[] = {
  [HUB_WARNING_ADMIN] = "admin",
  [HUB_WARNING_SHOWN_ONCE] = "shown-once",
  [HUB_WARNING_FULL_ACCESS] = "full-access",
  [HUB_WARNING_REGION] = "region",
  [HUB_WARNING_SCOPES] = "scopes",
  [HUB_WARNING_PAID] = "paid",
};

static const char * const auth_schemes[] = {
  [HUB_AUTH_BEARER] = "bearer",
  [HUB_AUTH_HEADER] = "header",
  [HUB_AUTH_TOKEN_EXCHANGE] = "token-exchange",
  [HUB_AUTH_HMAC_QUERY_SIGNATURE] = "hmac-query-signature",
};

static const char * const capture_types[] = {
  [HUB_CAPTURE_STRING] = "string",
  [HUB_CAPTURE_INTEGER] = "integer",
  [HUB_CAPTURE_STRING_ARRAY] = "string-array",
};

/* How sure a variable is to exist once verification has succeeded. */
typedef enum
{
  VAR_ALWAYS = 1,    /* required capture of a step that cannot be skipped */
  VAR_SOMETIMES,     /* optional capture, or any capture of an optional step */
} VarPresence;

/* --- structs ------------------------------------------------------------- */

static void
warning_free (gpointer data)
{
  HubWarning *warning = data;

  g_free (warning->text);
  g_free (warning);
}

static void
step_free (gpointer data)
{
  HubStep *step = data;

  g_free (step->text);
  g_free (step->link);
  g_free (step->link_label);
  g_free (step);
}

static void
field_free (gpointer data)
{
  HubField *field = data;

  g_free (field->id);
  g_free (field->label);
  g_free (field->pattern);
  g_clear_pointer (&field->regex, g_regex_unref);
  g_free (field->hint);
  g_free (field->placeholder);
  g_strfreev (field->suggestions);
  g_free (field);
}

static void
capture_free (gpointer data)
{
  HubCapture *capture = data;

  g_free (capture->var);
  g_free (capture->path);
  g_free (capture->transform);
  g_free (capture->label);
  g_free (capture);
}

static void
verify_step_free (gpointer data)
{
  HubVerifyStep *step = data;

  g_free (step->name);
  g_free (step->method);
  g_free (step->path);
  g_free (step->query);
  g_clear_pointer (&step->captures, g_ptr_array_unref);
  g_free (step);
}

static void
auth_clear (HubAuth *auth)
{
  g_clear_pointer (&auth->secret_field, g_free);
  g_clear_pointer (&auth->id_field, g_free);
  g_clear_pointer (&auth->header, g_free);
  g_clear_pointer (&auth->token_path, g_free);
  g_clear_pointer (&auth->token_param, g_free);
  g_clear_pointer (&auth->token_capture, g_free);
  g_clear_pointer (&auth->client_type, g_free);
}

/* --- loading helpers ------------------------------------------------------ */

typedef struct
{
  const char  *filename;
  GError     **error;
} Loader;

static gboolean fail (Loader     *loader,
                      const char *key,
                      const char *format,
                      ...) G_GNUC_PRINTF (3, 4);

/* Always returns FALSE, so callers can `return fail (…)`. */
static gboolean
fail (Loader     *loader,
      const char *key,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (loader->error != NULL && *loader->error == NULL)
    g_set_error (loader->error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_FILE,
                 "%s: %s: %s", loader->filename, key, message);
  return FALSE;
}

static char *
join_key (const char *where,
          const char *member)
{
  if (where == NULL || *where == '\0')
    return g_strdup (member);
  return g_strconcat (where, ".", member, NULL);
}

static char *
index_key (const char *where,
           const char *member,
           guint       index)
{
  g_autofree char *key = join_key (where, member);

  return g_strdup_printf ("%s[%u]", key, index);
}

static gboolean
check_members (Loader            *loader,
               JsonObject        *object,
               const char        *where,
               const char * const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;

      if (!g_strv_contains (allowed, member))
        {
          g_autofree char *key = join_key (where, member);
          return fail (loader, key, "unknown key");
        }
    }
  return TRUE;
}

static gboolean
is_identifier (const char *s,
               gboolean    allow_upper,
               const char *extra)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (const char *p = s; *p != '\0'; p++)
    {
      if (g_ascii_islower (*p) || g_ascii_isdigit (*p) ||
          (allow_upper && g_ascii_isupper (*p)) ||
          (extra != NULL && strchr (extra, *p) != NULL))
        continue;
      return FALSE;
    }
  return TRUE;
}

/* A {var} name: letters, digits and '_', not starting with a digit. */
static gboolean
is_var_name (const char *s,
             gsize       length)
{
  if (length == 0 || g_ascii_isdigit (s[0]))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (s[i]) && s[i] != '_')
      return FALSE;
  return TRUE;
}

/* Visible ASCII only: header names and values, paths, queries. */
static gboolean
is_visible_ascii (const char *s)
{
  for (const char *p = s; *p != '\0'; p++)
    if (*p <= ' ' || *p >= 0x7f)
      return FALSE;
  return TRUE;
}

static gboolean
is_https_url (const char *s)
{
  g_autoptr(GUri) uri = g_uri_parse (s, G_URI_FLAGS_NONE, NULL);
  const char *host;

  if (uri == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0)
    return FALSE;
  host = g_uri_get_host (uri);
  return host != NULL && *host != '\0' && g_uri_get_userinfo (uri) == NULL &&
         is_visible_ascii (s);
}

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  return json_object_has_member (object, member) ? json_object_get_member (object, member) : NULL;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
read_string (Loader      *loader,
             JsonObject  *object,
             const char  *where,
             const char  *member,
             gboolean     required,
             char       **out)
{
  g_autofree char *key = join_key (where, member);
  JsonNode *node = get_member (object, member);
  const char *value;

  *out = NULL;
  if (node == NULL)
    return required ? fail (loader, key, "required key is missing") : TRUE;
  if (!node_is_string (node))
    return fail (loader, key, "must be a string");
  value = json_node_get_string (node);
  if (value == NULL || *value == '\0')
    return fail (loader, key, "must not be empty");
  *out = g_strdup (value);
  return TRUE;
}

/* Strings shown to people go through gettext at load time. */
static gboolean
read_translated (Loader      *loader,
                 JsonObject  *object,
                 const char  *where,
                 const char  *member,
                 gboolean     required,
                 char       **out)
{
  g_autofree char *msgid = NULL;

  if (!read_string (loader, object, where, member, required, &msgid))
    return FALSE;
  *out = msgid != NULL ? g_strdup (g_dgettext (GETTEXT_PACKAGE, msgid)) : NULL;
  return TRUE;
}

static gboolean
read_boolean (Loader     *loader,
              JsonObject *object,
              const char *where,
              const char *member,
              gboolean    required,
              gboolean    default_value,
              gboolean   *out)
{
  g_autofree char *key = join_key (where, member);
  JsonNode *node = get_member (object, member);

  *out = default_value;
  if (node == NULL)
    return required ? fail (loader, key, "required key is missing") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fail (loader, key, "must be true or false");
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_array (Loader      *loader,
            JsonObject  *object,
            const char  *where,
            const char  *member,
            gboolean     required,
            guint        min_length,
            JsonArray  **out)
{
  g_autofree char *key = join_key (where, member);
  JsonNode *node = get_member (object, member);

  *out = NULL;
  if (node == NULL)
    return required ? fail (loader, key, "required key is missing") : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (loader, key, "must be an array");
  *out = json_node_get_array (node);
  if (json_array_get_length (*out) < min_length)
    return fail (loader, key, "must have at least %u element(s)", min_length);
  return TRUE;
}

static gboolean
read_object (Loader       *loader,
             JsonNode     *node,
             const char   *key,
             JsonObject  **out)
{
  *out = NULL;
  if (node == NULL)
    return fail (loader, key, "required key is missing");
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (loader, key, "must be an object");
  *out = json_node_get_object (node);
  return TRUE;
}

static gboolean
read_string_array (Loader      *loader,
                   JsonObject  *object,
                   const char  *where,
                   const char  *member,
                   GStrv       *out)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  *out = NULL;
  if (!read_array (loader, object, where, member, FALSE, 1, &array))
    return FALSE;
  if (array == NULL)
    return TRUE;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (!node_is_string (node) || *json_node_get_string (node) == '\0')
        {
          g_autofree char *key = index_key (where, member, i);
          return fail (loader, key, "must be a non-empty string");
        }
      g_strv_builder_add (builder, json_node_get_string (node));
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
lookup_enum (const char * const *names,
             guint               n_names,
             const char         *value,
             int                *out)
{
  for (guint i = 0; i < n_names; i++)
    {
      if (g_strcmp0 (names[i], value) == 0)
        {
          *out = (int) i;
          return TRUE;
        }
    }
  return FALSE;
}

/* --- templates ------------------------------------------------------------ */

/* Walks "{var}" placeholders (and, with @groups, "( … )" groups) of @tmpl.
 * Returns the variable names in order in @vars and, when @in_group is
 * non-NULL, whether each sits inside a group. On a malformed template returns
 * FALSE with a static English @problem. */
static gboolean
scan_template (const char  *tmpl,
               gboolean     groups,
               GPtrArray   *vars,
               GArray      *in_group,
               const char **problem)
{
  gboolean open_group = FALSE;

  for (const char *p = tmpl; *p != '\0'; p++)
    {
      if (*p == '{')
        {
          const char *end = strchr (p + 1, '}');
          gboolean group_flag = open_group;

          if (end == NULL)
            return (*problem = "“{” without a closing “}”", FALSE);
          if (!is_var_name (p + 1, end - p - 1))
            return (*problem = "a {var} name must be letters, digits or “_”", FALSE);
          g_ptr_array_add (vars, g_strndup (p + 1, end - p - 1));
          if (in_group != NULL)
            g_array_append_val (in_group, group_flag);
          p = end;
        }
      else if (*p == '}')
        return (*problem = "“}” without an opening “{”", FALSE);
      else if (groups && *p == '(')
        {
          if (open_group)
            return (*problem = "groups “( … )” cannot be nested", FALSE);
          open_group = TRUE;
        }
      else if (groups && *p == ')')
        {
          if (!open_group)
            return (*problem = "“)” without an opening “(”", FALSE);
          open_group = FALSE;
        }
    }
  if (open_group)
    return (*problem = "“(” without a closing “)”", FALSE);
  return TRUE;
}

/* Appends [start, end) of a template to @out with variables substituted.
 * Returns FALSE when a variable is missing or empty (it then renders as ""). */
static gboolean
render_range (const char *start,
              const char *end,
              GHashTable *vars,
              GString    *out)
{
  gboolean complete = TRUE;

  for (const char *p = start; p < end; p++)
    {
      if (*p == '{')
        {
          const char *close = strchr (p, '}');
          g_autofree char *name = g_strndup (p + 1, close - p - 1);
          const char *value = vars != NULL ? g_hash_table_lookup (vars, name) : NULL;

          if (value == NULL || *value == '\0')
            complete = FALSE;
          else
            g_string_append (out, value);
          p = close;
        }
      else
        g_string_append_c (out, *p);
    }
  return complete;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* --- loading --------------------------------------------------------------- */

static gboolean
load_warnings (HubProvider *self,
               Loader      *loader,
               JsonObject  *root)
{
  static const char * const allowed[] = { "kind", "text", NULL };
  JsonArray *array;

  if (!read_array (loader, root, NULL, "warnings", TRUE, 0, &array))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = index_key (NULL, "warnings", i);
      g_autofree char *kind = NULL;
      g_autofree char *text = NULL;
      HubWarning *warning;
      JsonObject *object;
      int value;

      if (!read_object (loader, json_array_get_element (array, i), where, &object) ||
          !check_members (loader, object, where, allowed) ||
          !read_string (loader, object, where, "kind", TRUE, &kind) ||
          !read_translated (loader, object, where, "text", TRUE, &text))
        return FALSE;
      if (!lookup_enum (warning_kinds, G_N_ELEMENTS (warning_kinds), kind, &value))
        {
          g_autofree char *key = join_key (where, "kind");
          return fail (loader, key, "unknown warning kind “%s”", kind);
        }

      warning = g_new0 (HubWarning, 1);
      warning->kind = value;
      warning->text = g_steal_pointer (&text);
      g_ptr_array_add (self->warnings, warning);
    }
  return TRUE;
}

static gboolean
load_steps (HubProvider *self,
            Loader      *loader,
            JsonObject  *root)
{
  static const char * const allowed[] = { "text", "link", "link_label", NULL };
  JsonArray *array;

  if (!read_array (loader, root, NULL, "steps", TRUE, 1, &array))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = index_key (NULL, "steps", i);
      JsonObject *object;
      HubStep *step = g_new0 (HubStep, 1);

      g_ptr_array_add (self->steps, step);
      if (!read_object (loader, json_array_get_element (array, i), where, &object) ||
          !check_members (loader, object, where, allowed) ||
          !read_translated (loader, object, where, "text", TRUE, &step->text) ||
          !read_string (loader, object, where, "link", FALSE, &step->link) ||
          !read_translated (loader, object, where, "link_label", FALSE, &step->link_label))
        return FALSE;
      if (step->link != NULL && !is_https_url (step->link))
        {
          g_autofree char *key = join_key (where, "link");
          return fail (loader, key, "must be an https:// URL");
        }
      if (step->link_label != NULL && step->link == NULL)
        {
          g_autofree char *key = join_key (where, "link_label");
          return fail (loader, key, "needs a link");
        }
    }
  return TRUE;
}

static gboolean
load_pattern (HubField   *field,
              Loader     *loader,
              const char *where)
{
  g_autofree char *key = join_key (where, "pattern");
  g_autoptr(GError) local_error = NULL;
  gsize length = strlen (field->pattern);
  gsize backslashes = 0;

  /* The final '$' must not be escaped: count the backslashes before it. */
  for (gsize i = length - 1; i > 0 && field->pattern[i - 1] == '\\'; i--)
    backslashes++;
  if (field->pattern[0] != '^' || length < 2 || field->pattern[length - 1] != '$' ||
      backslashes % 2 != 0)
    return fail (loader, key, "must be anchored: start with “^” and end with “$”");

  field->regex = g_regex_new (field->pattern, G_REGEX_DOLLAR_ENDONLY, 0, &local_error);
  if (field->regex == NULL)
    return fail (loader, key, "does not compile: %s", local_error->message);

  if (field->hint == NULL)
    {
      g_autofree char *hint_key = join_key (where, "hint");
      return fail (loader, hint_key, "required key is missing (pattern is set)");
    }
  return TRUE;
}

static gboolean
load_fields (HubProvider *self,
             Loader      *loader,
             JsonObject  *root)
{
  static const char * const allowed[] = {
    "id", "label", "secret", "required", "pattern", "hint", "placeholder", "suggestions",
    "max_length", NULL
  };
  JsonArray *array;

  if (!read_array (loader, root, NULL, "fields", TRUE, 1, &array))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = index_key (NULL, "fields", i);
      HubField *field = g_new0 (HubField, 1);
      JsonObject *object;
      JsonNode *node;

      g_ptr_array_add (self->fields, field);
      if (!read_object (loader, json_array_get_element (array, i), where, &object) ||
          !check_members (loader, object, where, allowed) ||
          !read_string (loader, object, where, "id", TRUE, &field->id) ||
          !read_translated (loader, object, where, "label", TRUE, &field->label) ||
          !read_boolean (loader, object, where, "secret", TRUE, FALSE, &field->secret) ||
          !read_boolean (loader, object, where, "required", TRUE, FALSE, &field->required) ||
          !read_string (loader, object, where, "pattern", FALSE, &field->pattern) ||
          !read_translated (loader, object, where, "hint", FALSE, &field->hint) ||
          !read_translated (loader, object, where, "placeholder", FALSE, &field->placeholder) ||
          !read_string_array (loader, object, where, "suggestions", &field->suggestions))
        return FALSE;

      if (!is_identifier (field->id, FALSE, "_"))
        {
          g_autofree char *key = join_key (where, "id");
          return fail (loader, key, "must be lower-case letters, digits or “_”");
        }
      if (hub_provider_get_field (self, field->id) != field)
        {
          g_autofree char *key = join_key (where, "id");
          return fail (loader, key, "duplicate field id “%s”", field->id);
        }
      if (field->pattern != NULL && !load_pattern (field, loader, where))
        return FALSE;

      node = get_member (object, "max_length");
      if (node != NULL)
        {
          g_autofree char *key = join_key (where, "max_length");
          gint64 value;

          if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
            return fail (loader, key, "must be an integer");
          value = json_node_get_int (node);
          if (value < 1 || value > LIMIT_MAX_LENGTH)
            return fail (loader, key, "must be between 1 and %d", LIMIT_MAX_LENGTH);
          field->max_length = (gsize) value;
        }
    }
  return TRUE;
}

static gboolean
load_auth (HubProvider *self,
           Loader      *loader,
           JsonObject  *root)
{
  static const char * const allowed[] = {
    "scheme", "secret_field", "id_field", "header", "token_path", "token_param",
    "token_capture", "client_type", NULL
  };
  /* Which optional keys each scheme takes (all of them required for it). */
  static const char * const bearer_keys[] = { NULL };
  static const char * const header_keys[] = { "header", NULL };
  static const char * const exchange_keys[] = { "token_path", "token_param", "token_capture", NULL };
  static const char * const hmac_keys[] = { "id_field", "client_type", NULL };
  static const char * const * const scheme_keys[] = {
    [HUB_AUTH_BEARER] = bearer_keys,
    [HUB_AUTH_HEADER] = header_keys,
    [HUB_AUTH_TOKEN_EXCHANGE] = exchange_keys,
    [HUB_AUTH_HMAC_QUERY_SIGNATURE] = hmac_keys,
  };
  HubAuth *auth = &self->auth;
  g_autofree char *scheme = NULL;
  const HubField *field;
  JsonObject *object;
  int value;

  if (!read_object (loader, get_member (root, "auth"), "auth", &object) ||
      !check_members (loader, object, "auth", allowed) ||
      !read_string (loader, object, "auth", "scheme", TRUE, &scheme))
    return FALSE;
  if (!lookup_enum (auth_schemes, G_N_ELEMENTS (auth_schemes), scheme, &value))
    return fail (loader, "auth.scheme", "unknown auth scheme “%s”", scheme);
  auth->scheme = value;

  for (guint i = 2; allowed[i] != NULL; i++)
    {
      gboolean wanted = g_strv_contains (scheme_keys[auth->scheme], allowed[i]);
      gboolean present = json_object_has_member (object, allowed[i]);

      if (present && !wanted)
        {
          g_autofree char *key = join_key ("auth", allowed[i]);
          return fail (loader, key, "not used by the “%s” scheme", scheme);
        }
    }

  if (!read_string (loader, object, "auth", "secret_field", TRUE, &auth->secret_field) ||
      !read_string (loader, object, "auth", "id_field",
                    auth->scheme == HUB_AUTH_HMAC_QUERY_SIGNATURE, &auth->id_field) ||
      !read_string (loader, object, "auth", "header",
                    auth->scheme == HUB_AUTH_HEADER, &auth->header) ||
      !read_string (loader, object, "auth", "token_path",
                    auth->scheme == HUB_AUTH_TOKEN_EXCHANGE, &auth->token_path) ||
      !read_string (loader, object, "auth", "token_param",
                    auth->scheme == HUB_AUTH_TOKEN_EXCHANGE, &auth->token_param) ||
      !read_string (loader, object, "auth", "token_capture",
                    auth->scheme == HUB_AUTH_TOKEN_EXCHANGE, &auth->token_capture) ||
      !read_string (loader, object, "auth", "client_type",
                    auth->scheme == HUB_AUTH_HMAC_QUERY_SIGNATURE, &auth->client_type))
    return FALSE;

  field = hub_provider_get_field (self, auth->secret_field);
  if (field == NULL)
    return fail (loader, "auth.secret_field", "no field has the id “%s”", auth->secret_field);
  if (!field->secret)
    return fail (loader, "auth.secret_field", "field “%s” is not secret", auth->secret_field);
  if (auth->id_field != NULL && hub_provider_get_field (self, auth->id_field) == NULL)
    return fail (loader, "auth.id_field", "no field has the id “%s”", auth->id_field);
  if (auth->id_field != NULL && g_strcmp0 (auth->id_field, auth->secret_field) == 0)
    return fail (loader, "auth.id_field", "must differ from secret_field");
  if (auth->header != NULL && !is_identifier (auth->header, TRUE, "-_"))
    return fail (loader, "auth.header", "is not a valid header name");
  if (auth->token_path != NULL &&
      (auth->token_path[0] != '/' || !is_visible_ascii (auth->token_path) ||
       strpbrk (auth->token_path, "?#{}") != NULL))
    return fail (loader, "auth.token_path", "must start with “/” and hold no query");
  if (auth->token_param != NULL && !is_identifier (auth->token_param, TRUE, "-_."))
    return fail (loader, "auth.token_param", "is not a valid query parameter name");
  if (auth->client_type != NULL && !is_visible_ascii (auth->client_type))
    return fail (loader, "auth.client_type", "must be visible ASCII without spaces");
  return TRUE;
}

static gboolean
load_captures (HubVerifyStep *step,
               Loader        *loader,
               JsonObject    *object,
               const char    *where,
               GHashTable    *known_vars)
{
  static const char * const allowed[] = {
    "var", "path", "type", "optional", "transform", "label", NULL
  };
  JsonArray *array;

  if (!read_array (loader, object, where, "captures", FALSE, 0, &array))
    return FALSE;
  if (array == NULL)
    return TRUE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *cwhere = index_key (where, "captures", i);
      g_autofree char *type = NULL;
      HubCapture *capture = g_new0 (HubCapture, 1);
      JsonObject *cobject;
      int value;

      g_ptr_array_add (step->captures, capture);
      if (!read_object (loader, json_array_get_element (array, i), cwhere, &cobject) ||
          !check_members (loader, cobject, cwhere, allowed) ||
          !read_string (loader, cobject, cwhere, "var", TRUE, &capture->var) ||
          !read_string (loader, cobject, cwhere, "path", TRUE, &capture->path) ||
          !read_string (loader, cobject, cwhere, "type", TRUE, &type) ||
          !read_boolean (loader, cobject, cwhere, "optional", FALSE, FALSE, &capture->optional) ||
          !read_string (loader, cobject, cwhere, "transform", FALSE, &capture->transform) ||
          !read_translated (loader, cobject, cwhere, "label", FALSE, &capture->label))
        return FALSE;

      if (!is_var_name (capture->var, strlen (capture->var)))
        {
          g_autofree char *key = join_key (cwhere, "var");
          return fail (loader, key, "must be letters, digits or “_”");
        }
      if (g_hash_table_contains (known_vars, capture->var))
        {
          g_autofree char *key = join_key (cwhere, "var");
          return fail (loader, key, "“%s” is captured twice", capture->var);
        }
      {
        g_auto(GStrv) segments = g_strsplit (capture->path, ".", -1);

        for (guint s = 0; segments[s] != NULL; s++)
          if (*segments[s] == '\0')
            {
              g_autofree char *key = join_key (cwhere, "path");
              return fail (loader, key, "has an empty segment");
            }
      }
      if (!lookup_enum (capture_types, G_N_ELEMENTS (capture_types), type, &value))
        {
          g_autofree char *key = join_key (cwhere, "type");
          return fail (loader, key, "unknown capture type “%s”", type);
        }
      capture->type = value;
      if (capture->transform != NULL)
        {
          g_autofree char *key = join_key (cwhere, "transform");

          if (g_strcmp0 (capture->transform, "email-domain") != 0)
            return fail (loader, key, "unknown transform “%s”", capture->transform);
          if (capture->type != HUB_CAPTURE_STRING)
            return fail (loader, key, "needs a capture of type string");
        }

      g_hash_table_insert (known_vars, g_strdup (capture->var),
                           GINT_TO_POINTER (capture->optional || step->optional
                                            ? VAR_SOMETIMES : VAR_ALWAYS));
    }
  return TRUE;
}

static gboolean
load_verify (HubProvider *self,
             Loader      *loader,
             JsonObject  *root,
             GHashTable  *known_vars)
{
  static const char * const allowed[] = {
    "name", "method", "path", "query", "optional", "captures", NULL
  };
  JsonArray *array;

  if (!read_array (loader, root, NULL, "verify", TRUE, 1, &array))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = index_key (NULL, "verify", i);
      g_autoptr(GPtrArray) path_vars = g_ptr_array_new_with_free_func (g_free);
      HubVerifyStep *step = g_new0 (HubVerifyStep, 1);
      const char *problem = NULL;
      JsonObject *object;

      step->captures = g_ptr_array_new_with_free_func (capture_free);
      g_ptr_array_add (self->verify_steps, step);
      if (!read_object (loader, json_array_get_element (array, i), where, &object) ||
          !check_members (loader, object, where, allowed) ||
          !read_string (loader, object, where, "name", TRUE, &step->name) ||
          !read_string (loader, object, where, "method", TRUE, &step->method) ||
          !read_string (loader, object, where, "path", TRUE, &step->path) ||
          !read_string (loader, object, where, "query", FALSE, &step->query) ||
          !read_boolean (loader, object, where, "optional", FALSE, FALSE, &step->optional))
        return FALSE;

      if (g_strcmp0 (step->method, "GET") != 0)
        {
          g_autofree char *key = join_key (where, "method");
          return fail (loader, key, "only GET is supported");
        }
      if (step->path[0] != '/' || !is_visible_ascii (step->path) ||
          strpbrk (step->path, "?#") != NULL ||
          !scan_template (step->path, FALSE, path_vars, NULL, &problem))
        {
          g_autofree char *key = join_key (where, "path");
          return fail (loader, key, "%s", problem != NULL ? problem
                                                          : "must start with “/” and hold no query");
        }
      /* Variables in a path come from earlier steps, and must be sure to exist. */
      for (guint v = 0; v < path_vars->len; v++)
        {
          const char *var = g_ptr_array_index (path_vars, v);

          if (GPOINTER_TO_INT (g_hash_table_lookup (known_vars, var)) != VAR_ALWAYS)
            {
              g_autofree char *key = join_key (where, "path");
              return fail (loader, key,
                           "{%s} is not a required capture of an earlier, non-optional step", var);
            }
        }
      if (step->query != NULL &&
          (!is_visible_ascii (step->query) || strpbrk (step->query, "?#{}") != NULL))
        {
          g_autofree char *key = join_key (where, "query");
          return fail (loader, key, "must be a plain query string without “?”, “#” or {var}");
        }

      if (!load_captures (step, loader, object, where, known_vars))
        return FALSE;
    }
  return TRUE;
}

static gboolean
load_identity (HubProvider *self,
               Loader      *loader,
               JsonObject  *root,
               GHashTable  *known_vars)
{
  g_autoptr(GPtrArray) vars = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) in_group = g_array_new (FALSE, FALSE, sizeof (gboolean));
  const char *problem = NULL;

  if (!read_string (loader, root, NULL, "identity", TRUE, &self->identity))
    return FALSE;
  if (!scan_template (self->identity, TRUE, vars, in_group, &problem))
    return fail (loader, "identity", "%s", problem);
  if (vars->len == 0)
    return fail (loader, "identity", "must use at least one {var}");

  for (guint i = 0; i < vars->len; i++)
    {
      const char *var = g_ptr_array_index (vars, i);
      VarPresence presence = GPOINTER_TO_INT (g_hash_table_lookup (known_vars, var));

      if (presence == 0)
        return fail (loader, "identity", "{%s} is not captured by any verify step", var);
      /* An optional value may only appear inside a group, which is then dropped. */
      if (presence != VAR_ALWAYS && !g_array_index (in_group, gboolean, i))
        return fail (loader, "identity", "{%s} may be missing: put it inside “( … )”", var);
    }
  return TRUE;
}

static gboolean
load_base_url (HubProvider *self,
               Loader      *loader,
               JsonObject  *root)
{
  g_autoptr(GPtrArray) vars = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) probe = NULL;
  const char *problem = NULL;
  gsize length;

  if (!read_string (loader, root, NULL, "base_url", TRUE, &self->base_url))
    return FALSE;
  if (!scan_template (self->base_url, FALSE, vars, NULL, &problem))
    return fail (loader, "base_url", "%s", problem);

  for (guint i = 0; i < vars->len; i++)
    {
      const char *var = g_ptr_array_index (vars, i);
      const HubField *field = hub_provider_get_field (self, var);

      if (field == NULL)
        return fail (loader, "base_url", "{%s} is not a field id", var);
      if (field->secret)
        return fail (loader, "base_url", "{%s} is a secret field", var);
    }

  /* Check the shape with every {field} replaced by a harmless label. */
  probe = g_string_new (self->base_url);
  for (guint i = 0; i < vars->len; i++)
    {
      g_autofree char *placeholder = g_strdup_printf ("{%s}", (char *) g_ptr_array_index (vars, i));
      g_string_replace (probe, placeholder, "x", 0);
    }
  length = strlen (self->base_url);
  if (!is_https_url (probe->str) || strpbrk (probe->str, "?#") != NULL ||
      self->base_url[length - 1] == '/')
    return fail (loader, "base_url", "must be an https:// URL without query or trailing “/”");
  return TRUE;
}

/* --- GObject ---------------------------------------------------------------- */

static void
hub_provider_finalize (GObject *object)
{
  HubProvider *self = HUB_PROVIDER (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->description);
  g_free (self->docs_url);
  g_free (self->rejected_hint);
  g_free (self->base_url);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->fields, g_ptr_array_unref);
  auth_clear (&self->auth);
  g_clear_pointer (&self->verify_steps, g_ptr_array_unref);
  g_free (self->identity);
  g_strfreev (self->required_scopes);

  G_OBJECT_CLASS (hub_provider_parent_class)->finalize (object);
}

static void
hub_provider_class_init (HubProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hub_provider_finalize;
}

static void
hub_provider_init (HubProvider *self)
{
  self->warnings = g_ptr_array_new_with_free_func (warning_free);
  self->steps = g_ptr_array_new_with_free_func (step_free);
  self->fields = g_ptr_array_new_with_free_func (field_free);
  self->verify_steps = g_ptr_array_new_with_free_func (verify_step_free);
}

/* --- public ------------------------------------------------------------------ */

const char *
hub_provider_get_id (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->id;
}

const char *
hub_provider_get_name (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->name;
}

const char *
hub_provider_get_description (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->description;
}

const char *
hub_provider_get_docs_url (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->docs_url;
}

const char *
hub_provider_get_rejected_hint (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->rejected_hint;
}

const char *
hub_provider_get_base_url (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->base_url;
}

GPtrArray *
hub_provider_get_warnings (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->warnings;
}

GPtrArray *
hub_provider_get_steps (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->steps;
}

GPtrArray *
hub_provider_get_fields (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->fields;
}

const HubField *
hub_provider_get_field (HubProvider *self,
                        const char  *field_id)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  g_return_val_if_fail (field_id != NULL, NULL);

  for (guint i = 0; i < self->fields->len; i++)
    {
      const HubField *field = g_ptr_array_index (self->fields, i);

      if (g_strcmp0 (field->id, field_id) == 0)
        return field;
    }
  return NULL;
}

const HubAuth *
hub_provider_get_auth (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return &self->auth;
}

GPtrArray *
hub_provider_get_verify_steps (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->verify_steps;
}

const char *
hub_provider_get_identity_template (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->identity;
}

GStrv
hub_provider_get_required_scopes (HubProvider *self)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);
  return self->required_scopes;
}

const char *
hub_warning_kind_to_string (HubWarningKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (warning_kinds), NULL);
  return warning_kinds[kind];
}

gboolean
hub_field_validate (const HubField  *field,
                    const char      *value,
                    char           **message)
{
  g_autofree char *problem = NULL;
  gsize max_length;
  gboolean blank = TRUE;
  gboolean control = FALSE;
  glong n_chars;

  g_return_val_if_fail (field != NULL, FALSE);

  if (message != NULL)
    *message = NULL;
  if (value == NULL)
    value = "";
  max_length = field->max_length > 0 ? field->max_length : DEFAULT_MAX_LENGTH;

  if (!g_utf8_validate (value, -1, NULL))
    {
      /* Translators: %s is a field label such as “API Key” */
      problem = g_strdup_printf (_("%s is not valid text. Type or paste it again."), field->label);
      goto out;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isspace (c))
        blank = FALSE;
      switch (g_unichar_type (c))
        {
        case G_UNICODE_CONTROL:
        case G_UNICODE_FORMAT:
        case G_UNICODE_LINE_SEPARATOR:
        case G_UNICODE_PARAGRAPH_SEPARATOR:
          control = TRUE;
          break;
        default:
          break;
        }
    }

  if (blank)
    {
      if (field->required)
        /* Translators: %s is a field label such as “API Key” */
        problem = g_strdup_printf (_("%s is required."), field->label);
      goto out;
    }

  if (control)
    {
      problem = g_strdup_printf (_("%s contains a line break, tab or other invisible character. "
                                   "Paste it again without it."),
                                 field->label);
      goto out;
    }

  n_chars = g_utf8_strlen (value, -1);
  if ((gsize) n_chars > max_length)
    {
      problem = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              /* Translators: %s is a field label, %u a number */
                                              "%s is too long: at most %u character is accepted.",
                                              "%s is too long: at most %u characters are accepted.",
                                              max_length),
                                 field->label, (guint) max_length);
      goto out;
    }

  if (field->regex != NULL)
    {
      g_autoptr(GMatchInfo) match_info = NULL;
      int start = -1, end = -1;

      /* The whole value must match, even for a pattern like "^a|b$". */
      if (!g_regex_match (field->regex, value, 0, &match_info) ||
          !g_match_info_fetch_pos (match_info, 0, &start, &end) ||
          start != 0 || (gsize) end != strlen (value))
        {
          if (field->hint != NULL)
            problem = g_strdup (field->hint);
          else
            /* Translators: %s is a field label such as “API Key” */
            problem = g_strdup_printf (_("%s does not have the expected format."), field->label);
        }
    }

out:
  if (problem == NULL)
    return TRUE;
  if (message != NULL)
    *message = g_steal_pointer (&problem);
  return FALSE;
}

gboolean
hub_provider_validate_values (HubProvider  *self,
                              GHashTable   *values,
                              const char  **failed_field,
                              GError      **error)
{
  g_return_val_if_fail (HUB_IS_PROVIDER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (failed_field != NULL)
    *failed_field = NULL;

  if (values != NULL)
    {
      g_autoptr(GPtrArray) unknown = g_ptr_array_new ();
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, values);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (key != NULL && hub_provider_get_field (self, key) == NULL)
          g_ptr_array_add (unknown, key);

      if (unknown->len > 0)
        {
          g_autofree char *names = NULL;

          g_ptr_array_sort (unknown, compare_strings);
          g_ptr_array_add (unknown, NULL);
          names = g_strjoinv (", ", (char **) unknown->pdata);
          g_set_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_VALUE,
                       /* Translators: first %s is a provider name, second a list of field ids */
                       _("%s has no field named %s."), self->name, names);
          return FALSE;
        }
    }

  for (guint i = 0; i < self->fields->len; i++)
    {
      const HubField *field = g_ptr_array_index (self->fields, i);
      const char *value = values != NULL ? g_hash_table_lookup (values, field->id) : NULL;
      g_autofree char *message = NULL;

      if (!hub_field_validate (field, value, &message))
        {
          if (failed_field != NULL)
            *failed_field = field->id;
          g_set_error_literal (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_VALUE, message);
          return FALSE;
        }
    }
  return TRUE;
}

char *
hub_provider_render_identity (HubProvider *self,
                              GHashTable  *vars)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (HUB_IS_PROVIDER (self), NULL);

  for (const char *p = self->identity; *p != '\0';)
    {
      if (*p == '(')
        {
          const char *close = strchr (p, ')');  /* the loader checked it is there */
          g_autoptr(GString) group = g_string_new (NULL);

          if (render_range (p, close + 1, vars, group))
            g_string_append_len (out, group->str, group->len);
          else
            while (out->len > 0 && out->str[out->len - 1] == ' ')
              g_string_truncate (out, out->len - 1);
          p = close + 1;
        }
      else
        {
          const char *next = p + strcspn (p, "(");

          render_range (p, next, vars, out);
          p = next;
        }
    }

  g_strstrip (out->str);
  if (out->str[0] == '\0')
    return NULL;
  return g_strdup (out->str);
}

HubProvider *
hub_provider_new_from_data (const char  *data,
                            gsize        length,
                            const char  *filename,
                            GError     **error)
{
  static const char * const allowed[] = {
    "id", "name", "description", "docs", "rejected_hint", "base_url", "warnings", "steps",
    "fields", "auth", "verify", "identity", "required_scopes", NULL
  };
  g_autoptr(HubProvider) self = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GHashTable) known_vars = NULL;
  g_autofree char *basename = NULL;
  Loader loader;
  JsonObject *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  basename = filename != NULL ? g_path_get_basename (filename) : g_strdup ("(provider data)");
  loader.filename = basename;
  loader.error = error;

  /* hub_json_parse scans strictly first: json-glib 1.6 overflows the stack on
   * deep nesting and accepts lone surrogates, comments and NaN. */
  document = hub_json_parse (data != NULL ? data : "", length, &local_error);
  if (document == NULL)
    {
      fail (&loader, "(document)", "not valid JSON: %s", local_error->message);
      return NULL;
    }
  if (!read_object (&loader, document, "(document)", &root) ||
      !check_members (&loader, root, NULL, allowed))
    return NULL;

  self = g_object_new (HUB_TYPE_PROVIDER, NULL);
  known_vars = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!read_string (&loader, root, NULL, "id", TRUE, &self->id))
    return NULL;
  if (!is_identifier (self->id, FALSE, "-"))
    {
      fail (&loader, "id", "must be lower-case letters, digits or “-”");
      return NULL;
    }
  if (filename != NULL)
    {
      g_autofree char *expected = g_strconcat (self->id, ".json", NULL);

      if (g_strcmp0 (basename, expected) != 0)
        {
          fail (&loader, "id", "“%s” does not match the file name", self->id);
          return NULL;
        }
    }

  if (!read_string (&loader, root, NULL, "name", TRUE, &self->name) ||
      !read_translated (&loader, root, NULL, "description", TRUE, &self->description) ||
      !read_string (&loader, root, NULL, "docs", TRUE, &self->docs_url) ||
      !read_translated (&loader, root, NULL, "rejected_hint", TRUE, &self->rejected_hint))
    return NULL;
  if (!is_https_url (self->docs_url))
    {
      fail (&loader, "docs", "must be an https:// URL");
      return NULL;
    }

  if (!load_warnings (self, &loader, root) ||
      !load_steps (self, &loader, root) ||
      !load_fields (self, &loader, root) ||
      !load_base_url (self, &loader, root) ||
      !load_auth (self, &loader, root) ||
      !load_verify (self, &loader, root, known_vars) ||
      !load_identity (self, &loader, root, known_vars) ||
      !read_string_array (&loader, root, NULL, "required_scopes", &self->required_scopes))
    return NULL;

  return g_steal_pointer (&self);
}
