/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-account-page"

#include "config.h"

#include <glib/gi18n.h>

#include "hub-account-page.h"
#include "hub-status-pill.h"
#include "hub-ui-util.h"

struct _HubAccountPage
{
  GtkBox            parent_instance;

  HubCatalog       *catalog;       /* owned */
  HubAccountStore  *accounts;      /* owned */
  HubAccount       *account;       /* owned, nullable */
  GCancellable     *cancellable;   /* per account: cancelled on change and in dispose */
  GPtrArray        *detail_rows;   /* GtkWidget, borrowed (owned by the group) */
  GPtrArray        *credential_rows;
  GPtrArray        *activity_rows;
  GHashTable       *secret_rows;   /* field id → AdwActionRow (borrowed) */
  gboolean          checking;

  /* template children */
  AdwWindowTitle   *window_title;
  AdwEntryRow      *label_row;
  AdwActionRow     *status_row;
  HubStatusPill    *pill;
  GtkSpinner       *check_spinner;
  GtkButton        *check_button;
  AdwActionRow     *checked_row;
  AdwActionRow     *keyring_row;
  GtkImage         *keyring_icon;
  GtkButton        *keyring_button;
  AdwPreferencesGroup *details_group;
  AdwActionRow     *id_row;
  AdwPreferencesGroup *activity_group;
  AdwPreferencesGroup *credentials_group;
  GtkButton        *relink_button;
  GtkButton        *remove_button;
};

G_DEFINE_FINAL_TYPE (HubAccountPage, hub_account_page, GTK_TYPE_BOX)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

#define SECRET_DOTS "••••••••"

/* Helpers */

static HubProvider *
get_provider (HubAccountPage *self)
{
  if (self->account == NULL || self->catalog == NULL)
    return NULL;

  return hub_catalog_lookup (self->catalog, hub_account_get_provider_id (self->account));
}

static const char *
get_provider_name (HubAccountPage *self)
{
  HubProvider *provider = get_provider (self);

  if (provider != NULL)
    return hub_provider_get_name (provider);

  return self->account != NULL ? hub_account_get_provider_id (self->account) : "";
}

static void
show_toast (HubAccountPage *self,
            const char     *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  g_autofree char *escaped = NULL;

  if (overlay == NULL)
    return;

  escaped = g_markup_escape_text (text, -1);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (escaped));
}

static GtkWidget *
make_value_row (const char *title,
                const char *value)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "hub-value-row");

  return row;
}

static void
clear_rows (AdwPreferencesGroup *group,
            GPtrArray           *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
update_status (HubAccountPage *self)
{
  HubAccount *account = self->account;
  const char *message = NULL;
  g_autofree char *when = NULL;
  gboolean locked, missing;

  if (account == NULL)
    return;

  locked = hub_account_get_keyring_locked (account);
  missing = hub_account_get_secret_missing (account);

  message = hub_account_get_last_error (account);
  if (message == NULL || *message == '\0')
    {
      switch (hub_account_get_status (account))
        {
        case HUB_ACCOUNT_STATUS_CONNECTED:
          message = _("The last check passed.");
          break;
        case HUB_ACCOUNT_STATUS_REJECTED:
          message = _("The provider refused the credential. Relink the account.");
          break;
        case HUB_ACCOUNT_STATUS_ERROR:
          message = _("The last check failed. Try again later.");
          break;
        case HUB_ACCOUNT_STATUS_UNCHECKED:
        default:
          message = _("Not checked yet. Use Check Now to verify the credential.");
          break;
        }
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), message);

  when = hub_format_relative_time (hub_account_get_checked_at (account));
  adw_action_row_set_subtitle (self->checked_row, when);

  gtk_widget_set_visible (GTK_WIDGET (self->keyring_row), locked || missing);
  if (locked)
    {
      gtk_image_set_from_icon_name (self->keyring_icon, "system-lock-screen-symbolic");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->keyring_row),
                                     _("The keyring is locked"));
      adw_action_row_set_subtitle (self->keyring_row,
                                   _("Unlock it to check, relink or remove this account."));
      gtk_button_set_label (self->keyring_button, _("Unlock Keyring…"));
    }
  else if (missing)
    {
      gtk_image_set_from_icon_name (self->keyring_icon, "dialog-password-symbolic");
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->keyring_row),
                                     _("The credential is missing from the keyring"));
      adw_action_row_set_subtitle (self->keyring_row,
                                   _("Relink the account to store it again."));
      gtk_button_set_label (self->keyring_button, _("Relink…"));
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), !self->checking && !missing);
}

