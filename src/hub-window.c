/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-window"

#include "config.h"

#include <glib/gi18n.h>

#include "hub-window.h"
#include "hub-account-page.h"
#include "hub-account-row.h"
#include "hub-connect-dialog.h"
#include "hub-ui-util.h"

#define REFRESH_INTERVAL_SECONDS 60
#define ACCOUNTS_MAX_HEIGHT 480  /* px: about seven rows, then the list scrolls */

typedef enum
{
  STATUS_FILTER_ALL,
  STATUS_FILTER_CONNECTED,
  STATUS_FILTER_ATTENTION,
} StatusFilter;

typedef enum
{
  SORT_BY_PROVIDER,
  SORT_BY_CHECKED,
} SortOrder;

struct _HubWindow
{
  AdwApplicationWindow  parent_instance;

  HubCatalog           *catalog;        /* owned */
  HubAccountStore      *accounts;       /* owned */
  GCancellable         *cancellable;    /* owned: cancelled in dispose */

  GtkFilterListModel   *account_filter_model;
  GtkSortListModel     *account_sort_model;
  GtkCustomFilter      *account_filter;
  GtkCustomSorter      *account_sorter;
  GtkFilterListModel   *provider_filter_model;
  GtkCustomFilter      *provider_filter;
  char                 *search_text;    /* casefolded, nullable */
  guint                 refresh_id;
  guint                 fit_id;
  gboolean              disposed;     /* late async results must not touch anything */
  GdkFrameClock        *frame_clock;    /* while realized */
  gulong                layout_id;

  /* Check All */
  GPtrArray            *check_queue;    /* HubAccount, owned */
  guint                 check_total;
  guint                 check_failed;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkWidget            *list_page;
  GtkButton            *check_all_button;
  AdwSqueezer          *check_all_squeezer;
  GtkWidget            *check_all_content;
  GtkSpinner           *check_all_spinner;
  GtkSearchEntry       *search_entry;
  GtkWidget            *accounts_header;
  GtkWidget            *accounts_title;
  GtkWidget            *accounts_filters;
  GtkDropDown          *status_dropdown;
  GtkDropDown          *sort_dropdown;
  GtkScrolledWindow    *page_scroller;
  GtkScrolledWindow    *accounts_scroller;
  GtkListView          *accounts_view;
  GtkListBox           *providers_list;
  HubAccountPage       *account_page;
  GtkLabel             *accounts_placeholder;
  GtkLabel             *providers_placeholder;
};

G_DEFINE_FINAL_TYPE (HubWindow, hub_window, ADW_TYPE_APPLICATION_WINDOW)

enum { PROP_0, PROP_CATALOG, PROP_ACCOUNTS, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void check_next_account (HubWindow *self);

/* Helpers */

static gboolean
text_matches (const char *needle,
              const char *haystack)
{
  g_autofree char *folded = NULL;

  if (haystack == NULL)
    return FALSE;

  folded = g_utf8_casefold (haystack, -1);
  return strstr (folded, needle) != NULL;
}

static HubProvider *
lookup_provider (HubWindow  *self,
                 HubAccount *account)
{
  return hub_catalog_lookup (self->catalog, hub_account_get_provider_id (account));
}

static gboolean
account_filter_func (gpointer item,
                     gpointer user_data)
{
  HubWindow *self = user_data;
  HubAccount *account = item;
  guint status_filter = gtk_drop_down_get_selected (self->status_dropdown);

  if (status_filter == STATUS_FILTER_CONNECTED &&
      (hub_account_get_status (account) != HUB_ACCOUNT_STATUS_CONNECTED ||
       hub_account_needs_attention (account)))
    return FALSE;

  if (status_filter == STATUS_FILTER_ATTENTION && !hub_account_needs_attention (account))
    return FALSE;

  if (self->search_text != NULL)
    {
      HubProvider *provider = lookup_provider (self, account);

      return text_matches (self->search_text, hub_account_get_label (account)) ||
             text_matches (self->search_text, hub_account_get_identity (account)) ||
             (provider != NULL &&
              text_matches (self->search_text, hub_provider_get_name (provider)));
    }

  return TRUE;
}

static int
compare_times_descending (GDateTime *a,
                          GDateTime *b)
{
  if (a == NULL && b == NULL)
    return 0;
  if (a == NULL)
    return 1;
  if (b == NULL)
    return -1;

  return -g_date_time_compare (a, b);
}

static int
account_sort_func (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  HubWindow *self = user_data;
  HubAccount *account_a = (HubAccount *) a;
  HubAccount *account_b = (HubAccount *) b;
  int result = 0;

  if (gtk_drop_down_get_selected (self->sort_dropdown) == SORT_BY_CHECKED)
    result = compare_times_descending (hub_account_get_checked_at (account_a),
                                       hub_account_get_checked_at (account_b));

  if (result == 0)
    {
      HubProvider *pa = lookup_provider (self, account_a);
      HubProvider *pb = lookup_provider (self, account_b);

      const char *name_a = pa != NULL ? hub_provider_get_name (pa)
                                      : hub_account_get_provider_id (account_a);
      const char *name_b = pb != NULL ? hub_provider_get_name (pb)
                                      : hub_account_get_provider_id (account_b);

      result = g_utf8_collate (name_a, name_b);
    }

  if (result == 0)
    {
      const char *label_a = hub_account_get_label (account_a);
      const char *label_b = hub_account_get_label (account_b);

      result = g_utf8_collate (label_a != NULL ? label_a : "", label_b != NULL ? label_b : "");
    }

  return result;
}

static gboolean
provider_filter_func (gpointer item,
                      gpointer user_data)
{
  HubWindow *self = user_data;
  HubProvider *provider = item;

  if (self->search_text == NULL)
    return TRUE;

  return text_matches (self->search_text, hub_provider_get_name (provider)) ||
         text_matches (self->search_text, hub_provider_get_description (provider));
}

/* Linked Accounts rows: the list view keeps only the visible rows and rebinds
 * them as it scrolls. The list item (GtkListItemWidget) takes the focus and is
 * what a screen reader reads, so it is named after the row; the row inside is
 * a plain group that neither takes focus nor activates on its own. */

static void
name_list_item (HubAccountRow *row)
{
  GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (row));
  const char *subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));

  if (item == NULL)
    return;

  gtk_accessible_update_property (GTK_ACCESSIBLE (item),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  subtitle != NULL ? subtitle : "",
                                  -1);
}

