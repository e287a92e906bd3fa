/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "hub-auth.h"

#include <string.h>

/* Vectors from docs/provider-apis.md (made-up key, computed with python3 hmac
 * and cross-checked with openssl). */
#define TEST_KEY "MADE-UP-TEST-KEY/NotReal+0123456789abcdefABCDEF=="

static void
test_hmac_vectors (void)
{
  static const struct { const char *query; const char *signature; } vectors[] = {
    { "", "mh/Mp+NmPwQ64LL9q2V/zpElo8sc6iqfTx+gRu7cMHs=" },
    { "pageSize=1", "Y/BwjnEyFsU0NY+7kBE+Vs2Tj6Iz/VzyO8VyLW+NooI=" },
    { "customerCode=ACME", "OOcYafmTx4mlxKoMYFbpnWaLnNAtw7eDvVdLrcgYQWM=" },
    { "customerCode=ACME&pageSize=1", "rTUL/F0jSKVFhr0BLle5Gqpsd1BsmfZPaHE7F8DVbxk=" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      g_autofree char *signature = hub_auth_hmac_signature (TEST_KEY, vectors[i].query);

      g_assert_cmpstr (signature, ==, vectors[i].signature);
    }
}

static void
test_hmac_null_query_is_empty (void)
{
  g_autofree char *a = hub_auth_hmac_signature (TEST_KEY, NULL);

  g_assert_cmpstr (a, ==, "mh/Mp+NmPwQ64LL9q2V/zpElo8sc6iqfTx+gRu7cMHs=");
}

static void
test_hmac_negative_vectors (void)
{
  g_autofree char *signature = hub_auth_hmac_signature (TEST_KEY, "pageSize=1");
  g_autofree char *with_question = hub_auth_hmac_signature (TEST_KEY, "?pageSize=1");

  /* Signing with the "?" is a different message … */
  g_assert_cmpstr (with_question, ==, "3cc9EeB/XRHNPIQkNV5vwPUMufc5TIKzuIl5xft5P2o=");
  /* … which the signature of the real query must not equal, and the output is
   * Base64, never hex. */
  g_assert_cmpstr (signature, !=, "3cc9EeB/XRHNPIQkNV5vwPUMufc5TIKzuIl5xft5P2o=");
  g_assert_cmpstr (signature, !=,
                   "63f0708e713216c534358fbb90113e56cd938fa233fd5cf23bc5722d6f8da282");
  g_assert_cmpuint (strlen (signature), ==, 44);
}

static void
test_hmac_sanity_vector (void)
{
  g_autofree char *signature =
    hub_auth_hmac_signature ("key", "The quick brown fox jumps over the lazy dog");

  g_assert_cmpstr (signature, ==, "97yD9DBThCSxMpjmqm+xQ+9NWaFJRhdZl0edvC0aPNg=");
}

static void
test_bearer_value (void)
{
  g_autofree char *value = hub_auth_bearer_value ("abc");

  g_assert_cmpstr (value, ==, "Bearer abc");
}

static void
test_token_exchange_query (void)
{
  char *query = hub_auth_token_exchange_query ("secret", "a b&c=d/é+");

  g_assert_cmpstr (query, ==, "secret=a%20b%26c%3Dd%2F%C3%A9%2B");
  hub_auth_secret_free (query);
}

static void
test_wipe (void)
{
  char buffer[] = "supersecret";

  hub_auth_wipe (buffer, strlen (buffer));
  for (gsize i = 0; i < sizeof buffer; i++)
    g_assert_cmpint (buffer[i], ==, 0);
  hub_auth_secret_free (NULL);
}

static SoupMessageHeaders *
new_headers (void)
{
  return soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
}

static void
test_apply_bearer (void)
{
  HubAuth auth = { .scheme = HUB_AUTH_BEARER, .secret_field = (char *) "api_token" };
  SoupMessageHeaders *headers = new_headers ();

  g_assert_true (hub_auth_apply (&auth, headers, "tok", NULL, NULL, NULL));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==, "Bearer tok");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Accept"), ==, "application/json");
  soup_message_headers_unref (headers);

  headers = new_headers ();
  g_assert_false (hub_auth_apply (&auth, headers, "", NULL, NULL, NULL));
  g_assert_false (hub_auth_apply (&auth, headers, NULL, NULL, NULL, NULL));
  soup_message_headers_unref (headers);
}

