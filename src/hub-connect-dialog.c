/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-connect-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "hub-connect-dialog.h"
#include "hub-auth.h"
#include "hub-ui-util.h"

typedef struct
{
  const HubField *field;      /* borrowed from the provider */
  GtkWidget      *row;        /* AdwEntryRow or AdwPasswordEntryRow */
  GtkWidget      *hint_row;   /* GtkListBoxRow holding hint_label */
  GtkLabel       *hint_label;
  char           *info;       /* nullable: hint shown while valid (relink: "unchanged…") */
  gboolean        touched;    /* focus left once, or Connect was pressed */
  gboolean        valid;
} FieldEntry;

struct _HubConnectDialog
{
  AdwWindow         parent_instance;

  HubProvider      *provider;      /* owned */
  HubAccountStore  *accounts;      /* owned */
  HubAccount       *relink;        /* owned, nullable: relink mode */
  GCancellable     *cancellable;   /* owned: cancelled on Cancel and in dispose */
  GArray           *fields;        /* FieldEntry */
  GtkWidget        *label_row;     /* "Label" entry (not in relink mode) */
  GHashTable       *stored;        /* relink: stored values (secrets wiped on destroy) */
  GHashTable       *values;        /* values being verified/stored, wiped on destroy */
  HubVerifyResult  *verified;      /* owned, nullable */
  HubAccount       *existing;      /* owned, nullable: duplicate found on add */
  HubAccount       *account;       /* owned, nullable: the account linked */
  gboolean          checking;
  gboolean          stored_failed; /* relink: the stored secret cannot be read */

  /* template children */
  AdwToastOverlay  *toast_overlay;
  AdwWindowTitle   *window_title;
  GtkButton        *guide_button;
  GtkStack         *stack;
  GtkScrolledWindow *form_scroller;
  GtkRevealer      *error_revealer;
  AdwActionRow     *error_row;
  GtkButton        *retry_button;
  AdwExpanderRow   *details_row;
  GtkLabel         *details_label;
  GtkRevealer      *duplicate_revealer;
  AdwActionRow     *duplicate_row;
  GtkButton        *update_button;
  AdwPreferencesGroup *warnings_group;
  AdwPreferencesGroup *steps_group;
  GtkListBox       *fields_list;
  GtkWidget        *checking_box;
  GtkSpinner       *spinner;
  GtkLabel         *checking_label;
  GtkButton        *connect_button;
  AdwStatusPage    *success_page;
  AdwPreferencesGroup *captured_group;
  AdwPreferencesGroup *scopes_group;
  AdwEntryRow      *success_label_row;
  GtkButton        *done_button;
};

G_DEFINE_FINAL_TYPE (HubConnectDialog, hub_connect_dialog, ADW_TYPE_WINDOW)

enum { PROP_0, PROP_PROVIDER, PROP_ACCOUNTS, PROP_RELINK, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { SIGNAL_DONE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void set_checking (HubConnectDialog *self,
                          gboolean          checking);

/* Helpers */

static void
field_entry_clear (gpointer data)
{
  FieldEntry *entry = data;

  g_clear_pointer (&entry->info, g_free);
}

/* A field's text may be a secret: every copy is wiped when it goes out of scope. */
typedef char *FieldText;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (FieldText, hub_auth_secret_free, NULL)

static char *
dup_field_text (FieldEntry *entry)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry->row))));
}

static gboolean
keeps_stored_secret (HubConnectDialog *self,
                     FieldEntry       *entry,
                     const char       *text)
{
  return self->relink != NULL && !self->stored_failed && entry->field->secret && *text == '\0';
}

