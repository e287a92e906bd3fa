/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-account-row"

#include "config.h"

#include <glib/gi18n.h>

#include "hub-account-row.h"
#include "hub-status-pill.h"
#include "hub-ui-util.h"

struct _HubAccountRow
{
  AdwActionRow   parent_instance;
  HubAccount    *account;   /* owned */
  HubProvider   *provider;  /* owned, nullable */
  AdwAvatar     *avatar;    /* nullable until first shown */
  HubStatusPill *pill;      /* nullable until first shown */
  guint          decorate_id;
  gboolean       was_unmapped;
};

G_DEFINE_FINAL_TYPE (HubAccountRow, hub_account_row, ADW_TYPE_ACTION_ROW)

enum { PROP_0, PROP_ACCOUNT, PROP_PROVIDER, N_PROPS };
static GParamSpec *properties[N_PROPS];

static const char *
provider_name (HubAccountRow *self)
{
  if (self->provider != NULL)
    return hub_provider_get_name (self->provider);

  return hub_account_get_provider_id (self->account);
}

static void
update_row (HubAccountRow *self)
{
  g_autoptr(GString) subtitle = NULL;
  const char *identity, *label;
  GDateTime *checked;

  if (self->account == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), "");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self), "");
      return;
    }

  subtitle = g_string_new (provider_name (self));
  identity = hub_account_get_identity (self->account);
  label = hub_account_get_label (self->account);
  checked = hub_account_get_checked_at (self->account);

  if (label == NULL || *label == '\0')
    label = identity;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), label != NULL ? label : "");

  if (identity != NULL && *identity != '\0' && g_strcmp0 (identity, label) != 0)
    g_string_append_printf (subtitle, " · %s", identity);

  if (checked != NULL)
    {
      g_autofree char *when = hub_format_relative_time (checked);

      /* Translators: "checked 5 minutes ago" in an account row */
      g_string_append_printf (subtitle, " · ");
      g_string_append_printf (subtitle, _("checked %s"), when);
    }
  else
    {
      g_string_append (subtitle, " · ");
      g_string_append (subtitle, _("never checked"));
    }

  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);
}

static void
account_notify_cb (HubAccountRow *self)
{
  update_row (self);
}

static void
update_decorations (HubAccountRow *self)
{
  if (self->pill == NULL)
    return;

  hub_status_pill_set_account (self->pill, self->account);
  if (self->account != NULL)
    adw_avatar_set_text (self->avatar, provider_name (self));
}

static void
ensure_decorations (HubAccountRow *self)
{
  GtkWidget *chevron;

  g_clear_handle_id (&self->decorate_id, g_source_remove);
  if (self->pill != NULL)
    return;

  self->avatar = ADW_AVATAR (adw_avatar_new (36, NULL, TRUE));
  gtk_widget_set_valign (GTK_WIDGET (self->avatar), GTK_ALIGN_CENTER);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->avatar),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                               -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (self), GTK_WIDGET (self->avatar));

  self->pill = HUB_STATUS_PILL (hub_status_pill_new ());
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->pill));

  chevron = gtk_image_new_from_icon_name ("go-next-symbolic");
  gtk_accessible_update_state (GTK_ACCESSIBLE (chevron),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE,
                               -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), chevron);

  update_decorations (self);
}

static gboolean
decorate_cb (gpointer user_data)
{
  HubAccountRow *self = user_data;

  self->decorate_id = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    ensure_decorations (self);

  return G_SOURCE_REMOVE;
}

/* Follows self->account: shows it, or nothing when it is NULL. A recycled row
 * (GtkListView) must not keep listening to the account it showed before. */
