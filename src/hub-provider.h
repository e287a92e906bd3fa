/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A provider of the catalog: what the page shows (warnings, steps, fields) and
 * the recipe the verifier runs (auth scheme, steps, captures, identity template).
 * Everything here is immutable after loading; structs are owned by the provider
 * and borrowed by callers. User-visible strings are already translated. */

typedef enum
{
  HUB_WARNING_ADMIN,
  HUB_WARNING_SHOWN_ONCE,
  HUB_WARNING_FULL_ACCESS,
  HUB_WARNING_REGION,
  HUB_WARNING_SCOPES,
  HUB_WARNING_PAID,
} HubWarningKind;

typedef struct
{
  HubWarningKind  kind;
  char           *text;
} HubWarning;

typedef struct
{
  char *text;
  char *link;          /* nullable: https URL */
  char *link_label;    /* nullable */
} HubStep;

typedef struct
{
  char      *id;           /* contract: DESIGN.md field ids */
  char      *label;
  gboolean   secret;
  gboolean   required;
  char      *pattern;      /* nullable: anchored regex, compiled below */
  GRegex    *regex;        /* nullable */
  char      *hint;         /* shown when the value does not match */
  char      *placeholder;  /* nullable */
  GStrv      suggestions;  /* nullable, NULL-terminated */
  gsize      max_length;   /* 0 = default (4096) */
} HubField;

typedef enum
{
  HUB_AUTH_BEARER,                /* Authorization: Bearer <secret_field> */
  HUB_AUTH_HEADER,                /* <header>: <secret_field> */
  HUB_AUTH_TOKEN_EXCHANGE,        /* GET <token_path>?<token_param>=<secret>, capture <token_capture>, then Bearer */
  HUB_AUTH_HMAC_QUERY_SIGNATURE,  /* api-auth-id, api-auth-signature, client-type */
} HubAuthScheme;

typedef struct
{
  HubAuthScheme  scheme;
  char          *secret_field;   /* field id holding the credential (hmac: the key) */
  char          *id_field;       /* hmac: field id of the API id; else NULL */
  char          *header;         /* header scheme: header name; else NULL */
  char          *token_path;     /* token-exchange: e.g. "/token" */
  char          *token_param;    /* token-exchange: query parameter name, e.g. "secret" */
  char          *token_capture;  /* token-exchange: JSON path of the token, e.g. "token" */
  char          *client_type;    /* hmac: value of the client-type header */
} HubAuth;

typedef enum
{
  HUB_CAPTURE_STRING,        /* non-empty string without NUL */
  HUB_CAPTURE_INTEGER,       /* JSON integer within int64 */
  HUB_CAPTURE_STRING_ARRAY,  /* array of strings (e.g. scopes) */
} HubCaptureType;

typedef struct
{
  char           *var;        /* variable name, used as {var} in paths and templates */
  char           *path;       /* dotted JSON path: "Items.0.CompanyName" */
  HubCaptureType  type;
  gboolean        optional;   /* a missing value is not an error */
  char           *transform;  /* nullable: "email-domain" */
  char           *label;      /* nullable: translated label for the details view */
} HubCapture;

typedef struct
{
  char       *name;          /* for logs: "companies" */
  char       *method;        /* "GET" */
  char       *path;          /* may contain {var} of earlier captures: "/companies/{companyId}" */
  char       *query;         /* nullable: exact query string sent, without "?" */
  gboolean    optional;      /* a 404 (or 403 when allow_forbidden) skips the step */
  GPtrArray  *captures;      /* element-type HubCapture */
} HubVerifyStep;

#define HUB_TYPE_PROVIDER (hub_provider_get_type ())
G_DECLARE_FINAL_TYPE (HubProvider, hub_provider, HUB, PROVIDER, GObject)

const char          *hub_provider_get_id               (HubProvider  *self);
const char          *hub_provider_get_name             (HubProvider  *self);
const char          *hub_provider_get_description      (HubProvider  *self);
const char          *hub_provider_get_docs_url         (HubProvider  *self);
/* "Create an API secret in Settings → Integrations…": what to do when rejected */
const char          *hub_provider_get_rejected_hint    (HubProvider  *self);
const char          *hub_provider_get_base_url         (HubProvider  *self);
GPtrArray           *hub_provider_get_warnings         (HubProvider  *self);  /* HubWarning */
GPtrArray           *hub_provider_get_steps            (HubProvider  *self);  /* HubStep */
GPtrArray           *hub_provider_get_fields           (HubProvider  *self);  /* HubField */
const HubField      *hub_provider_get_field            (HubProvider  *self,
                                                        const char   *field_id);
const HubAuth       *hub_provider_get_auth             (HubProvider  *self);
GPtrArray           *hub_provider_get_verify_steps     (HubProvider  *self);  /* HubVerifyStep */
const char          *hub_provider_get_identity_template (HubProvider *self);
GStrv                hub_provider_get_required_scopes  (HubProvider  *self);  /* nullable */

/* Checks one value against the field's rules (required, length, pattern,
 * no control characters). Returns TRUE when valid; otherwise sets
 * @message (translated hint, owned) when non-NULL. */
gboolean             hub_field_validate                (const HubField *field,
                                                        const char     *value,
                                                        char          **message);

/* Checks every field of @values (field id → value). On failure sets
 * HUB_VERIFY_ERROR_INVALID_INPUT-like error in HUB_CATALOG_ERROR domain
 * (HUB_CATALOG_ERROR_INVALID_VALUE) and @failed_field (borrowed field id). */
gboolean             hub_provider_validate_values      (HubProvider   *self,
                                                        GHashTable    *values,
                                                        const char   **failed_field,
                                                        GError       **error);

/* Loads and validates one provider JSON document; errors name @filename and the key. */
HubProvider         *hub_provider_new_from_data        (const char   *data,
                                                        gsize         length,
                                                        const char   *filename,
                                                        GError      **error);

const char          *hub_warning_kind_to_string        (HubWarningKind kind);

/* Renders the identity template with @vars (capture var → string value; integers
 * in decimal). A parenthesised group whose {var} is missing or empty is dropped
 * together with the space before it: "{company} ({currency})" → "Acme".
 * Returns NULL when nothing is left. See data/providers/README.md. */
char                *hub_provider_render_identity      (HubProvider   *self,
                                                        GHashTable    *vars);

G_END_DECLS