static void
show_toast (HubConnectDialog *self,
            const char       *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* Shows the hint under a field: an error once touched, else the info text. */
static void
update_field_style (HubConnectDialog *self,
                    FieldEntry       *entry)
{
  g_auto(FieldText) text = dup_field_text (entry);
  g_autofree char *message = NULL;
  gboolean show_error;

  if (!keeps_stored_secret (self, entry, text))
    hub_field_validate (entry->field, text, &message);

  show_error = entry->touched && !entry->valid;
  if (show_error)
    {
      gtk_widget_add_css_class (entry->row, "error");
      gtk_label_set_label (entry->hint_label,
                           message != NULL ? message
                                           : (entry->field->hint != NULL ? entry->field->hint
                                                                         : _("Check this value.")));
      gtk_widget_remove_css_class (GTK_WIDGET (entry->hint_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (entry->hint_label), "error");
      gtk_widget_set_visible (entry->hint_row, TRUE);
      /* Translators: accessible description of a field with an invalid value */
      {
        g_autofree char *description = g_strdup_printf (_("Invalid: %s"),
                                                        gtk_label_get_label (entry->hint_label));

        gtk_accessible_update_property (GTK_ACCESSIBLE (entry->row),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                        -1);
      }
      gtk_accessible_update_state (GTK_ACCESSIBLE (entry->row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_remove_css_class (entry->row, "error");
      gtk_widget_remove_css_class (GTK_WIDGET (entry->hint_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (entry->hint_label), "dim-label");
      gtk_label_set_label (entry->hint_label, entry->info != NULL ? entry->info : "");
      gtk_widget_set_visible (entry->hint_row, entry->info != NULL);
      if (entry->info != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (entry->row),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, entry->info,
                                        -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (entry->row),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (entry->row), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
validate_field (HubConnectDialog *self,
                FieldEntry       *entry)
{
  g_auto(FieldText) text = dup_field_text (entry);

  if (keeps_stored_secret (self, entry, text))
    entry->valid = TRUE;
  else
    entry->valid = hub_field_validate (entry->field, text, NULL);
}

static gboolean
all_fields_valid (HubConnectDialog *self)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      if (!g_array_index (self->fields, FieldEntry, i).valid)
        return FALSE;
    }

  return TRUE;
}

static void
update_connect_sensitivity (HubConnectDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->connect_button),
                            self->checking || all_fields_valid (self));
}

static FieldEntry *
find_entry_for_row (HubConnectDialog *self,
                    GtkWidget        *row)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldEntry *entry = &g_array_index (self->fields, FieldEntry, i);

      if (entry->row == row)
        return entry;
    }

  return NULL;
}

static FieldEntry *
find_entry_for_field (HubConnectDialog *self,
                      const char       *field_id)
{
  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldEntry *entry = &g_array_index (self->fields, FieldEntry, i);

      if (g_strcmp0 (entry->field->id, field_id) == 0)
        return entry;
    }

  return NULL;
}

/* A hidden revealer still takes the box's spacing and stays in the
 * accessibility tree: show it only while it reveals (or animates). */
static void
reveal (GtkRevealer *revealer,
        gboolean     shown)
{
  if (shown)
    gtk_widget_set_visible (GTK_WIDGET (revealer), TRUE);
  gtk_revealer_set_reveal_child (revealer, shown);
}

static void
revealer_child_revealed_cb (GtkRevealer *revealer)
{
  if (!gtk_revealer_get_reveal_child (revealer) && !gtk_revealer_get_child_revealed (revealer))
    gtk_widget_set_visible (GTK_WIDGET (revealer), FALSE);
}

static void
hide_messages (HubConnectDialog *self)
{
  reveal (self->error_revealer, FALSE);
  reveal (self->duplicate_revealer, FALSE);
}

static void
show_error (HubConnectDialog *self,
            const char       *message,
            const char       *details)
{
  reveal (self->duplicate_revealer, FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->error_row), message);
  gtk_label_set_label (self->details_label, details != NULL ? details : "");
  gtk_widget_set_visible (GTK_WIDGET (self->details_row), details != NULL && *details != '\0');
  adw_expander_row_set_expanded (self->details_row, FALSE);
  reveal (self->error_revealer, TRUE);

  /* Scroll up so the message is seen, and let screen readers hear it. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->form_scroller), 0.0);
  {
    /* Translators: accessible description of the error row */
    g_autofree char *description = g_strdup_printf (_("Error: %s"), message);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  }
}

static void
forget_attempt (HubConnectDialog *self)
{
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_object (&self->verified);
  g_clear_object (&self->existing);
}

static void
reset_cancellable (HubConnectDialog *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
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

  return row;
}

/* Building the form */

static void
add_warnings (HubConnectDialog *self)
{
  GPtrArray *warnings = hub_provider_get_warnings (self->provider);

  gtk_widget_set_visible (GTK_WIDGET (self->warnings_group),
                          warnings != NULL && warnings->len > 0);

  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    {
      HubWarning *warning = g_ptr_array_index (warnings, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (hub_warning_kind_icon_name (warning->kind));
      g_autofree char *description = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), warning->text);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      gtk_widget_add_css_class (row, "hub-warning-row");
      gtk_widget_add_css_class (row, hub_warning_kind_to_string (warning->kind));

      /* Translators: accessible description of a warning row */
      description = g_strdup_printf (_("Warning: %s"), warning->text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                      -1);

      adw_preferences_group_add (self->warnings_group, row);
    }
}