static void
account_row_text_cb (HubAccountRow *row)
{
  name_list_item (row);
}

static void
account_item_setup_cb (HubWindow                *self,
                       GtkListItem              *list_item,
                       GtkSignalListItemFactory *factory)
{
  GtkWidget *row = g_object_new (HUB_TYPE_ACCOUNT_ROW,
                                 "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                                 "activatable", FALSE,
                                 "focusable", FALSE,
                                 NULL);

  g_signal_connect (row, "notify::title", G_CALLBACK (account_row_text_cb), NULL);
  g_signal_connect (row, "notify::subtitle", G_CALLBACK (account_row_text_cb), NULL);
  gtk_list_item_set_child (list_item, row);
}

static void
account_item_bind_cb (HubWindow                *self,
                      GtkListItem              *list_item,
                      GtkSignalListItemFactory *factory)
{
  HubAccountRow *row = HUB_ACCOUNT_ROW (gtk_list_item_get_child (list_item));
  HubAccount *account = gtk_list_item_get_item (list_item);

  hub_account_row_set_account (row, account, lookup_provider (self, account));
  name_list_item (row);
}

static void
account_item_unbind_cb (HubWindow                *self,
                        GtkListItem              *list_item,
                        GtkSignalListItemFactory *factory)
{
  HubAccountRow *row = HUB_ACCOUNT_ROW (gtk_list_item_get_child (list_item));

  hub_account_row_set_account (row, NULL, NULL);
}

/* The account rows the list view has built (only the visible ones, roughly). */
static GPtrArray *
list_account_rows (HubWindow *self)
{
  GPtrArray *rows = g_ptr_array_new ();

  for (GtkWidget *item = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_view));
       item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *row = gtk_widget_get_first_child (item);

      if (row != NULL && HUB_IS_ACCOUNT_ROW (row) &&
          hub_account_row_get_account (HUB_ACCOUNT_ROW (row)) != NULL)
        g_ptr_array_add (rows, row);
    }

  return rows;
}

static HubAccountRow *
account_row_from_focus (GtkWidget *focus)
{
  GtkWidget *row;

  if (focus == NULL)
    return NULL;

  row = gtk_widget_get_ancestor (focus, HUB_TYPE_ACCOUNT_ROW);
  if (row == NULL)
    row = gtk_widget_get_first_child (focus);

  if (row == NULL || !HUB_IS_ACCOUNT_ROW (row) ||
      hub_account_row_get_account (HUB_ACCOUNT_ROW (row)) == NULL)
    return NULL;

  return HUB_ACCOUNT_ROW (row);
}

static GtkWidget *
create_provider_row (gpointer item,
                     gpointer user_data)
{
  HubProvider *provider = item;
  GtkWidget *row, *avatar, *arrow;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hub_provider_get_name (provider));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), hub_provider_get_description (provider));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  avatar = adw_avatar_new (36, hub_provider_get_name (provider), TRUE);
  gtk_widget_set_valign (avatar, GTK_ALIGN_CENTER);
  gtk_accessible_update_state (GTK_ACCESSIBLE (avatar), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);

  arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (arrow), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  g_object_set_data_full (G_OBJECT (row), "hub-provider", g_object_ref (provider), g_object_unref);

  return row;
}