static void
connect_account (HubAccountRow *self)
{
  update_decorations (self);

  if (self->account == NULL)
    {
      update_row (self);
      return;
    }

  g_signal_connect_object (self->account, "notify::label",
                           G_CALLBACK (account_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::identity",
                           G_CALLBACK (account_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->account, "notify::checked-at",
                           G_CALLBACK (account_notify_cb), self, G_CONNECT_SWAPPED);
  update_row (self);
}

static void
disconnect_account (HubAccountRow *self)
{
  if (self->account != NULL)
    g_signal_handlers_disconnect_by_func (self->account, account_notify_cb, self);
}

static void
hub_account_row_constructed (GObject *object)
{
  HubAccountRow *self = HUB_ACCOUNT_ROW (object);

  G_OBJECT_CLASS (hub_account_row_parent_class)->constructed (object);

  connect_account (self);
}

static void
hub_account_row_dispose (GObject *object)
{
  HubAccountRow *self = HUB_ACCOUNT_ROW (object);

  disconnect_account (self);
  g_clear_handle_id (&self->decorate_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HUB_TYPE_ACCOUNT_ROW);
  g_clear_object (&self->account);
  g_clear_object (&self->provider);

  G_OBJECT_CLASS (hub_account_row_parent_class)->dispose (object);
}

static void
hub_account_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HubAccountRow *self = HUB_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_PROVIDER:
      g_value_set_object (value, self->provider);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hub_account_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HubAccountRow *self = HUB_ACCOUNT_ROW (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    case PROP_PROVIDER:
      self->provider = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* In a GtkListView the list item around the row takes the focus, and
 * GtkListBoxRow's own focus handling assumes a GtkListBox (it fails an
 * assertion without one): outside a list box the row declines. */
static gboolean
hub_account_row_grab_focus (GtkWidget *widget)
{
  if (!GTK_IS_LIST_BOX (gtk_widget_get_parent (widget)))
    return FALSE;

  return GTK_WIDGET_CLASS (hub_account_row_parent_class)->grab_focus (widget);
}

static gboolean
hub_account_row_focus (GtkWidget        *widget,
                       GtkDirectionType  direction)
{
  if (!GTK_IS_LIST_BOX (gtk_widget_get_parent (widget)))
    return FALSE;

  return GTK_WIDGET_CLASS (hub_account_row_parent_class)->focus (widget, direction);
}

/* The avatar, status pill and chevron are most of a row's cost, and a
 * GtkListView 4.8 keeps up to 200 rows, of which it maps only the visible
 * ones. A new row is mapped as it is added, before the list view knows where
 * it goes: it is decorated after that layout if it is still shown. A row the
 * list view shows again (it was hidden once) is decorated at once, before it
 * is drawn. */
static void
hub_account_row_map (GtkWidget *widget)
{
  HubAccountRow *self = HUB_ACCOUNT_ROW (widget);

  if (self->pill == NULL && self->was_unmapped)
    ensure_decorations (self);

  GTK_WIDGET_CLASS (hub_account_row_parent_class)->map (widget);

  if (self->pill == NULL && self->decorate_id == 0)
    self->decorate_id = g_idle_add (decorate_cb, self);
}

static void
hub_account_row_unmap (GtkWidget *widget)
{
  HUB_ACCOUNT_ROW (widget)->was_unmapped = TRUE;

  GTK_WIDGET_CLASS (hub_account_row_parent_class)->unmap (widget);
}

static void
hub_account_row_class_init (HubAccountRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hub_account_row_constructed;
  object_class->dispose = hub_account_row_dispose;
  object_class->get_property = hub_account_row_get_property;
  object_class->set_property = hub_account_row_set_property;
  widget_class->grab_focus = hub_account_row_grab_focus;
  widget_class->focus = hub_account_row_focus;
  widget_class->map = hub_account_row_map;
  widget_class->unmap = hub_account_row_unmap;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, HUB_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER] =
    g_param_spec_object ("provider", NULL, NULL, HUB_TYPE_PROVIDER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  hub_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/hub-account-row.ui");
}

static void
hub_account_row_init (HubAccountRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
hub_account_row_new (HubAccount  *account,
                     HubProvider *provider)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (provider == NULL || HUB_IS_PROVIDER (provider), NULL);

  return g_object_new (HUB_TYPE_ACCOUNT_ROW,
                       "account", account,
                       "provider", provider,
                       NULL);
}

/* Shows @account (nullable: an empty row) in place of the current one: lets a
 * GtkListView factory recycle rows on bind and unbind. */
void
hub_account_row_set_account (HubAccountRow *self,
                             HubAccount    *account,
                             HubProvider   *provider)
{
  g_return_if_fail (HUB_IS_ACCOUNT_ROW (self));
  g_return_if_fail (account == NULL || HUB_IS_ACCOUNT (account));
  g_return_if_fail (provider == NULL || HUB_IS_PROVIDER (provider));

  if (self->account == account && self->provider == provider)
    return;

  disconnect_account (self);
  g_set_object (&self->account, account);
  g_set_object (&self->provider, provider);
  connect_account (self);
}

HubAccount *
hub_account_row_get_account (HubAccountRow *self)
{
  g_return_val_if_fail (HUB_IS_ACCOUNT_ROW (self), NULL);

  return self->account;
}

void
hub_account_row_refresh (HubAccountRow *self)
{
  g_return_if_fail (HUB_IS_ACCOUNT_ROW (self));

  update_row (self);
}