static void
add_steps (HubConnectDialog *self)
{
  GPtrArray *steps = hub_provider_get_steps (self->provider);

  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      HubStep *step = g_ptr_array_index (steps, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *number_label = gtk_label_new (number);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), step->text);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);

      gtk_widget_add_css_class (number_label, "hub-step-number");
      gtk_widget_add_css_class (number_label, "numeric");
      gtk_widget_set_valign (number_label, GTK_ALIGN_CENTER);
      gtk_accessible_update_state (GTK_ACCESSIBLE (number_label),
                                   GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                   -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), number_label);
      {
        /* Translators: accessible description of a guide step, "Step 2 of 4" */
        g_autofree char *description = g_strdup_printf (_("Step %u of %u"), i + 1, steps->len);

        gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                        -1);
      }

      if (step->link != NULL)
        {
          const char *label = step->link_label != NULL ? step->link_label : _("Open");
          GtkWidget *link = gtk_link_button_new_with_label (step->link, label);
          /* Translators: accessible name of a step's link button, "Open: Unleashed login" */
          g_autofree char *name = g_strdup_printf (_("Open in browser: %s"), label);

          gtk_widget_set_valign (link, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (link, step->link);
          gtk_accessible_update_property (GTK_ACCESSIBLE (link),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                          -1);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), link);
        }

      adw_preferences_group_add (self->steps_group, row);
    }
}

static void
field_changed_cb (GtkEditable      *editable,
                  HubConnectDialog *self)
{
  FieldEntry *entry = find_entry_for_row (self, GTK_WIDGET (editable));

  if (entry == NULL)
    return;

  validate_field (self, entry);
  /* Once shown, an error follows the typing; it never appears while typing. */
  if (entry->touched)
    update_field_style (self, entry);
  update_connect_sensitivity (self);
}

static void
field_focus_leave_cb (GtkEventControllerFocus *controller,
                      HubConnectDialog        *self)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  FieldEntry *entry = find_entry_for_row (self, row);
  g_auto(FieldText) text = NULL;

  if (entry == NULL)
    return;

  text = dup_field_text (entry);
  /* Leaving an empty field untouched is not an error yet. */
  if (*text != '\0')
    entry->touched = TRUE;
  update_field_style (self, entry);
}

static void
suggestion_clicked_cb (GtkButton        *button,
                       HubConnectDialog *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "hub-row");
  GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_POPOVER);

  gtk_editable_set_text (GTK_EDITABLE (row), gtk_button_get_label (button));
  if (popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (popover));
  gtk_widget_grab_focus (row);
}

static GtkWidget *
make_suggestions_button (HubConnectDialog *self,
                         const HubField   *field,
                         GtkWidget        *row)
{
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  /* Translators: accessible name of the button listing suggested values,
   * "Suggestions for Region" */
  g_autofree char *name = g_strdup_printf (_("Suggestions for %s"), field->label);

  for (guint i = 0; field->suggestions[i] != NULL; i++)
    {
      GtkWidget *item = gtk_button_new_with_label (field->suggestions[i]);

      gtk_widget_add_css_class (item, "flat");
      gtk_widget_set_halign (gtk_button_get_child (GTK_BUTTON (item)), GTK_ALIGN_START);
      g_object_set_data (G_OBJECT (item), "hub-row", row);
      g_signal_connect (item, "clicked", G_CALLBACK (suggestion_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), item);
    }

  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "pan-down-symbolic");
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  gtk_widget_set_tooltip_text (menu_button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);

  return menu_button;
}

static GtkWidget *
make_hint_row (GtkLabel **label_out)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_widget_set_margin_top (label, 6);
  gtk_widget_set_margin_bottom (label, 6);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_widget_add_css_class (label, "caption");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  /* Stays focusable: GtkListBox stops Tab navigation at a row that refuses focus,
   * and a screen reader reads the hint when it is reached. */
  gtk_widget_add_css_class (row, "hub-hint-row");
  gtk_widget_set_visible (row, FALSE);

  *label_out = GTK_LABEL (label);
  return row;
}

static GtkWidget *
make_entry_row (gboolean    secret,
                const char *title)
{
  GtkWidget *row = secret ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_activates_default (ADW_ENTRY_ROW (row), TRUE);
  adw_entry_row_set_input_hints (ADW_ENTRY_ROW (row),
                                 GTK_INPUT_HINT_NO_SPELLCHECK | GTK_INPUT_HINT_NO_EMOJI);
  /* libadwaita 1.2 leaves the reveal button unnamed. (The row's other inner
   * button, the apply button, is never shown here: show-apply-button is off.) */
  if (secret)
    hub_widget_name_inner (row, GTK_TYPE_BUTTON, _("Show Secret"));

  return row;
}