static void
show_toast (HubWindow  *self,
            const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* GtkListView 4.8 measures its height without the width, so rows whose text
 * wraps make it ask for too little: the card would cut off the last rows of a
 * short list. The height is set here instead, from the rows measured at the
 * list's width: all of them when they fit, else ACCOUNTS_MAX_HEIGHT with a
 * scroll bar. Runs after each change of the list or of its layout. */
static gboolean
fit_accounts_cb (gpointer user_data)
{
  HubWindow *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self->accounts_view));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->account_sort_model));
  g_autoptr(GPtrArray) rows = list_account_rows (self);
  int height = 0;

  self->fit_id = 0;

  if (shown > rows->len)
    height = ACCOUNTS_MAX_HEIGHT;  /* more than it built: the list cannot fit */
  else
    for (guint i = 0; i < rows->len && height < ACCOUNTS_MAX_HEIGHT; i++)
      {
        int natural;

        gtk_widget_measure (gtk_widget_get_parent (rows->pdata[i]), GTK_ORIENTATION_VERTICAL,
                            width > 0 ? width : -1, NULL, &natural, NULL, NULL);
        height += natural;
      }
  height = MIN (height, ACCOUNTS_MAX_HEIGHT);

  if (height < ACCOUNTS_MAX_HEIGHT)
    {
      /* Every row fits: the list is not even scrollable, so the wheel scrolls the
       * page, and an empty list shrinks to nothing (a scroll bar has a height). */
      gtk_scrolled_window_set_min_content_height (self->accounts_scroller, -1);
      gtk_scrolled_window_set_max_content_height (self->accounts_scroller, -1);
      gtk_scrolled_window_set_policy (self->accounts_scroller, GTK_POLICY_NEVER,
                                      GTK_POLICY_NEVER);
      gtk_widget_set_size_request (GTK_WIDGET (self->accounts_view), -1, height);
    }
  else
    {
      gtk_widget_set_size_request (GTK_WIDGET (self->accounts_view), -1, -1);
      gtk_scrolled_window_set_policy (self->accounts_scroller, GTK_POLICY_NEVER,
                                      GTK_POLICY_AUTOMATIC);
      gtk_scrolled_window_set_max_content_height (self->accounts_scroller, height);
      gtk_scrolled_window_set_min_content_height (self->accounts_scroller, height);
    }

  return G_SOURCE_REMOVE;
}

/* A scrolled window takes the wheel even when it cannot scroll: while every
 * account row fits, the wheel over the list scrolls the page instead. */
static gboolean
accounts_scroll_cb (HubWindow                *self,
                    double                    dx,
                    double                    dy,
                    GtkEventControllerScroll *controller)
{
  GtkAdjustment *page;
  double step;

  if (gtk_scrolled_window_get_max_content_height (self->accounts_scroller) >= 0)
    return GDK_EVENT_PROPAGATE;  /* the list scrolls itself */

  page = gtk_scrolled_window_get_vadjustment (self->page_scroller);
  /* GtkViewport's step, a tenth of the page: close to a wheel notch there. */
  step = gtk_adjustment_get_step_increment (page);
  gtk_adjustment_set_value (page, gtk_adjustment_get_value (page) + dy * step);

  return GDK_EVENT_STOP;
}

/* The filter and sort dropdowns sit beside the "Linked Accounts" title while both fit at
 * their natural width, else below it, so that a narrow window (or a long translation) does
 * not cut the title to "Linked Accou…". Runs after each layout of the window, once the
 * header has its width: that width does not depend on the orientation, so this settles
 * in one step. */
static void
fit_accounts_header_cb (HubWindow *self)
{
  int width = gtk_widget_get_width (self->accounts_header);
  int title, filters, needed;
  GtkOrientation orientation;

  if (width <= 0)
    return;  /* not shown (the account page is) */

  gtk_widget_measure (self->accounts_title, GTK_ORIENTATION_HORIZONTAL, -1,
                      NULL, &title, NULL, NULL);
  gtk_widget_measure (self->accounts_filters, GTK_ORIENTATION_HORIZONTAL, -1,
                      NULL, &filters, NULL, NULL);
  needed = title + gtk_box_get_spacing (GTK_BOX (self->accounts_header)) + filters;
  orientation = needed <= width ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL;

  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->accounts_header)) != orientation)
    gtk_orientable_set_orientation (GTK_ORIENTABLE (self->accounts_header), orientation);
}

static void
queue_fit_accounts (HubWindow *self)
{
  if (self->fit_id == 0 && !self->disposed)
    self->fit_id = g_idle_add (fit_accounts_cb, self);
}

