/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>

#include "hub-account-row.h"
#include "hub-auth.h"
#include "hub-catalog.h"
#include "hub-status-pill.h"
#include "hub-ui-util.h"

/* The account row and its status pill: what they say for every state, that they
 * follow the account's changes, and that they are freed. Needs a display
 * (run under build-aux/run-headless.sh --x11). */

static HubAccount *
new_account (void)
{
  HubAccount *account = hub_account_new ("0b7c2f4e-1111-4222-8333-944445555666", "unleashed");

  hub_account_set_label (account, "Acme NZ");
  hub_account_set_identity (account, "Acme Trading Ltd (NZD)");
  return account;
}

static void
test_pill_states (void)
{
  g_autoptr(HubAccount) account = new_account ();
  GtkWidget *pill = g_object_ref_sink (hub_status_pill_new ());
  struct {
    HubAccountStatus status;
    gboolean locked;
    gboolean missing;
    const char *text;
    const char *style;
    gboolean attention;
  } cases[] = {
    { HUB_ACCOUNT_STATUS_UNCHECKED, FALSE, FALSE, "Not checked", "dim-label", FALSE },
    { HUB_ACCOUNT_STATUS_CONNECTED, FALSE, FALSE, "Connected", "success", FALSE },
    { HUB_ACCOUNT_STATUS_REJECTED, FALSE, FALSE, "Needs relink", "error", TRUE },
    { HUB_ACCOUNT_STATUS_ERROR, FALSE, FALSE, "Check failed", "warning", TRUE },
    /* Keyring states win over the last check's result. */
    { HUB_ACCOUNT_STATUS_CONNECTED, TRUE, FALSE, "Keyring locked", "warning", TRUE },
    { HUB_ACCOUNT_STATUS_CONNECTED, FALSE, TRUE, "Secret missing", "error", TRUE },
  };

  g_assert_false (gtk_widget_get_visible (pill));
  hub_status_pill_set_account (HUB_STATUS_PILL (pill), account);
  g_assert_true (gtk_widget_get_visible (pill));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* Changing the account is enough: the pill follows its notifications. */
      hub_account_set_keyring_locked (account, cases[i].locked);
      hub_account_set_secret_missing (account, cases[i].missing);
      hub_account_set_status (account, cases[i].status);

      g_assert_cmpstr (hub_status_pill_get_text (HUB_STATUS_PILL (pill)), ==, cases[i].text);
      g_assert_true (gtk_widget_has_css_class (pill, cases[i].style));
      g_assert_cmpint (hub_account_needs_attention (account), ==, cases[i].attention);

      /* Only the current state's style class is set. */
      for (guint j = 0; j < G_N_ELEMENTS (cases); j++)
        if (g_strcmp0 (cases[j].style, cases[i].style) != 0)
          g_assert_false (gtk_widget_has_css_class (pill, cases[j].style));
    }

  hub_status_pill_set_account (HUB_STATUS_PILL (pill), NULL);
  g_assert_false (gtk_widget_get_visible (pill));
  g_assert_finalize_object (pill);
}

static void
test_row_text (void)
{
  g_autoptr(HubAccount) account = new_account ();
  HubProvider *provider = hub_catalog_lookup (hub_catalog_get_default (), "unleashed");
  GtkWidget *row;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) earlier = g_date_time_add_minutes (now, -5);
  const char *subtitle;

  g_assert_nonnull (provider);
  row = g_object_ref_sink (hub_account_row_new (account, provider));

  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Acme NZ");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_assert_cmpstr (subtitle, ==, "Unleashed · Acme Trading Ltd (NZD) · never checked");

  hub_account_set_checked_at (account, earlier);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Unleashed · Acme Trading Ltd (NZD) · checked 5 minutes ago");

  /* A label that is the identity is not repeated in the subtitle. */
  hub_account_set_label (account, "Acme Trading Ltd (NZD)");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "Acme Trading Ltd (NZD)");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Unleashed · checked 5 minutes ago");

  /* Markup in a label is shown as text. */
  hub_account_set_label (account, "R&D <ops>");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "R&D <ops>");
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (row)));

  g_assert_true (hub_account_row_get_account (HUB_ACCOUNT_ROW (row)) == account);
  g_assert_finalize_object (row);
}

/* A list view recycles rows: a rebound row shows the new account and no longer
 * follows the old one, and an unbound row shows nothing. */