static void
add_fields (HubConnectDialog *self)
{
  GPtrArray *fields = hub_provider_get_fields (self->provider);
  GHashTable *values = self->relink != NULL ? hub_account_get_values (self->relink) : NULL;

  for (guint i = 0; i < fields->len; i++)
    {
      const HubField *field = g_ptr_array_index (fields, i);
      FieldEntry entry = { 0, };
      GtkEventController *focus;

      entry.field = field;
      entry.row = make_entry_row (field->secret, field->label);
      if (field->secret)
        adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (entry.row), GTK_INPUT_PURPOSE_PASSWORD);

      if (field->suggestions != NULL && field->suggestions[0] != NULL)
        adw_entry_row_add_suffix (ADW_ENTRY_ROW (entry.row),
                                  make_suggestions_button (self, field, entry.row));

      if (!field->secret && values != NULL && g_hash_table_lookup (values, field->id) != NULL)
        gtk_editable_set_text (GTK_EDITABLE (entry.row), g_hash_table_lookup (values, field->id));

      if (self->relink != NULL && field->secret)
        /* Translators: shown under a secret field when relinking */
        entry.info = g_strdup (_("Leave empty to keep the stored value."));
      else if (field->placeholder != NULL)
        /* Translators: an example value of a field, "For example: eu1" */
        entry.info = g_strdup_printf (_("For example: %s"), field->placeholder);

      entry.hint_row = make_hint_row (&entry.hint_label);

      g_signal_connect (entry.row, "changed", G_CALLBACK (field_changed_cb), self);
      focus = gtk_event_controller_focus_new ();
      g_signal_connect (focus, "leave", G_CALLBACK (field_focus_leave_cb), self);
      gtk_widget_add_controller (entry.row, focus);

      gtk_list_box_append (self->fields_list, entry.row);
      gtk_list_box_append (self->fields_list, entry.hint_row);
      g_array_append_val (self->fields, entry);
    }

  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldEntry *entry = &g_array_index (self->fields, FieldEntry, i);

      validate_field (self, entry);
      update_field_style (self, entry);
    }

  if (self->relink == NULL)
    {
      GtkLabel *hint = NULL;
      GtkWidget *hint_row = make_hint_row (&hint);

      self->label_row = make_entry_row (FALSE, _("Label"));
      gtk_list_box_append (self->fields_list, self->label_row);
      gtk_label_set_label (hint, _("Optional: a name for this account. Without one, the "
                                   "account is named after what the provider reports."));
      gtk_widget_add_css_class (GTK_WIDGET (hint), "dim-label");
      gtk_widget_set_visible (hint_row, TRUE);
      gtk_list_box_append (self->fields_list, hint_row);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->label_row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      gtk_label_get_label (hint),
                                      -1);
    }

  update_connect_sensitivity (self);
}

/* Relink: the stored secrets, merged into the values for fields left empty */

static void
lookup_stored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HubConnectDialog) self = user_data;
  g_autoptr(GHashTable) stored = NULL;
  g_autoptr(GError) error = NULL;

  stored = hub_account_store_lookup_values_finish (HUB_ACCOUNT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (stored == NULL)
    {
      g_debug ("Stored values unavailable: %s", error->message);
      /* Without the stored secret, every secret field must be entered again. */
      for (guint i = 0; i < self->fields->len; i++)
        {
          FieldEntry *entry = &g_array_index (self->fields, FieldEntry, i);

          if (!entry->field->secret)
            continue;
          g_clear_pointer (&entry->info, g_free);
          entry->info = g_strdup (_("The stored value cannot be read: enter it again."));
          update_field_style (self, entry);
        }
      self->stored_failed = TRUE;
      for (guint i = 0; i < self->fields->len; i++)
        {
          FieldEntry *entry = &g_array_index (self->fields, FieldEntry, i);

          validate_field (self, entry);
        }
      update_connect_sensitivity (self);
      return;
    }

  self->stored = g_steal_pointer (&stored);

  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldEntry *entry = &g_array_index (self->fields, FieldEntry, i);
      const char *secret;
      glong length;

      if (!entry->field->secret)
        continue;

      secret = g_hash_table_lookup (self->stored, entry->field->id);
      if (secret == NULL)
        continue;

      length = g_utf8_strlen (secret, -1);
      g_clear_pointer (&entry->info, g_free);
      if (length >= 12)
        /* Translators: placeholder of a secret field when relinking, "Unchanged (ends in 1a2B)" */
        entry->info = g_strdup_printf (_("Unchanged (ends in %s) — leave empty to keep it."),
                                       g_utf8_offset_to_pointer (secret, length - 4));
      else
        entry->info = g_strdup (_("Unchanged — leave empty to keep it."));
      update_field_style (self, entry);
    }
}

/* The flow */