static void
update_placeholders (HubWindow *self)
{
  guint total = g_list_model_get_n_items (G_LIST_MODEL (self->accounts));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->account_sort_model));

  gtk_widget_set_visible (GTK_WIDGET (self->accounts_placeholder), shown == 0);
  queue_fit_accounts (self);

  if (total == 0)
    gtk_label_set_label (self->accounts_placeholder,
                         _("No accounts yet — choose a provider below to connect one."));
  else
    gtk_label_set_label (self->accounts_placeholder, _("No accounts match."));

  gtk_label_set_label (self->providers_placeholder, _("No providers match."));
}

static void
refilter_accounts (HubWindow *self)
{
  gtk_filter_changed (GTK_FILTER (self->account_filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_sorter_changed (GTK_SORTER (self->account_sorter), GTK_SORTER_CHANGE_DIFFERENT);
}

static guint
find_account_position (HubWindow  *self,
                       HubAccount *account)
{
  GListModel *model = G_LIST_MODEL (self->account_sort_model);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HubAccount) item = g_list_model_get_item (model, i);

      if (item == account)
        return i;
    }

  return GTK_INVALID_LIST_POSITION;
}

/* The list item that shows @account, once it is built (it may be scrolled away). */
static GtkWidget *
find_account_item (HubWindow  *self,
                   HubAccount *account)
{
  g_autoptr(GPtrArray) rows = list_account_rows (self);

  for (guint i = 0; i < rows->len; i++)
    {
      if (hub_account_row_get_account (rows->pdata[i]) == account)
        return gtk_widget_get_parent (rows->pdata[i]);
    }

  return NULL;
}

/* Scrolls @account's row into view and focuses it; FALSE if the list does not show it. */
static gboolean
focus_account (HubWindow  *self,
               HubAccount *account)
{
  guint position = find_account_position (self, account);
  GtkWidget *item;

  if (position == GTK_INVALID_LIST_POSITION)
    return FALSE;

  gtk_widget_activate_action (GTK_WIDGET (self->accounts_view), "list.scroll-to-item",
                              "u", position);
  item = find_account_item (self, account);
  if (item != NULL)
    gtk_widget_grab_focus (item);

  return TRUE;
}

static void
show_list (HubWindow *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_page);
}

static void
open_account (HubWindow  *self,
              HubAccount *account)
{
  hub_account_page_set_account (self->account_page, account);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->account_page));
}

static void
connect_dialog_done_cb (HubWindow        *self,
                        HubAccount       *account,
                        HubConnectDialog *dialog)
{
  gboolean shown;

  refilter_accounts (self);

  shown = find_account_position (self, account) != GTK_INVALID_LIST_POSITION;
  if (!shown && gtk_drop_down_get_selected (self->status_dropdown) != STATUS_FILTER_ALL)
    {
      gtk_drop_down_set_selected (self->status_dropdown, STATUS_FILTER_ALL);
      shown = find_account_position (self, account) != GTK_INVALID_LIST_POSITION;
    }
  if (!shown && self->search_text != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");

  if (adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->account_page) &&
      hub_account_page_get_account (self->account_page) == account)
    return;

  show_list (self);
  focus_account (self, account);
}

static void
open_connect_dialog (HubWindow   *self,
                     HubProvider *provider,
                     HubAccount  *relink)
{
  HubConnectDialog *dialog;

  dialog = hub_connect_dialog_new (GTK_WINDOW (self), provider, self->accounts, relink);
  g_signal_connect_object (dialog, "done", G_CALLBACK (connect_dialog_done_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Check All */

/* The squeezer drops the label when the header is narrow: style the button as what it shows,
 * so that the icon alone gets a square button rather than a text button's padding. */
static void
check_all_squeezed_cb (HubWindow *self)
{
  GtkWidget *button = GTK_WIDGET (self->check_all_button);
  gboolean labelled = adw_squeezer_get_visible_child (self->check_all_squeezer) ==
                      self->check_all_content;

  if (labelled)
    {
      gtk_widget_remove_css_class (button, "image-button");
      gtk_widget_add_css_class (button, "image-text-button");
    }
  else
    {
      gtk_widget_remove_css_class (button, "image-text-button");
      gtk_widget_add_css_class (button, "image-button");
    }
}

static void
finish_check_all (HubWindow *self)
{
  g_autofree char *message = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->check_all_spinner), FALSE);
  gtk_spinner_stop (self->check_all_spinner);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.check-all", TRUE);
  g_clear_pointer (&self->check_queue, g_ptr_array_unref);

  if (self->check_total == 0)
    message = g_strdup (_("No accounts to check"));
  else if (self->check_failed == 0)
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u account checked: connected",
                                            "%u accounts checked: all connected",
                                            self->check_total),
                               self->check_total);
  else
    /* Translators: toast after Check All, "2 accounts need attention" */
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%u account needs attention",
                                            "%u accounts need attention",
                                            self->check_failed),
                               self->check_failed);

  refilter_accounts (self);
  show_toast (self, message);
}