static void
update_title (HubAccountPage *self)
{
  const char *label;

  if (self->account == NULL)
    return;

  label = hub_account_get_label (self->account);
  adw_window_title_set_title (self->window_title, label != NULL ? label : "");
  adw_window_title_set_subtitle (self->window_title, get_provider_name (self));
  /* Setting the text counts as an edit: hide the apply button meanwhile. */
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->label_row)), label) != 0)
    {
      adw_entry_row_set_show_apply_button (self->label_row, FALSE);
      gtk_editable_set_text (GTK_EDITABLE (self->label_row), label != NULL ? label : "");
      adw_entry_row_set_show_apply_button (self->label_row, TRUE);
    }
}

static void
update_details (HubAccountPage *self)
{
  HubProvider *provider = get_provider (self);
  GHashTable *details;
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  GPtrArray *steps;

  clear_rows (self->details_group, self->detail_rows);
  if (self->account == NULL)
    return;

  details = hub_account_get_details (self->account);

  /* In recipe order, so the page reads like the success page. */
  steps = provider != NULL ? hub_provider_get_verify_steps (provider) : NULL;
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      HubVerifyStep *step = g_ptr_array_index (steps, i);

      for (guint j = 0; step->captures != NULL && j < step->captures->len; j++)
        {
          HubCapture *capture = g_ptr_array_index (step->captures, j);
          const char *value = details != NULL ? g_hash_table_lookup (details, capture->var) : NULL;
          GtkWidget *row;

          if (value == NULL || capture->label == NULL)
            continue;

          row = make_value_row (capture->label, value);
          adw_preferences_group_add (self->details_group, row);
          g_ptr_array_add (self->detail_rows, row);
          g_ptr_array_add (seen, capture->var);
        }
    }

  if (self->detail_rows->len == 0 && hub_account_get_identity (self->account) != NULL)
    {
      GtkWidget *row = make_value_row (_("Identity"), hub_account_get_identity (self->account));

      adw_preferences_group_add (self->details_group, row);
      g_ptr_array_add (self->detail_rows, row);
    }

  /* Keep the id row last. */
  g_object_ref (self->id_row);
  adw_preferences_group_remove (self->details_group, GTK_WIDGET (self->id_row));
  adw_preferences_group_add (self->details_group, GTK_WIDGET (self->id_row));
  g_object_unref (self->id_row);
  adw_action_row_set_subtitle (self->id_row, hub_account_get_id (self->account));
}

static char *
format_record_title (const HubCheckRecord *record)
{
  switch (record->kind)
    {
    case HUB_CHECK_KIND_LINK:
      return g_strdup (_("Linked"));
    case HUB_CHECK_KIND_RELINK:
      return g_strdup (_("Relinked"));
    case HUB_CHECK_KIND_CHECK:
    default:
      break;
    }

  switch (record->status)
    {
    case HUB_ACCOUNT_STATUS_CONNECTED:
      return g_strdup (_("Connected"));
    case HUB_ACCOUNT_STATUS_REJECTED:
      if (record->message != NULL)
        /* Translators: an entry of the account's activity; %s says what the provider refused */
        return g_strdup_printf (_("Rejected: %s"), record->message);
      return g_strdup (_("Rejected"));
    case HUB_ACCOUNT_STATUS_ERROR:
    case HUB_ACCOUNT_STATUS_UNCHECKED:
    default:
      if (record->message != NULL)
        /* Translators: an entry of the account's activity; %s says why the check failed */
        return g_strdup_printf (_("Check failed: %s"), record->message);
      return g_strdup (_("Check failed"));
    }
}

