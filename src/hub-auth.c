/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-auth"

#include "config.h"

#include "hub-auth.h"

#include <string.h>

void
hub_auth_wipe (gpointer data,
               gsize    length)
{
  volatile guchar *p = data;

  if (data == NULL)
    return;
  while (length--)
    *p++ = 0;
}

void
hub_auth_secret_free (char *secret)
{
  if (secret == NULL)
    return;
  hub_auth_wipe (secret, strlen (secret));
  g_free (secret);
}

GHashTable *
hub_auth_values_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) hub_auth_secret_free);
}

char *
hub_auth_hmac_signature (const char *key,
                         const char *query)
{
  g_autoptr(GHmac) hmac = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  char *signature;

  g_return_val_if_fail (key != NULL, NULL);

  if (query == NULL)
    query = "";

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) key, strlen (key));
  g_hmac_update (hmac, (const guchar *) query, (gssize) strlen (query));
  g_hmac_get_digest (hmac, digest, &digest_len);
  signature = g_base64_encode (digest, digest_len);
  hub_auth_wipe (digest, sizeof digest);
  return signature;
}

char *
hub_auth_bearer_value (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_strconcat ("Bearer ", token, NULL);
}

char *
hub_auth_token_exchange_query (const char *param,
                               const char *secret)
{
  char *escaped;
  char *query;

  g_return_val_if_fail (param != NULL, NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  escaped = g_uri_escape_string (secret, NULL, FALSE);
  query = g_strconcat (param, "=", escaped, NULL);
  hub_auth_secret_free (escaped);
  return query;
}

static gboolean
nonempty (const char *s)
{
  return s != NULL && *s != '\0';
}

gboolean
hub_auth_apply (const HubAuth      *auth,
                SoupMessageHeaders *headers,
                const char         *secret,
                const char         *id,
                const char         *token,
                const char         *query)
{
  g_return_val_if_fail (auth != NULL, FALSE);
  g_return_val_if_fail (headers != NULL, FALSE);

  soup_message_headers_replace (headers, "Accept", "application/json");

  switch (auth->scheme)
    {
    case HUB_AUTH_BEARER:
    case HUB_AUTH_TOKEN_EXCHANGE:
      {
        const char *credential = auth->scheme == HUB_AUTH_BEARER ? secret : token;
        char *value;

        if (!nonempty (credential))
          return FALSE;
        value = hub_auth_bearer_value (credential);
        soup_message_headers_replace (headers, "Authorization", value);
        hub_auth_secret_free (value);
        return TRUE;
      }

    case HUB_AUTH_HEADER:
      if (!nonempty (secret) || !nonempty (auth->header))
        return FALSE;
      soup_message_headers_replace (headers, auth->header, secret);
      return TRUE;

    case HUB_AUTH_HMAC_QUERY_SIGNATURE:
      {
        char *signature;

        if (!nonempty (secret) || !nonempty (id))
          return FALSE;
        signature = hub_auth_hmac_signature (secret, query != NULL ? query : "");
        soup_message_headers_replace (headers, "api-auth-id", id);
        soup_message_headers_replace (headers, "api-auth-signature", signature);
        if (nonempty (auth->client_type))
          soup_message_headers_replace (headers, "client-type", auth->client_type);
        soup_message_headers_replace (headers, "Content-Type", "application/json");
        hub_auth_secret_free (signature);
        return TRUE;
      }

    default:
      return FALSE;
    }
}