static void
check_account_done_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(HubWindow) self = user_data;
  g_autoptr(HubVerifyResult) verified = NULL;
  g_autoptr(GError) error = NULL;

  verified = hub_account_store_check_finish (HUB_ACCOUNT_STORE (object), result, &error);
  /* A check whose result was already saved finishes even when cancelled. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->disposed)
    return;

  if (verified == NULL)
    {
      g_debug ("Check failed: %s", error->message);
      self->check_failed++;
    }

  check_next_account (self);
}

static void
check_next_account (HubWindow *self)
{
  g_autoptr(HubAccount) account = NULL;

  if (self->check_queue == NULL || self->check_queue->len == 0)
    {
      finish_check_all (self);
      return;
    }

  account = g_ptr_array_steal_index (self->check_queue, 0);
  hub_account_store_check_async (self->accounts, account, self->cancellable,
                                 check_account_done_cb, g_object_ref (self));
}

static void
check_all_activated_cb (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  HubWindow *self = HUB_WINDOW (widget);
  GListModel *model = G_LIST_MODEL (self->accounts);
  guint n = g_list_model_get_n_items (model);

  if (self->check_queue != NULL)
    return;

  self->check_queue = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (self->check_queue, g_list_model_get_item (model, i));
  self->check_total = n;
  self->check_failed = 0;

  gtk_widget_action_set_enabled (widget, "win.check-all", FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->check_all_spinner), TRUE);
  gtk_spinner_start (self->check_all_spinner);

  check_next_account (self);
}

/* Remove */

typedef struct
{
  HubWindow  *self;     /* owned */
  HubAccount *account;  /* owned */
} RemoveData;

static void
remove_data_free (RemoveData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->account);
  g_free (data);
}

static void
remove_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  RemoveData *data = user_data;
  HubWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  gboolean removed;

  removed = hub_account_store_remove_finish (HUB_ACCOUNT_STORE (object), result, &error);
  /* A remove whose secret is already deleted finishes even when cancelled. */
  if (self->disposed)
    {
      remove_data_free (data);
      return;
    }

  if (!removed)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, error->message);
      remove_data_free (data);
      return;
    }

  {
    /* Translators: toast after an account was removed */
    g_autofree char *message = g_strdup_printf (_("Removed “%s”"),
                                                hub_account_get_label (data->account));

    show_toast (self, message);
  }

  if (hub_account_page_get_account (self->account_page) == data->account)
    {
      show_list (self);
      hub_account_page_set_account (self->account_page, NULL);
    }

  update_placeholders (self);
  remove_data_free (data);
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    RemoveData       *data)
{
  if (g_strcmp0 (response, "remove") == 0)
    {
      hub_account_store_remove_async (data->self->accounts, data->account,
                                      data->self->cancellable, remove_done_cb, data);
      return;
    }

  remove_data_free (data);
}

static void
confirm_remove (HubWindow  *self,
                HubAccount *account)
{
  HubProvider *provider = lookup_provider (self, account);
  g_autofree char *secret_label = NULL;
  GtkWidget *dialog;
  RemoveData *data;

  secret_label = provider != NULL ? hub_provider_dup_secret_label (provider)
                                  : g_strdup (_("secret"));

  dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL, NULL);
  /* Translators: confirmation heading, the account's label */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Remove “%s”?"),
                                     hub_account_get_label (account));
  /* Translators: "Its API Key is deleted from the keyring. The Unleashed account
   * itself is not changed." */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Its %s is deleted from the keyring. "
                                    "The %s account itself is not changed."),
                                  secret_label,
                                  provider != NULL ? hub_provider_get_name (provider)
                                                   : hub_account_get_provider_id (account));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data = g_new0 (RemoveData, 1);
  data->self = g_object_ref (self);
  data->account = g_object_ref (account);
  g_signal_connect (dialog, "response", G_CALLBACK (remove_response_cb), data);

  gtk_window_present (GTK_WINDOW (dialog));
}

static HubAccount *
account_from_parameter (HubWindow *self,
                        GVariant  *parameter)
{
  return hub_account_store_lookup (self->accounts, g_variant_get_string (parameter, NULL));
}

static void
remove_account_activated_cb (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  HubWindow *self = HUB_WINDOW (widget);
  HubAccount *account = account_from_parameter (self, parameter);

  if (account != NULL)
    confirm_remove (self, account);
}

