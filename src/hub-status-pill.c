/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-status-pill"

#include "config.h"

#include <glib/gi18n.h>

#include "hub-status-pill.h"
#include "hub-ui-util.h"

struct _HubStatusPill
{
  GtkBox       parent_instance;
  HubAccount  *account;      /* owned */
  GtkImage    *icon;
  GtkLabel    *label;
  const char  *style_class;  /* static */
};

G_DEFINE_FINAL_TYPE (HubStatusPill, hub_status_pill, GTK_TYPE_BOX)

enum { PROP_0, PROP_ACCOUNT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
update_status (HubStatusPill *self)
{
  const char *text = "", *icon = NULL, *style_class = NULL;

  if (self->account != NULL)
    hub_account_describe_status (self->account, &text, &icon, &style_class);

  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_label_set_label (self->label, text);
  gtk_widget_set_visible (GTK_WIDGET (self), self->account != NULL);

  if (self->style_class != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self), self->style_class);
  self->style_class = style_class;
  if (style_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), style_class);

  /* Translators: accessible description of the status pill, e.g. "Status: Connected" */
  {
    g_autofree char *description = g_strdup_printf (_("Status: %s"), text);

    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                    -1);
  }
}

static void
account_notify_cb (HubStatusPill *self)
{
  update_status (self);
}

static void
hub_status_pill_dispose (GObject *object)
{
  HubStatusPill *self = HUB_STATUS_PILL (object);

  g_clear_object (&self->account);

  G_OBJECT_CLASS (hub_status_pill_parent_class)->dispose (object);
}

static void
hub_status_pill_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  HubStatusPill *self = HUB_STATUS_PILL (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hub_status_pill_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  HubStatusPill *self = HUB_STATUS_PILL (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      hub_status_pill_set_account (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hub_status_pill_class_init (HubStatusPillClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hub_status_pill_dispose;
  object_class->get_property = hub_status_pill_get_property;
  object_class->set_property = hub_status_pill_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, HUB_TYPE_ACCOUNT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "status-pill");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
hub_status_pill_init (HubStatusPill *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 4);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);

  self->icon = GTK_IMAGE (gtk_image_new ());
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->icon),
                               GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->icon));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->label));

  update_status (self);
}

GtkWidget *
hub_status_pill_new (void)
{
  return g_object_new (HUB_TYPE_STATUS_PILL, NULL);
}

HubAccount *
hub_status_pill_get_account (HubStatusPill *self)
{
  g_return_val_if_fail (HUB_IS_STATUS_PILL (self), NULL);

  return self->account;
}

void
hub_status_pill_set_account (HubStatusPill *self,
                             HubAccount    *account)
{
  g_return_if_fail (HUB_IS_STATUS_PILL (self));
  g_return_if_fail (account == NULL || HUB_IS_ACCOUNT (account));

  if (self->account == account)
    return;

  if (self->account != NULL)
    g_signal_handlers_disconnect_by_data (self->account, self);
  g_set_object (&self->account, account);
  if (account != NULL)
    {
      g_signal_connect_object (account, "notify::status",
                               G_CALLBACK (account_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (account, "notify::keyring-locked",
                               G_CALLBACK (account_notify_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (account, "notify::secret-missing",
                               G_CALLBACK (account_notify_cb), self, G_CONNECT_SWAPPED);
    }

  update_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACCOUNT]);
}

const char *
hub_status_pill_get_text (HubStatusPill *self)
{
  g_return_val_if_fail (HUB_IS_STATUS_PILL (self), NULL);

  return gtk_label_get_label (self->label);
}
