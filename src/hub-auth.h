/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "hub-provider.h"

G_BEGIN_DECLS

/* The auth schemes of the catalog: small pure functions, no I/O, no logging.
 * Every string returned that holds a secret is freed with hub_auth_secret_free(). */

/* Overwrites @secret (up to its NUL) and frees it. NULL is fine. */
void     hub_auth_secret_free         (char        *secret);
/* field id → value, both strings; values are wiped when the table frees them. */
GHashTable *hub_auth_values_new       (void);
/* Overwrites @length bytes at @data; the compiler may not elide it. */
void     hub_auth_wipe                (gpointer     data,
                                       gsize        length);

/* Base64 (standard alphabet, padded) of HMAC-SHA256 with key = the bytes of
 * @key as given and message = @query exactly as sent, without "?"
 * ("" when there is no query). Unleashed's api-auth-signature. */
char    *hub_auth_hmac_signature      (const char  *key,
                                       const char  *query);

/* "Bearer <token>" (a secret: free with hub_auth_secret_free). */
char    *hub_auth_bearer_value        (const char  *token);

/* The query of a token exchange: "<param>=<url-escaped secret>" (a secret). */
char    *hub_auth_token_exchange_query (const char *param,
                                        const char *secret);

/* Adds the headers of @auth to a request whose query string is exactly
 * @query (without "?", NULL = none):
 *   bearer:               Authorization: Bearer <secret>
 *   header:               <auth->header>: <secret>
 *   token-exchange:       Authorization: Bearer <token> (the exchanged JWT)
 *   hmac-query-signature: api-auth-id: <id>, api-auth-signature, client-type,
 *                         Content-Type: application/json
 * Every scheme also sets Accept: application/json.
 * @secret is the value of auth->secret_field, @id that of auth->id_field,
 * @token the exchanged token (token-exchange only). Returns FALSE when a
 * value the scheme needs is missing. */
gboolean hub_auth_apply               (const HubAuth      *auth,
                                       SoupMessageHeaders *headers,
                                       const char         *secret,
                                       const char         *id,
                                       const char         *token,
                                       const char         *query);

G_END_DECLS