static char *
format_record_subtitle (const HubCheckRecord *record)
{
  g_autofree char *when = hub_format_relative_time (record->time);

  if (record->duration_ms < 0)
    return g_steal_pointer (&when);

  /* A check that finished within the clock's millisecond reads better as "under" than as 0. */
  if (record->duration_ms == 0)
    /* Translators: an entry of the account's activity: "5 minutes ago · under 1 ms";
     * the check took less than a millisecond */
    return g_strdup_printf (_("%s · under 1 ms"), when);

  if (record->duration_ms < 1000)
    /* Translators: an entry of the account's activity: "5 minutes ago · 312 ms" */
    return g_strdup_printf (_("%s · %d ms"), when, (int) record->duration_ms);

  /* Translators: an entry of the account's activity: "5 minutes ago · 2.3 s";
   * the number is in seconds, with one decimal */
  return g_strdup_printf (_("%s · %.1f s"), when, (double) record->duration_ms / 1000.0);
}

static void
update_activity (HubAccountPage *self)
{
  GPtrArray *history;

  clear_rows (self->activity_group, self->activity_rows);
  if (self->account == NULL)
    return;

  history = hub_account_get_history (self->account);
  for (guint i = 0; i < history->len; i++)
    {
      const HubCheckRecord *record = g_ptr_array_index (history, i);
      g_autofree char *title = format_record_title (record);
      g_autofree char *subtitle = format_record_subtitle (record);
      GtkWidget *row = make_value_row (title, subtitle);

      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      adw_preferences_group_add (self->activity_group, row);
      g_ptr_array_add (self->activity_rows, row);
    }

  if (history->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Not checked yet"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (self->activity_group, row);
      g_ptr_array_add (self->activity_rows, row);
    }
}

/* Re-renders the relative times without rebuilding the rows (keeps the focus). */
static void
update_activity_times (HubAccountPage *self)
{
  GPtrArray *history;

  if (self->account == NULL)
    return;

  history = hub_account_get_history (self->account);
  if (history->len == 0 || history->len != self->activity_rows->len)
    {
      update_activity (self);
      return;
    }

  for (guint i = 0; i < history->len; i++)
    {
      g_autofree char *subtitle = format_record_subtitle (g_ptr_array_index (history, i));

      adw_action_row_set_subtitle (g_ptr_array_index (self->activity_rows, i), subtitle);
    }
}

static void
update_credentials (HubAccountPage *self)
{
  HubProvider *provider = get_provider (self);
  GHashTable *values;
  GPtrArray *fields;

  clear_rows (self->credentials_group, self->credential_rows);
  g_hash_table_remove_all (self->secret_rows);
  if (self->account == NULL || provider == NULL)
    return;

  values = hub_account_get_values (self->account);
  fields = hub_provider_get_fields (provider);
  for (guint i = 0; i < fields->len; i++)
    {
      HubField *field = g_ptr_array_index (fields, i);
      const char *value = NULL;
      GtkWidget *row;

      if (field->secret)
        value = SECRET_DOTS;
      else if (values != NULL)
        value = g_hash_table_lookup (values, field->id);

      row = make_value_row (field->label, value != NULL ? value : _("Not set"));
      if (field->secret)
        {
          g_autofree char *description = g_strdup_printf (_("%s, hidden"), field->label);

          gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                          -1);
          g_hash_table_insert (self->secret_rows, g_strdup (field->id), row);
        }
      adw_preferences_group_add (self->credentials_group, row);
      g_ptr_array_add (self->credential_rows, row);
    }
}

static void
lookup_values_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HubAccountPage) self = user_data;
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, row;

  values = hub_account_store_lookup_values_finish (HUB_ACCOUNT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (values == NULL)
    {
      g_debug ("Could not read the credentials: %s", error->message);
      return;
    }

  g_hash_table_iter_init (&iter, self->secret_rows);
  while (g_hash_table_iter_next (&iter, &key, &row))
    {
      const char *secret = g_hash_table_lookup (values, key);
      glong length;
      g_autofree char *shown = NULL;

      if (secret == NULL)
        continue;

      /* Only the last four characters, and only for long secrets. */
      length = g_utf8_strlen (secret, -1);
      if (length < 12)
        continue;

      shown = g_strconcat (SECRET_DOTS, g_utf8_offset_to_pointer (secret, length - 4), NULL);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
    }
}