static void
show_success (HubConnectDialog *self)
{
  HubVerifyResult *verified = self->verified;
  const char * const *granted;
  const char * const *missing;
  g_autofree char *title = NULL;
  GPtrArray *steps;

  /* Translators: success page title, the account's identity */
  title = g_strdup_printf (_("Connected to %s"), hub_verify_result_get_identity (verified));
  adw_status_page_set_title (self->success_page, title);
  if (self->relink != NULL)
    adw_status_page_set_description (self->success_page,
                                     _("The new credential is stored in the keyring."));
  else
    adw_status_page_set_description (self->success_page,
                                     _("The credential is stored in the keyring."));

  steps = hub_provider_get_verify_steps (self->provider);
  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      HubVerifyStep *step = g_ptr_array_index (steps, i);

      for (guint j = 0; step->captures != NULL && j < step->captures->len; j++)
        {
          HubCapture *capture = g_ptr_array_index (step->captures, j);
          const char *value = hub_verify_result_get_capture (verified, capture->var);

          if (value == NULL || capture->label == NULL || capture->type == HUB_CAPTURE_STRING_ARRAY)
            continue;

          adw_preferences_group_add (self->captured_group, make_value_row (capture->label, value));
        }
    }

  granted = hub_verify_result_get_granted_scopes (verified);
  missing = hub_verify_result_get_missing_scopes (verified);
  if (granted != NULL || (missing != NULL && missing[0] != NULL))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->scopes_group), TRUE);
      adw_preferences_group_set_description (self->scopes_group,
                                             _("What this credential may read."));

      for (guint i = 0; granted != NULL && granted[i] != NULL; i++)
        {
          GtkWidget *row = make_value_row (granted[i], _("Granted"));
          GtkWidget *icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");

          gtk_widget_add_css_class (icon, "success");
          gtk_accessible_update_state (GTK_ACCESSIBLE (icon),
                                       GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                       -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          adw_preferences_group_add (self->scopes_group, row);
        }

      for (guint i = 0; missing != NULL && missing[i] != NULL; i++)
        {
          GtkWidget *row = make_value_row (missing[i],
                                           _("Missing — needed for checking this account. "
                                             "Add the scope to the token and relink."));
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_widget_add_css_class (icon, "warning");
          gtk_accessible_update_state (GTK_ACCESSIBLE (icon),
                                       GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                                       -1);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
          adw_preferences_group_add (self->scopes_group, row);
        }
    }

  gtk_editable_set_text (GTK_EDITABLE (self->success_label_row),
                         hub_account_get_label (self->account) != NULL
                         ? hub_account_get_label (self->account) : "");

  gtk_stack_set_visible_child_name (self->stack, "success");
  gtk_widget_set_visible (GTK_WIDGET (self->guide_button), FALSE);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->done_button));
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
}

/* dispose drops the account store (and the template children) */
static gboolean
dialog_is_disposed (HubConnectDialog *self)
{
  return self->accounts == NULL;
}

static void
stored_cb (HubConnectDialog *self,
           HubAccount       *account,
           GError           *error)
{
  if (error != NULL)
    {
      set_checking (self, FALSE);
      show_error (self, error->message, NULL);
      forget_attempt (self);
      return;
    }

  g_set_object (&self->account, account);
  /* The secret is in the keyring now: drop (and so wipe) our copies. */
  g_clear_pointer (&self->values, g_hash_table_unref);
  g_clear_pointer (&self->stored, g_hash_table_unref);
  set_checking (self, FALSE);
  show_success (self);
}

static void
update_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HubConnectDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  HubAccount *account = g_object_get_data (G_OBJECT (self), "hub-updating");

  if (!hub_account_store_update_finish (HUB_ACCOUNT_STORE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A save that had started finishes even when cancelled; the dialog may be gone. */
  if (dialog_is_disposed (self))
    return;

  stored_cb (self, account, error);
}

static void
update_account (HubConnectDialog *self,
                HubAccount       *account)
{
  g_object_set_data_full (G_OBJECT (self), "hub-updating", g_object_ref (account), g_object_unref);
  hub_account_store_update_async (self->accounts, account, self->values, self->verified,
                                  self->cancellable, update_done_cb, g_object_ref (self));
}

static void
add_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(HubConnectDialog) self = user_data;
  g_autoptr(HubAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = hub_account_store_add_finish (HUB_ACCOUNT_STORE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* A save that had started finishes even when cancelled; the dialog may be gone. */
  if (dialog_is_disposed (self))
    return;

  if (g_error_matches (error, HUB_ACCOUNT_ERROR, HUB_ACCOUNT_ERROR_DUPLICATE))
    {
      HubAccount *existing;
      g_autofree char *title = NULL;

      existing = hub_account_store_find_identity (self->accounts,
                                                  hub_provider_get_id (self->provider),
                                                  hub_verify_result_get_identity (self->verified));
      if (existing != NULL)
        {
          set_checking (self, FALSE);
          g_set_object (&self->existing, existing);
          reveal (self->error_revealer, FALSE);
          /* Translators: the account's label */
          title = g_strdup_printf (_("Already linked as “%s”"),
                                   hub_account_get_label (existing));
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->duplicate_row), title);
          reveal (self->duplicate_revealer, TRUE);
          gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->form_scroller), 0.0);
          gtk_widget_grab_focus (GTK_WIDGET (self->update_button));
          return;
        }
    }

  stored_cb (self, account, error);
}