static void
relink_activated_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HubWindow *self = HUB_WINDOW (widget);
  HubAccount *account = account_from_parameter (self, parameter);
  HubProvider *provider;

  if (account == NULL)
    return;

  provider = lookup_provider (self, account);
  if (provider == NULL)
    {
      show_toast (self, _("This provider is no longer available. Remove the account instead."));
      return;
    }

  open_connect_dialog (self, provider, account);
}

static void
open_account_activated_cb (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  HubWindow *self = HUB_WINDOW (widget);
  HubAccount *account = account_from_parameter (self, parameter);

  if (account != NULL)
    open_account (self, account);
}

static void
back_activated_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HubWindow *self = HUB_WINDOW (widget);

  show_list (self);
}

static void
search_activated_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HubWindow *self = HUB_WINDOW (widget);

  show_list (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
add_account_activated_cb (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  HubWindow *self = HUB_WINDOW (widget);
  GtkListBoxRow *row;

  show_list (self);
  row = gtk_list_box_get_row_at_index (self->providers_list, 0);
  if (row != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
delete_activated_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HubWindow *self = HUB_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  HubAccountRow *row;

  if (focus != NULL && GTK_IS_EDITABLE (focus))
    return;

  if (adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->account_page))
    {
      HubAccount *account = hub_account_page_get_account (self->account_page);

      if (account != NULL)
        confirm_remove (self, account);
      return;
    }

  row = account_row_from_focus (focus);
  if (row != NULL)
    confirm_remove (self, hub_account_row_get_account (row));
}

/* Callbacks */

static void
search_changed_cb (HubWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->search_text, g_free);
  if (*stripped != '\0')
    self->search_text = g_utf8_casefold (stripped, -1);

  gtk_filter_changed (GTK_FILTER (self->account_filter), GTK_FILTER_CHANGE_DIFFERENT);
  gtk_filter_changed (GTK_FILTER (self->provider_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static gboolean
list_key_pressed_cb (HubWindow       *self,
                     guint            keyval,
                     guint            keycode,
                     GdkModifierType  state)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gunichar character = gdk_keyval_to_unicode (keyval);
  char utf8[7] = { 0, };
  g_autofree char *text = NULL;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  /* Printable and not a space: Space still activates a focused row. */
  if (character == 0 || !g_unichar_isgraph (character))
    return GDK_EVENT_PROPAGATE;
  if (focus != NULL && GTK_IS_EDITABLE (focus))
    return GDK_EVENT_PROPAGATE;

  g_unichar_to_utf8 (character, utf8);
  text = g_strconcat (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), utf8, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);

  return GDK_EVENT_STOP;
}

static void
stop_search_cb (HubWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
status_filter_changed_cb (HubWindow *self)
{
  if (self->account_filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->account_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
sort_changed_cb (HubWindow *self)
{
  if (self->account_sorter != NULL)
    gtk_sorter_changed (GTK_SORTER (self->account_sorter), GTK_SORTER_CHANGE_DIFFERENT);
}

static void
account_activated_cb (HubWindow   *self,
                      guint        position,
                      GtkListView *view)
{
  g_autoptr(HubAccount) account =
    g_list_model_get_item (G_LIST_MODEL (self->account_sort_model), position);

  if (account != NULL)
    open_account (self, account);
}

/* Space activates a focused account row, as it does in a GtkListBox (a list
 * view would take it as "select", which does nothing here). */
static gboolean
accounts_key_pressed_cb (HubWindow       *self,
                         guint            keyval,
                         guint            keycode,
                         GdkModifierType  state)
{
  HubAccountRow *row;

  if (keyval != GDK_KEY_space && keyval != GDK_KEY_KP_Space)
    return GDK_EVENT_PROPAGATE;
  if ((state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;

  row = account_row_from_focus (gtk_root_get_focus (GTK_ROOT (self)));
  if (row == NULL)
    return GDK_EVENT_PROPAGATE;

  open_account (self, hub_account_row_get_account (row));
  return GDK_EVENT_STOP;
}

static void
provider_row_activated_cb (HubWindow     *self,
                           GtkListBoxRow *row)
{
  HubProvider *provider = g_object_get_data (G_OBJECT (row), "hub-provider");

  if (provider != NULL)
    open_connect_dialog (self, provider, NULL);
}

static void
leaflet_visible_child_cb (HubWindow *self)
{
  if (adw_leaflet_get_visible_child (self->leaflet) == self->list_page)
    {
      HubAccount *account = hub_account_page_get_account (self->account_page);

      refilter_accounts (self);
      if (account != NULL)
        focus_account (self, account);
    }
}

static void
accounts_changed_cb (HubWindow *self)
{
  update_placeholders (self);
}

static void
account_page_changed_cb (HubWindow *self)
{
  refilter_accounts (self);
}

static gboolean
refresh_rows_cb (gpointer user_data)
{
  HubWindow *self = user_data;
  g_autoptr(GPtrArray) rows = list_account_rows (self);

  /* Only the rows that exist: the others get the time when they are bound. */
  for (guint i = 0; i < rows->len; i++)
    hub_account_row_refresh (rows->pdata[i]);
  hub_account_page_refresh (self->account_page);

  return G_SOURCE_CONTINUE;
}

static void
store_problem_cb (HubWindow  *self,
                  const char *message)
{
  show_toast (self, message);
}

static GtkLabel *
make_placeholder (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_margin_top (label, 14);
  gtk_widget_set_margin_bottom (label, 14);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "dim-label");

  return GTK_LABEL (label);
}

/* GObject */

static void
hub_window_constructed (GObject *object)
{
  HubWindow *self = HUB_WINDOW (object);

  G_OBJECT_CLASS (hub_window_parent_class)->constructed (object);

  /* Accounts: store → filter (status, search) → sort → list box */
  self->account_filter = gtk_custom_filter_new (account_filter_func, self, NULL);
  self->account_filter_model =
    gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->accounts)),
                               GTK_FILTER (g_object_ref (self->account_filter)));
  self->account_sorter = gtk_custom_sorter_new (account_sort_func, self, NULL);
  self->account_sort_model =
    gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->account_filter_model)),
                             GTK_SORTER (g_object_ref (self->account_sorter)));
  {
    GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
    GtkNoSelection *selection =
      gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->account_sort_model)));
    GtkEventController *keys = gtk_event_controller_key_new ();

    g_signal_connect_object (factory, "setup", G_CALLBACK (account_item_setup_cb), self,
                             G_CONNECT_SWAPPED);
    g_signal_connect_object (factory, "bind", G_CALLBACK (account_item_bind_cb), self,
                             G_CONNECT_SWAPPED);
    g_signal_connect_object (factory, "unbind", G_CALLBACK (account_item_unbind_cb), self,
                             G_CONNECT_SWAPPED);
    gtk_list_view_set_factory (self->accounts_view, factory);
    gtk_list_view_set_model (self->accounts_view, GTK_SELECTION_MODEL (selection));
    g_object_unref (selection);
    g_object_unref (factory);

    gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (accounts_key_pressed_cb), self,
                             G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->accounts_view), keys);
  }
  {
    GtkEventController *scroll =
      gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

    gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
    g_signal_connect_object (scroll, "scroll", G_CALLBACK (accounts_scroll_cb), self,
                             G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->accounts_scroller), scroll);
  }
  g_signal_connect_object (self->account_sort_model, "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  /* The list view sets its adjustment at each layout: rows resized or rebuilt. */
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->accounts_scroller),
                           "changed", G_CALLBACK (queue_fit_accounts), self, G_CONNECT_SWAPPED);

  self->provider_filter = gtk_custom_filter_new (provider_filter_func, self, NULL);
  self->provider_filter_model =
    gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->catalog)),
                               GTK_FILTER (g_object_ref (self->provider_filter)));
  gtk_list_box_bind_model (self->providers_list, G_LIST_MODEL (self->provider_filter_model),
                           create_provider_row, self, NULL);

  self->providers_placeholder = make_placeholder ();
  gtk_list_box_set_placeholder (self->providers_list, GTK_WIDGET (self->providers_placeholder));

  g_signal_connect_object (self->accounts, "items-changed",
                           G_CALLBACK (accounts_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->accounts, "problem",
                           G_CALLBACK (store_problem_cb), self, G_CONNECT_SWAPPED);
  update_placeholders (self);

  hub_account_page_set_context (self->account_page, self->catalog, self->accounts);
  g_signal_connect_object (self->account_page, "changed",
                           G_CALLBACK (account_page_changed_cb), self, G_CONNECT_SWAPPED);

  /* Typing anywhere on the list starts a search. Not with
   * gtk_search_entry_set_key_capture_widget(): it captures keys before the
   * focused row sees them, and its entry takes Enter, so a focused row could
   * not be activated from the keyboard. This controller runs after the row. */
  {
    GtkEventController *keys = gtk_event_controller_key_new ();

    g_signal_connect_object (keys, "key-pressed", G_CALLBACK (list_key_pressed_cb), self,
                             G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->list_page), keys);
  }

  /* GtkDropDown 4.8 leaves its inner toggle button unnamed. */
  hub_widget_name_inner (GTK_WIDGET (self->status_dropdown), GTK_TYPE_TOGGLE_BUTTON,
                         _("Status filter"));
  hub_widget_name_inner (GTK_WIDGET (self->sort_dropdown), GTK_TYPE_TOGGLE_BUTTON,
                         _("Sort order"));

  self->refresh_id = g_timeout_add_seconds (REFRESH_INTERVAL_SECONDS, refresh_rows_cb, self);
}

