/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "bench-json"

#include "config.h"

#include "hub-json.h"

#include "bench.h"

/* What safe JSON costs: hub_json_parse (strict pre-scan: UTF-8, depth,
 * number ranges; then json-glib) against json_parser_load_from_data alone,
 * on provider answers of 1 KiB, 100 KiB and 1 MiB (the body cap). The
 * answers are shaped like Unleashed's /Companies: an "Items" array of
 * company records with non-ASCII names, numbers, nulls and nested objects. */

typedef struct
{
  char  *data;
  gsize  length;
} Document;

static void
append_company (GString *s,
                guint    i)
{
  g_string_append_printf (s,
    "{\"Guid\":\"2f6e1a4c-3b2d-4c5e-8f9a-%012u\","
    "\"CompanyName\":\"Acme Trading Ltd — Zweigstelle Zürich %u\","
    "\"BaseCurrencyCode\":\"NZD\",\"DefaultLanguage\":\"en\",\"Country\":\"New Zealand\","
    "\"GstVatNumber\":null,\"Active\":true,\"CreditLimit\":%u.25,\"Rating\":-1.5e-3,"
    "\"Address\":{\"Street\":\"%u Queen Street\",\"City\":\"Auckland\",\"PostCode\":\"1010\"},"
    "\"Tags\":[\"wholesale\",\"\\u00e9t\\u00e9\",\"\\ud83d\\ude80\"],\"LastModifiedOn\":"
    "\"\\/Date(1700000000000)\\/\"}",
    i, i, i * 100, i);
}

static gpointer
make_document (gsize target)
{
  Document *document = g_new0 (Document, 1);
  GString *s = g_string_new ("{\"Pagination\":{\"NumberOfItems\":0,\"PageSize\":200,"
                             "\"PageNumber\":1,\"NumberOfPages\":1},\"Items\":[");

  for (guint i = 0; s->len < target - 600; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      append_company (s, i);
    }
  g_string_append (s, "]}");
  g_assert_cmpuint (s->len, <=, target);
  g_assert_true (hub_json_check (s->str, s->len, NULL));
  document->length = s->len;
  document->data = g_string_free (s, FALSE);
  return document;
}

static gpointer setup_1k (void) { return make_document (1024); }
static gpointer setup_100k (void) { return make_document (100 * 1024); }
static gpointer setup_1m (void) { return make_document (1024 * 1024); }

static void
teardown (gpointer state)
{
  Document *document = state;

  g_free (document->data);
  g_free (document);
}

static void
run_strict (gpointer state)
{
  Document *document = state;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = hub_json_parse (document->data, document->length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
}

static void
run_check (gpointer state)
{
  Document *document = state;

  g_assert_true (hub_json_check (document->data, document->length, NULL));
}

static void
run_json_glib (gpointer state)
{
  Document *document = state;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, document->data, (gssize) document->length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
}

/* What the verifier does with an answer: parse, then capture values. */
static void
run_strict_capture (gpointer state)
{
  Document *document = state;
  g_autoptr(JsonNode) root = hub_json_parse (document->data, document->length, NULL);
  g_autofree char *name = hub_json_dup_string (root, "Items.0.CompanyName", NULL);
  g_autofree char *currency = hub_json_dup_string (root, "Items.0.BaseCurrencyCode", NULL);

  g_assert_nonnull (name);
  g_assert_nonnull (currency);
}

#define DOC_CASES(size) \
  { "json-glib-" #size, NULL, setup_##size, run_json_glib, NULL, NULL, NULL, teardown }, \
  { "json-strict-" #size, "json-glib-" #size, setup_##size, run_strict, NULL, NULL, NULL, teardown }, \
  { "json-check-" #size, "json-glib-" #size, setup_##size, run_check, NULL, NULL, NULL, teardown }

static const HubBenchCase cases[] = {
  DOC_CASES (1k),
  DOC_CASES (100k),
  DOC_CASES (1m),
  { "json-strict-capture-100k", "json-glib-100k", setup_100k, run_strict_capture,
    NULL, NULL, NULL, teardown },
};

int
main (int   argc,
      char *argv[])
{
  return hub_bench_main (argc, argv, cases, G_N_ELEMENTS (cases));
}