static void
reload (HubAccountPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->checking = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), FALSE);
  gtk_spinner_stop (self->check_spinner);
  /* An unlock started for the previous account will not come back to say so. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->keyring_button), TRUE);

  hub_status_pill_set_account (self->pill, self->account);
  update_title (self);
  update_status (self);
  update_activity (self);
  update_details (self);
  update_credentials (self);

  if (self->account != NULL &&
      !hub_account_get_keyring_locked (self->account) &&
      !hub_account_get_secret_missing (self->account) &&
      g_hash_table_size (self->secret_rows) > 0)
    hub_account_store_lookup_values_async (self->accounts, self->account, self->cancellable,
                                           lookup_values_cb, g_object_ref (self));
}

/* Callbacks */

static void
account_notify_cb (HubAccountPage *self,
                   GParamSpec     *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "label"))
    update_title (self);
  else if (g_str_equal (name, "details") || g_str_equal (name, "identity"))
    update_details (self);
  else if (g_str_equal (name, "values"))
    reload (self);
  else if (g_str_equal (name, "history"))
    update_activity (self);
  else
    update_status (self);
}

static void
rename_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HubAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hub_account_store_rename_finish (HUB_ACCOUNT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      show_toast (self, error->message);
      update_title (self);
      return;
    }

  show_toast (self, _("Label changed"));
  update_title (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
label_apply_cb (HubAccountPage *self)
{
  g_autofree char *label = NULL;

  if (self->account == NULL)
    return;

  label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->label_row))));
  if (*label == '\0')
    {
      show_toast (self, _("A label cannot be empty"));
      update_title (self);
      return;
    }

  if (g_strcmp0 (label, hub_account_get_label (self->account)) == 0)
    return;

  hub_account_store_rename_async (self->accounts, self->account, label, self->cancellable,
                                  rename_done_cb, g_object_ref (self));
}

/* A check started by this page: the store finishes a check whose result it
 * already saved even when cancelled, so the callback also needs to know whether
 * the page moved on (another account, or disposed) since it started. */
typedef struct
{
  HubAccountPage *self;
  GCancellable   *cancellable;
} CheckOp;

static void
check_op_free (CheckOp *op)
{
  g_object_unref (op->self);
  g_object_unref (op->cancellable);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckOp, check_op_free)

static void
check_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CheckOp) op = user_data;
  HubAccountPage *self = op->self;
  g_autoptr(HubVerifyResult) verified = NULL;
  g_autoptr(GError) error = NULL;

  verified = hub_account_store_check_finish (HUB_ACCOUNT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (op->cancellable))
    return;

  self->checking = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), FALSE);
  gtk_spinner_stop (self->check_spinner);

  if (verified != NULL)
    {
      /* Translators: toast after Check Now, the account's identity */
      g_autofree char *message = g_strdup_printf (_("Connected to %s"),
                                                  hub_verify_result_get_identity (verified));

      show_toast (self, message);
    }
  else
    {
      show_toast (self, error->message);
    }

  update_status (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
check_now (HubAccountPage *self)
{
  CheckOp *op;

  if (self->account == NULL || self->checking)
    return;

  self->checking = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), TRUE);
  gtk_spinner_start (self->check_spinner);
  update_status (self);

  op = g_new0 (CheckOp, 1);
  op->self = g_object_ref (self);
  op->cancellable = g_object_ref (self->cancellable);
  hub_account_store_check_async (self->accounts, self->account, self->cancellable,
                                 check_done_cb, op);
}

static void
check_clicked_cb (HubAccountPage *self)
{
  check_now (self);
}

static void
unlock_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HubAccountPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hub_secret_store_unlock_finish (HUB_SECRET_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_set_sensitive (GTK_WIDGET (self->keyring_button), TRUE);
      show_toast (self, error->message);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->keyring_button), TRUE);
  show_toast (self, _("Keyring unlocked"));
  /* A check reads the secret again and clears the locked state. */
  check_now (self);
}

static void
relink (HubAccountPage *self)
{
  if (self->account == NULL)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.relink", "s",
                              hub_account_get_id (self->account));
}