static void
verify_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HubConnectDialog) self = user_data;
  HubVerifier *verifier = HUB_VERIFIER (object);
  g_autoptr(HubVerifyResult) verified = NULL;
  g_autoptr(GError) error = NULL;

  verified = hub_verifier_verify_finish (verifier, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (verified == NULL)
    {
      g_autofree char *details = hub_verifier_dup_details (verifier, result);
      const char *failed_field = hub_verifier_get_failed_field (verifier, result);
      FieldEntry *entry = failed_field != NULL ? find_entry_for_field (self, failed_field) : NULL;

      forget_attempt (self);
      set_checking (self, FALSE);
      show_error (self, error->message, details);

      if (entry != NULL)
        {
          entry->touched = TRUE;
          if (g_error_matches (error, HUB_VERIFY_ERROR, HUB_VERIFY_ERROR_INVALID_INPUT))
            entry->valid = FALSE;
          update_field_style (self, entry);
          if (!gtk_widget_get_visible (entry->hint_row) || entry->valid)
            {
              /* The provider blamed this field although it looks well-formed. */
              gtk_widget_add_css_class (entry->row, "error");
              gtk_label_set_label (entry->hint_label, error->message);
              gtk_widget_remove_css_class (GTK_WIDGET (entry->hint_label), "dim-label");
              gtk_widget_add_css_class (GTK_WIDGET (entry->hint_label), "error");
              gtk_widget_set_visible (entry->hint_row, TRUE);
            }
          gtk_widget_grab_focus (entry->row);
        }
      else
        {
          gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
        }
      return;
    }

  self->verified = g_steal_pointer (&verified);

  if (self->relink != NULL)
    {
      update_account (self, self->relink);
    }
  else
    {
      g_autofree char *label = NULL;

      label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->label_row))));
      hub_account_store_add_async (self->accounts, self->provider, self->values, self->verified,
                                   *label != '\0' ? label : NULL,
                                   self->cancellable, add_done_cb, g_object_ref (self));
    }
}

static void
set_checking (HubConnectDialog *self,
              gboolean          checking)
{
  self->checking = checking;

  for (guint i = 0; i < self->fields->len; i++)
    gtk_widget_set_sensitive (g_array_index (self->fields, FieldEntry, i).row, !checking);
  if (self->label_row != NULL)
    gtk_widget_set_sensitive (self->label_row, !checking);
  gtk_widget_set_sensitive (GTK_WIDGET (self->retry_button), !checking);
  gtk_widget_set_sensitive (GTK_WIDGET (self->update_button), !checking);

  gtk_widget_set_visible (self->checking_box, checking);
  if (checking)
    {
      /* Translators: shown while the credential is checked, "Checking with Unleashed…" */
      g_autofree char *text = g_strdup_printf (_("Checking with %s…"),
                                               hub_provider_get_name (self->provider));

      gtk_label_set_label (self->checking_label, text);
      gtk_spinner_start (self->spinner);
      gtk_button_set_label (self->connect_button, _("Cancel"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->connect_button), "suggested-action");
      gtk_widget_grab_focus (GTK_WIDGET (self->connect_button));
    }
  else
    {
      gtk_spinner_stop (self->spinner);
      gtk_button_set_label (self->connect_button, _("Connect"));
      gtk_widget_add_css_class (GTK_WIDGET (self->connect_button), "suggested-action");
    }

  update_connect_sensitivity (self);
}

static void
cancel_check (HubConnectDialog *self)
{
  reset_cancellable (self);
  forget_attempt (self);
  set_checking (self, FALSE);
}

