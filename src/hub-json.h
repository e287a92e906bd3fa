/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Safe JSON for answers from the network.
 *
 * json-glib 1.6 is lenient (NaN, comments, single quotes, two documents,
 * 2^63 wrapping to INT64_MIN, 1e400 → inf) and overflows the stack on deep
 * nesting, so every document is first checked by a strict RFC 8259 scanner:
 * valid UTF-8, no NUL byte (nor a \u0000 escape, nor a lone surrogate), no
 * leading BOM, exactly one value, depth ≤ HUB_JSON_MAX_DEPTH, every integer
 * literal within int64 and every number finite. Only then does json-glib
 * build the tree. */

#define HUB_JSON_MAX_DEPTH 64

#define HUB_JSON_ERROR (hub_json_error_quark ())

typedef enum
{
  HUB_JSON_ERROR_INVALID,     /* not strict RFC 8259 JSON in valid UTF-8 */
  HUB_JSON_ERROR_TOO_DEEP,    /* nesting deeper than HUB_JSON_MAX_DEPTH */
  HUB_JSON_ERROR_NUMBER,      /* integer outside int64 or non-finite number */
  HUB_JSON_ERROR_NOT_FOUND,   /* a dotted path does not exist */
  HUB_JSON_ERROR_WRONG_TYPE,  /* the value at a path has the wrong type */
} HubJsonError;

GQuark      hub_json_error_quark        (void);

/* Strict check only; no tree is built. Error messages are technical (not
 * translated) and never quote the document. */
gboolean    hub_json_check              (const char  *data,
                                         gsize        length,
                                         GError     **error);

/* hub_json_check, then json-glib. Returns the root node (owned). */
JsonNode   *hub_json_parse              (const char  *data,
                                         gsize        length,
                                         GError     **error);

/* Dotted path lookup: "Items.0.CompanyName", "data.company.name".
 * A segment of digits indexes an array; otherwise it names an object member.
 * The empty path is the root. Returns a borrowed node or NULL. */
JsonNode   *hub_json_lookup             (JsonNode    *root,
                                         const char  *path);

/* Typed extraction. A missing path gives HUB_JSON_ERROR_NOT_FOUND (so a caller
 * can treat optional values), a present value of the wrong type
 * HUB_JSON_ERROR_WRONG_TYPE. */

/* A non-empty string without NUL. */
char       *hub_json_dup_string         (JsonNode    *root,
                                         const char  *path,
                                         GError     **error);
/* A JSON integer (no fraction, no exponent) within int64. */
gboolean    hub_json_get_int64          (JsonNode    *root,
                                         const char  *path,
                                         gint64      *out_value,
                                         GError     **error);
/* An array whose elements are all strings (may be empty). */
GStrv       hub_json_dup_string_array   (JsonNode    *root,
                                         const char  *path,
                                         GError     **error);

G_END_DECLS