static void
test_apply_header (void)
{
  HubAuth auth = { .scheme = HUB_AUTH_HEADER, .secret_field = (char *) "api_key",
                   .header = (char *) "X-SmartToken" };
  SoupMessageHeaders *headers = new_headers ();

  g_assert_true (hub_auth_apply (&auth, headers, "key1", NULL, NULL, NULL));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "X-SmartToken"), ==, "key1");
  g_assert_null (soup_message_headers_get_one (headers, "Authorization"));
  soup_message_headers_unref (headers);
}

static void
test_apply_token_exchange (void)
{
  HubAuth auth = { .scheme = HUB_AUTH_TOKEN_EXCHANGE, .secret_field = (char *) "secret",
                   .token_path = (char *) "/token", .token_param = (char *) "secret",
                   .token_capture = (char *) "token" };
  SoupMessageHeaders *headers = new_headers ();

  /* The secret itself never goes into a header: only the exchanged token. */
  g_assert_false (hub_auth_apply (&auth, headers, "s3cret", NULL, NULL, NULL));
  g_assert_true (hub_auth_apply (&auth, headers, "s3cret", NULL, "jwt.a.b", NULL));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Authorization"), ==, "Bearer jwt.a.b");
  soup_message_headers_unref (headers);
}

static void
test_apply_hmac (void)
{
  HubAuth auth = { .scheme = HUB_AUTH_HMAC_QUERY_SIGNATURE, .secret_field = (char *) "api_key",
                   .id_field = (char *) "api_id", .client_type = (char *) "connecthub/connecthub" };
  SoupMessageHeaders *headers = new_headers ();

  g_assert_true (hub_auth_apply (&auth, headers, TEST_KEY, "the-id", NULL, "pageSize=1"));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "api-auth-id"), ==, "the-id");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "api-auth-signature"), ==,
                   "Y/BwjnEyFsU0NY+7kBE+Vs2Tj6Iz/VzyO8VyLW+NooI=");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "client-type"), ==,
                   "connecthub/connecthub");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Accept"), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==, "application/json");
  g_assert_null (soup_message_headers_get_one (headers, "Authorization"));
  soup_message_headers_unref (headers);

  headers = new_headers ();
  g_assert_true (hub_auth_apply (&auth, headers, TEST_KEY, "the-id", NULL, NULL));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "api-auth-signature"), ==,
                   "mh/Mp+NmPwQ64LL9q2V/zpElo8sc6iqfTx+gRu7cMHs=");
  g_assert_false (hub_auth_apply (&auth, headers, TEST_KEY, NULL, NULL, NULL));
  soup_message_headers_unref (headers);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hub/auth/hmac/vectors", test_hmac_vectors);
  g_test_add_func ("/hub/auth/hmac/null-query", test_hmac_null_query_is_empty);
  g_test_add_func ("/hub/auth/hmac/negative", test_hmac_negative_vectors);
  g_test_add_func ("/hub/auth/hmac/sanity", test_hmac_sanity_vector);
  g_test_add_func ("/hub/auth/bearer-value", test_bearer_value);
  g_test_add_func ("/hub/auth/token-exchange-query", test_token_exchange_query);
  g_test_add_func ("/hub/auth/wipe", test_wipe);
  g_test_add_func ("/hub/auth/apply/bearer", test_apply_bearer);
  g_test_add_func ("/hub/auth/apply/header", test_apply_header);
  g_test_add_func ("/hub/auth/apply/token-exchange", test_apply_token_exchange);
  g_test_add_func ("/hub/auth/apply/hmac", test_apply_hmac);

  return g_test_run ();
}