static void
stop_fitting_accounts_header (HubWindow *self)
{
  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->layout_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
}

static void
hub_window_realize (GtkWidget *widget)
{
  HubWindow *self = HUB_WINDOW (widget);

  GTK_WIDGET_CLASS (hub_window_parent_class)->realize (widget);

  /* After GTK's own handler, so that the header already has its new width. */
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->layout_id = g_signal_connect_object (self->frame_clock, "layout",
                                             G_CALLBACK (fit_accounts_header_cb), self,
                                             G_CONNECT_SWAPPED | G_CONNECT_AFTER);
}

static void
hub_window_unrealize (GtkWidget *widget)
{
  stop_fitting_accounts_header (HUB_WINDOW (widget));

  GTK_WIDGET_CLASS (hub_window_parent_class)->unrealize (widget);
}

static void
hub_window_dispose (GObject *object)
{
  HubWindow *self = HUB_WINDOW (object);

  self->disposed = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  stop_fitting_accounts_header (self);

  /* Nothing may reach the template children or queue a fit once they go. */
  if (self->accounts != NULL)
    g_signal_handlers_disconnect_by_data (self->accounts, self);
  if (self->account_sort_model != NULL)
    g_signal_handlers_disconnect_by_data (self->account_sort_model, self);
  if (self->accounts_scroller != NULL)
    g_signal_handlers_disconnect_by_data (
      gtk_scrolled_window_get_vadjustment (self->accounts_scroller), self);

  if (self->accounts_view != NULL)
    gtk_list_view_set_model (self->accounts_view, NULL);
  if (self->providers_list != NULL)
    gtk_list_box_bind_model (self->providers_list, NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), HUB_TYPE_WINDOW);
  g_clear_handle_id (&self->fit_id, g_source_remove);

  g_clear_pointer (&self->check_queue, g_ptr_array_unref);
  g_clear_object (&self->account_sort_model);
  g_clear_object (&self->account_filter_model);
  g_clear_object (&self->account_sorter);
  g_clear_object (&self->account_filter);
  g_clear_object (&self->provider_filter_model);
  g_clear_object (&self->provider_filter);
  g_clear_object (&self->accounts);
  g_clear_object (&self->catalog);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hub_window_parent_class)->dispose (object);
}