static void
test_row_rebind (void)
{
  g_autoptr(HubAccount) first = new_account ();
  g_autoptr(HubAccount) second = hub_account_new ("5d1e2f30-2222-4333-8444-a55556666777",
                                                  "humaans");
  HubCatalog *catalog = hub_catalog_get_default ();
  HubAccountRow *row;

  hub_account_set_label (second, "People team");
  hub_account_set_identity (second, "Example GmbH");
  hub_account_set_status (second, HUB_ACCOUNT_STATUS_CONNECTED);

  row = HUB_ACCOUNT_ROW (g_object_ref_sink (g_object_new (HUB_TYPE_ACCOUNT_ROW, NULL)));
  g_assert_null (hub_account_row_get_account (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "");

  hub_account_row_set_account (row, first, hub_catalog_lookup (catalog, "unleashed"));
  g_assert_true (hub_account_row_get_account (row) == first);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Acme NZ");

  hub_account_row_set_account (row, second, hub_catalog_lookup (catalog, "humaans"));
  g_assert_true (hub_account_row_get_account (row) == second);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "People team");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "Humaans · Example GmbH · never checked");

  /* The account shown before no longer changes the row. */
  hub_account_set_label (first, "Renamed elsewhere");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "People team");
  hub_account_set_label (second, "People & culture");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==,
                   "People & culture");

  hub_account_row_set_account (row, NULL, NULL);
  g_assert_null (hub_account_row_get_account (row));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "");
  hub_account_set_label (second, "After unbind");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "");

  /* Neither account keeps a handler pointing at the row. */
  g_assert_cmpuint (g_signal_handlers_disconnect_matched (first, G_SIGNAL_MATCH_DATA, 0, 0,
                                                          NULL, NULL, row), ==, 0);
  g_assert_cmpuint (g_signal_handlers_disconnect_matched (second, G_SIGNAL_MATCH_DATA, 0, 0,
                                                          NULL, NULL, row), ==, 0);
  g_assert_finalize_object (row);
}

static HubStatusPill *
find_pill (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      HubStatusPill *pill = HUB_IS_STATUS_PILL (child) ? HUB_STATUS_PILL (child)
                                                       : find_pill (child);

      if (pill != NULL)
        return pill;
    }

  return NULL;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* The avatar, pill and chevron are built only once a row is shown: a list view
 * keeps many rows that are never on screen. */
static void
test_row_decorations_when_shown (void)
{
  g_autoptr(HubAccount) account = new_account ();
  HubProvider *provider = hub_catalog_lookup (hub_catalog_get_default (), "unleashed");
  GtkWidget *window = gtk_window_new ();
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = hub_account_row_new (account, provider);
  gboolean timed_out = FALSE;
  guint timeout_id;
  HubStatusPill *pill;

  g_object_ref (row);
  g_assert_null (find_pill (row));

  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));

  timeout_id = g_timeout_add_seconds (5, timeout_cb, &timed_out);
  while (find_pill (row) == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);

  /* The pill built late still follows the account. */
  pill = find_pill (row);
  hub_account_set_status (account, HUB_ACCOUNT_STATUS_CONNECTED);
  g_assert_cmpstr (hub_status_pill_get_text (pill), ==, "Connected");
  hub_account_set_status (account, HUB_ACCOUNT_STATUS_REJECTED);
  g_assert_cmpstr (hub_status_pill_get_text (pill), ==, "Needs relink");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (row);
}

static void
test_relative_time (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  struct {
    int minutes;
    const char *text;
  } cases[] = {
    { 0, "just now" },
    { -1, "1 minute ago" },
    { -59, "59 minutes ago" },
    { -60, "1 hour ago" },
    { -23 * 60, "23 hours ago" },
    { -25 * 60, "yesterday" },
    { -3 * 24 * 60, "3 days ago" },
    { 10, "just now" },  /* a clock running ahead is not "in 10 minutes" */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_minutes (now, cases[i].minutes);
      g_autofree char *text = hub_format_relative_time (when);

      g_assert_cmpstr (text, ==, cases[i].text);
    }

  {
    g_autofree char *never = hub_format_relative_time (NULL);

    g_assert_cmpstr (never, ==, "never");
  }
}

static void
test_values_wiped (void)
{
  g_autoptr(GHashTable) values = hub_auth_values_new ();
  HubProvider *provider = hub_catalog_lookup (hub_catalog_get_default (), "unleashed");
  g_autofree char *secret_label = hub_provider_dup_secret_label (provider);

  g_hash_table_insert (values, g_strdup ("api_key"), g_strdup ("secret"));
  g_hash_table_replace (values, g_strdup ("api_key"), g_strdup ("other"));
  g_assert_cmpstr (g_hash_table_lookup (values, "api_key"), ==, "other");

  /* The remove confirmation names the secret as the provider does. */
  g_assert_cmpstr (secret_label, ==, "API Key");
  g_assert_cmpstr (hub_provider_find_capture_label (provider, "company"), ==, "Company");
  g_assert_null (hub_provider_find_capture_label (provider, "no-such-var"));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      g_printerr ("No display: run under build-aux/run-headless.sh --x11\n");
      return 1;
    }
  adw_init ();

  g_test_add_func ("/hub/account-row/pill-states", test_pill_states);
  g_test_add_func ("/hub/account-row/row-text", test_row_text);
  g_test_add_func ("/hub/account-row/rebind", test_row_rebind);
  g_test_add_func ("/hub/account-row/decorations-when-shown", test_row_decorations_when_shown);
  g_test_add_func ("/hub/account-row/relative-time", test_relative_time);
  g_test_add_func ("/hub/account-row/values-and-labels", test_values_wiped);

  return g_test_run ();
}