static void
keyring_clicked_cb (HubAccountPage *self)
{
  if (self->account == NULL)
    return;

  if (hub_account_get_keyring_locked (self->account))
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->keyring_button), FALSE);
      hub_secret_store_unlock_async (hub_account_store_get_secret_store (self->accounts),
                                     self->cancellable, unlock_done_cb, g_object_ref (self));
    }
  else
    {
      relink (self);
    }
}

static void
relink_clicked_cb (HubAccountPage *self)
{
  relink (self);
}

static void
remove_clicked_cb (HubAccountPage *self)
{
  if (self->account == NULL)
    return;

  gtk_widget_activate_action (GTK_WIDGET (self), "win.remove-account", "s",
                              hub_account_get_id (self->account));
}

static void
copy_id_clicked_cb (HubAccountPage *self)
{
  if (self->account == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)),
                          hub_account_get_id (self->account));
  show_toast (self, _("Account ID copied"));
}

/* GObject */

static void
hub_account_page_dispose (GObject *object)
{
  HubAccountPage *self = HUB_ACCOUNT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), HUB_TYPE_ACCOUNT_PAGE);

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_clear_object (&self->account);
  g_clear_object (&self->accounts);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->detail_rows, g_ptr_array_unref);
  g_clear_pointer (&self->credential_rows, g_ptr_array_unref);
  g_clear_pointer (&self->activity_rows, g_ptr_array_unref);
  g_clear_pointer (&self->secret_rows, g_hash_table_unref);

  G_OBJECT_CLASS (hub_account_page_parent_class)->dispose (object);
}

static void
hub_account_page_class_init (HubAccountPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hub_account_page_dispose;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  hub_ui_ensure_resources ();
  g_type_ensure (HUB_TYPE_STATUS_PILL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/hub-account-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, window_title);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, label_row);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, status_row);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, pill);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, check_button);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, checked_row);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, keyring_row);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, keyring_icon);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, keyring_button);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, id_row);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, activity_group);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, credentials_group);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, relink_button);
  gtk_widget_class_bind_template_child (widget_class, HubAccountPage, remove_button);
  gtk_widget_class_bind_template_callback (widget_class, label_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, keyring_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, relink_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, copy_id_clicked_cb);
}

static void
hub_account_page_init (HubAccountPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->detail_rows = g_ptr_array_new ();
  self->credential_rows = g_ptr_array_new ();
  self->activity_rows = g_ptr_array_new ();
  self->secret_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  /* libadwaita 1.2 leaves the entry row's apply button unnamed. */
  hub_widget_name_inner (GTK_WIDGET (self->label_row), GTK_TYPE_BUTTON, _("Apply"));
}

GtkWidget *
hub_account_page_new (void)
{
  return g_object_new (HUB_TYPE_ACCOUNT_PAGE, NULL);
}

void
hub_account_page_set_context (HubAccountPage  *self,
                              HubCatalog      *catalog,
                              HubAccountStore *accounts)
{
  g_return_if_fail (HUB_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (HUB_IS_CATALOG (catalog));
  g_return_if_fail (HUB_IS_ACCOUNT_STORE (accounts));

  g_set_object (&self->catalog, catalog);
  g_set_object (&self->accounts, accounts);
}

HubAccount *
hub_account_page_get_account (HubAccountPage *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT_PAGE (self), NULL);

  return self->account;
}

void
hub_account_page_set_account (HubAccountPage *self,
                              HubAccount     *account)
{
  g_return_if_fail (HUB_IS_ACCOUNT_PAGE (self));
  g_return_if_fail (account == NULL || HUB_IS_ACCOUNT (account));
  g_return_if_fail (account == NULL || self->accounts != NULL);

  if (self->account == account)
    {
      reload (self);
      return;
    }

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);
  if (account != NULL)
    g_signal_connect_object (account, "notify", G_CALLBACK (account_notify_cb), self,
                             G_CONNECT_SWAPPED);

  reload (self);
}

void
hub_account_page_refresh (HubAccountPage *self)
{
  g_return_if_fail (HUB_IS_ACCOUNT_PAGE (self));

  update_status (self);
  update_activity_times (self);
}