static void
hub_window_finalize (GObject *object)
{
  HubWindow *self = HUB_WINDOW (object);

  g_free (self->search_text);

  G_OBJECT_CLASS (hub_window_parent_class)->finalize (object);
}

static void
hub_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HubWindow *self = HUB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CATALOG:
      g_value_set_object (value, self->catalog);
      break;
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hub_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  HubWindow *self = HUB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CATALOG:
      self->catalog = g_value_dup_object (value);
      break;
    case PROP_ACCOUNTS:
      self->accounts = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hub_window_class_init (HubWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hub_window_constructed;
  object_class->dispose = hub_window_dispose;
  object_class->finalize = hub_window_finalize;
  object_class->get_property = hub_window_get_property;
  object_class->set_property = hub_window_set_property;

  widget_class->realize = hub_window_realize;
  widget_class->unrealize = hub_window_unrealize;

  properties[PROP_CATALOG] =
    g_param_spec_object ("catalog", NULL, NULL, HUB_TYPE_CATALOG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, HUB_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  hub_ui_ensure_resources ();
  g_type_ensure (HUB_TYPE_ACCOUNT_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/connecthub/ConnectHub/ui/hub-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HubWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, list_page);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, check_all_button);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, check_all_squeezer);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, check_all_content);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, check_all_spinner);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, accounts_header);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, accounts_title);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, accounts_filters);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, page_scroller);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, accounts_scroller);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, accounts_view);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, accounts_placeholder);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, providers_list);
  gtk_widget_class_bind_template_child (widget_class, HubWindow, account_page);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, provider_row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, leaflet_visible_child_cb);
  gtk_widget_class_bind_template_callback (widget_class, check_all_squeezed_cb);

  gtk_widget_class_install_action (widget_class, "win.check-all", NULL, check_all_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.add-account", NULL, add_account_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, delete_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.open-account", "s",
                                   open_account_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.relink", "s", relink_activated_cb);
  gtk_widget_class_install_action (widget_class, "win.remove-account", "s",
                                   remove_account_activated_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.check-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.check-all", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "win.add-account", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.delete", NULL);
}

static void
hub_window_init (HubWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  check_all_squeezed_cb (self);
}

HubWindow *
hub_window_new (AdwApplication  *application,
                HubCatalog      *catalog,
                HubAccountStore *accounts)
{
  g_return_val_if_fail (ADW_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (HUB_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (HUB_IS_ACCOUNT_STORE (accounts), NULL);

  return g_object_new (HUB_TYPE_WINDOW,
                       "application", application,
                       "catalog", catalog,
                       "accounts", accounts,
                       NULL);
}