static void
start_check (HubConnectDialog *self)
{
  g_autoptr(GHashTable) values = hub_auth_values_new ();
  FieldEntry *first_invalid = NULL;

  hide_messages (self);
  forget_attempt (self);

  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldEntry *entry = &g_array_index (self->fields, FieldEntry, i);

      entry->touched = TRUE;
      validate_field (self, entry);
      update_field_style (self, entry);
      if (!entry->valid && first_invalid == NULL)
        first_invalid = entry;
    }

  if (first_invalid != NULL)
    {
      gtk_widget_grab_focus (first_invalid->row);
      update_connect_sensitivity (self);
      return;
    }

  for (guint i = 0; i < self->fields->len; i++)
    {
      FieldEntry *entry = &g_array_index (self->fields, FieldEntry, i);
      g_auto(FieldText) text = dup_field_text (entry);

      if (keeps_stored_secret (self, entry, text))
        {
          const char *stored = self->stored != NULL
                               ? g_hash_table_lookup (self->stored, entry->field->id) : NULL;

          if (stored == NULL)
            {
              /* Translators: the field's label */
              g_autofree char *message = NULL;

              message = g_strdup_printf (_("Enter the %s: the stored one cannot be read."),
                                         entry->field->label);

              show_error (self, message, NULL);
              entry->touched = TRUE;
              gtk_widget_grab_focus (entry->row);
              return;
            }
          g_hash_table_insert (values, g_strdup (entry->field->id), g_strdup (stored));
        }
      else if (*text != '\0')
        {
          g_hash_table_insert (values, g_strdup (entry->field->id), g_steal_pointer (&text));
        }
      else if (text != NULL)
        {
          hub_auth_secret_free (g_steal_pointer (&text));
        }
    }

  self->values = g_steal_pointer (&values);
  set_checking (self, TRUE);
  hub_verifier_verify_async (hub_account_store_get_verifier (self->accounts),
                             self->provider, self->values, self->cancellable,
                             verify_done_cb, g_object_ref (self));
}

/* Template callbacks */

static void
connect_clicked_cb (HubConnectDialog *self)
{
  if (self->checking)
    cancel_check (self);
  else
    start_check (self);
}

static void
retry_clicked_cb (HubConnectDialog *self)
{
  if (!self->checking)
    start_check (self);
}

static void
update_clicked_cb (HubConnectDialog *self)
{
  if (self->existing == NULL || self->verified == NULL || self->values == NULL)
    return;

  reveal (self->duplicate_revealer, FALSE);
  set_checking (self, TRUE);
  update_account (self, self->existing);
}

static void
guide_clicked_cb (HubConnectDialog *self)
{
  gtk_show_uri (GTK_WINDOW (self), hub_provider_get_docs_url (self->provider), GDK_CURRENT_TIME);
}

static void
finish (HubConnectDialog *self)
{
  g_autoptr(HubConnectDialog) keep = g_object_ref (self);

  g_signal_emit (self, signals[SIGNAL_DONE], 0, self->account);
  gtk_window_close (GTK_WINDOW (self));
}

static void
rename_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HubConnectDialog) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hub_account_store_rename_finish (HUB_ACCOUNT_STORE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_set_sensitive (GTK_WIDGET (self->done_button), TRUE);
      show_toast (self, error->message);
      return;
    }

  finish (self);
}

static void
done_clicked_cb (HubConnectDialog *self)
{
  g_autofree char *label = NULL;

  if (self->account == NULL)
    return;

  label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->success_label_row))));
  if (*label != '\0' && g_strcmp0 (label, hub_account_get_label (self->account)) != 0)
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->done_button), FALSE);
      hub_account_store_rename_async (self->accounts, self->account, label, self->cancellable,
                                      rename_done_cb, g_object_ref (self));
      return;
    }

  finish (self);
}

static void
escape_activated_cb (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HubConnectDialog *self = HUB_CONNECT_DIALOG (widget);

  if (self->checking)
    cancel_check (self);
  else if (self->account != NULL)
    finish (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

/* GObject */

static void
hub_connect_dialog_constructed (GObject *object)
{
  HubConnectDialog *self = HUB_CONNECT_DIALOG (object);

  G_OBJECT_CLASS (hub_connect_dialog_parent_class)->constructed (object);

  adw_window_title_set_title (self->window_title, hub_provider_get_name (self->provider));
  if (self->relink != NULL)
    {
      /* Translators: subtitle of the connect dialog when relinking, the account's label */
      g_autofree char *subtitle = g_strdup_printf (_("Relink “%s”"),
                                                   hub_account_get_label (self->relink));

      adw_window_title_set_subtitle (self->window_title, subtitle);
      gtk_window_set_title (GTK_WINDOW (self), subtitle);
    }
  else
    {
      /* Translators: window title, "Connect Unleashed" */
      g_autofree char *title = g_strdup_printf (_("Connect %s"),
                                                hub_provider_get_name (self->provider));

      gtk_window_set_title (GTK_WINDOW (self), title);
    }

  {
    /* Translators: accessible name of the Guide button, "Unleashed API guide" */
    g_autofree char *guide = g_strdup_printf (_("Guide: %s API documentation"),
                                              hub_provider_get_name (self->provider));

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->guide_button),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, guide,
                                    -1);
  }

  add_warnings (self);
  add_steps (self);
  add_fields (self);

  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->connect_button));

  if (self->relink != NULL)
    hub_account_store_lookup_values_async (self->accounts, self->relink, self->cancellable,
                                           lookup_stored_cb, g_object_ref (self));

  if (self->fields->len > 0)
    gtk_window_set_focus (GTK_WINDOW (self), g_array_index (self->fields, FieldEntry, 0).row);
}

static void
hub_connect_dialog_dispose (GObject *object)
{
  HubConnectDialog *self = HUB_CONNECT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), HUB_TYPE_CONNECT_DIALOG);

  forget_attempt (self);
  g_clear_pointer (&self->stored, g_hash_table_unref);
  g_clear_object (&self->account);
  g_clear_object (&self->relink);
  g_clear_object (&self->accounts);
  g_clear_object (&self->provider);

  G_OBJECT_CLASS (hub_connect_dialog_parent_class)->dispose (object);
}

static void
hub_connect_dialog_finalize (GObject *object)
{
  HubConnectDialog *self = HUB_CONNECT_DIALOG (object);

  g_clear_object (&self->cancellable);
  g_array_unref (self->fields);

  G_OBJECT_CLASS (hub_connect_dialog_parent_class)->finalize (object);
}

static void
hub_connect_dialog_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HubConnectDialog *self = HUB_CONNECT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    case PROP_ACCOUNTS:
      g_value_set_object (value, self->accounts);
      break;
    case PROP_RELINK:
      g_value_set_object (value, self->relink);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hub_connect_dialog_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HubConnectDialog *self = HUB_CONNECT_DIALOG (object);

  switch (prop_id)
    {
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    case PROP_ACCOUNTS:
      self->accounts = g_value_dup_object (value);
      break;
    case PROP_RELINK:
      self->relink = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hub_connect_dialog_class_init (HubConnectDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hub_connect_dialog_constructed;
  object_class->dispose = hub_connect_dialog_dispose;
  object_class->finalize = hub_connect_dialog_finalize;
  object_class->get_property = hub_connect_dialog_get_property;
  object_class->set_property = hub_connect_dialog_set_property;

  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, HUB_TYPE_PROVIDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCOUNTS] =
    g_param_spec_object ("accounts", NULL, NULL, HUB_TYPE_ACCOUNT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RELINK] =
    g_param_spec_object ("relink", NULL, NULL, HUB_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HUB_TYPE_ACCOUNT);

  hub_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/hub-connect-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, guide_button);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, form_scroller);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, error_row);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, retry_button);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, details_row);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, details_label);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, duplicate_revealer);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, duplicate_row);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, update_button);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, warnings_group);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, steps_group);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, fields_list);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, checking_box);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, spinner);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, checking_label);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, connect_button);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, success_page);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, captured_group);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, scopes_group);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, success_label_row);
  gtk_widget_class_bind_template_child (widget_class, HubConnectDialog, done_button);
  gtk_widget_class_bind_template_callback (widget_class, connect_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, revealer_child_revealed_cb);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, guide_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, done_clicked_cb);

  gtk_widget_class_install_action (widget_class, "dialog.escape", NULL, escape_activated_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "dialog.escape", NULL);
}

static void
hub_connect_dialog_init (HubConnectDialog *self)
{
  self->cancellable = g_cancellable_new ();
  self->fields = g_array_new (FALSE, TRUE, sizeof (FieldEntry));
  g_array_set_clear_func (self->fields, field_entry_clear);

  gtk_widget_init_template (GTK_WIDGET (self));
}

HubConnectDialog *
hub_connect_dialog_new (GtkWindow       *parent,
                        HubProvider     *provider,
                        HubAccountStore *accounts,
                        HubAccount      *relink)
{
  HubConnectDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (HUB_IS_PROVIDER (provider), NULL);
  g_return_val_if_fail (HUB_IS_ACCOUNT_STORE (accounts), NULL);
  g_return_val_if_fail (relink == NULL || HUB_IS_ACCOUNT (relink), NULL);

  self = g_object_new (HUB_TYPE_CONNECT_DIALOG,
                       "transient-for", parent,
                       "provider", provider,
                       "accounts", accounts,
                       "relink", relink,
                       NULL);

  /* On a narrow (phone-sized) window the dialog covers it instead of overflowing. */
  if (parent != NULL)
    {
      int width = gtk_widget_get_width (GTK_WIDGET (parent));
      int height = gtk_widget_get_height (GTK_WIDGET (parent));

      if (width > 0 && width < 560)
        gtk_window_set_default_size (GTK_WINDOW (self), width, height);
    }

  return self;
}

HubProvider *
hub_connect_dialog_get_provider (HubConnectDialog *self)
{
  g_return_val_if_fail (HUB_IS_CONNECT_DIALOG (self), NULL);

  return self->provider;
}
