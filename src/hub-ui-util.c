/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-ui-util"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "hub-ui-resources.h"
#include "hub-ui-util.h"

/* The UI resource sits in a static library: its constructor is linked in only
 * because this file references hub_ui_get_resource(). Register it by hand
 * should the constructor not have run (e.g. --manual-register). */
void
hub_ui_ensure_resources (void)
{
  if (!g_resources_get_info (RESOURCE_PREFIX "/ui/hub-window.ui",
                             G_RESOURCE_LOOKUP_FLAGS_NONE, NULL, NULL, NULL))
    g_resources_register (hub_ui_get_resource ());
}

char *
hub_format_relative_time (GDateTime *when)
{
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan span;
  gint64 minutes, hours, days;

  if (when == NULL)
    return g_strdup (_("never"));

  now = g_date_time_new_now_local ();
  span = g_date_time_difference (now, when);
  if (span < 0)
    span = 0;

  minutes = span / G_TIME_SPAN_MINUTE;
  hours = span / G_TIME_SPAN_HOUR;
  days = span / G_TIME_SPAN_DAY;

  if (minutes < 1)
    return g_strdup (_("just now"));
  if (hours < 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         (gulong) minutes), (int) minutes);
  if (days < 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         (gulong) hours), (int) hours);
  if (days < 2)
    return g_strdup (_("yesterday"));
  if (days < 30)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago",
                                         (gulong) days), (int) days);
  {
    g_autoptr(GDateTime) local = g_date_time_to_local (when);

    /* Translators: a date, strftime format */
    return g_date_time_format (local, _("on %e %B %Y"));
  }
}

void
hub_account_describe_status (HubAccount  *account,
                             const char **text,
                             const char **icon_name,
                             const char **style_class)
{
  const char *t, *i, *c;

  if (hub_account_get_keyring_locked (account))
    {
      t = _("Keyring locked");
      i = "system-lock-screen-symbolic";
      c = "warning";
    }
  else if (hub_account_get_secret_missing (account))
    {
      t = _("Secret missing");
      i = "dialog-password-symbolic";
      c = "error";
    }
  else
    {
      switch (hub_account_get_status (account))
        {
        case HUB_ACCOUNT_STATUS_CONNECTED:
          t = _("Connected");
          i = "emblem-ok-symbolic";
          c = "success";
          break;
        case HUB_ACCOUNT_STATUS_REJECTED:
          t = _("Needs relink");
          i = "dialog-error-symbolic";
          c = "error";
          break;
        case HUB_ACCOUNT_STATUS_ERROR:
          t = _("Check failed");
          i = "dialog-warning-symbolic";
          c = "warning";
          break;
        case HUB_ACCOUNT_STATUS_UNCHECKED:
        default:
          t = _("Not checked");
          i = "content-loading-symbolic";
          c = "dim-label";
          break;
        }
    }

  if (text != NULL)
    *text = t;
  if (icon_name != NULL)
    *icon_name = i;
  if (style_class != NULL)
    *style_class = c;
}

gboolean
hub_account_needs_attention (HubAccount *account)
{
  HubAccountStatus status;

  if (hub_account_get_keyring_locked (account) || hub_account_get_secret_missing (account))
    return TRUE;

  status = hub_account_get_status (account);
  return status == HUB_ACCOUNT_STATUS_REJECTED || status == HUB_ACCOUNT_STATUS_ERROR;
}


const char *
hub_provider_find_capture_label (HubProvider *provider,
                                 const char  *var)
{
  GPtrArray *steps = hub_provider_get_verify_steps (provider);

  for (guint i = 0; steps != NULL && i < steps->len; i++)
    {
      HubVerifyStep *step = g_ptr_array_index (steps, i);

      for (guint j = 0; step->captures != NULL && j < step->captures->len; j++)
        {
          HubCapture *capture = g_ptr_array_index (step->captures, j);

          if (g_strcmp0 (capture->var, var) == 0)
            return capture->label;
        }
    }

  return NULL;
}

char *
hub_provider_dup_secret_label (HubProvider *provider)
{
  GPtrArray *fields = hub_provider_get_fields (provider);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  for (guint i = 0; fields != NULL && i < fields->len; i++)
    {
      HubField *field = g_ptr_array_index (fields, i);

      if (field->secret)
        g_ptr_array_add (labels, field->label);
    }

  if (labels->len == 0)
    return g_strdup (_("secret"));
  if (labels->len == 1)
    return g_strdup (g_ptr_array_index (labels, 0));

  /* Translators: two credential names, "API Id and API Key" */
  return g_strdup_printf (_("%s and %s"),
                          (char *) g_ptr_array_index (labels, 0),
                          (char *) g_ptr_array_index (labels, 1));
}

void
hub_widget_name_inner (GtkWidget  *widget,
                       GType       type,
                       const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                        -1);
      else
        hub_widget_name_inner (child, type, label);
    }
}

const char *
hub_warning_kind_icon_name (HubWarningKind kind)
{
  switch (kind)
    {
    case HUB_WARNING_ADMIN:
      return "security-high-symbolic";
    case HUB_WARNING_SHOWN_ONCE:
      return "dialog-password-symbolic";
    case HUB_WARNING_FULL_ACCESS:
      return "dialog-warning-symbolic";
    case HUB_WARNING_REGION:
      return "mark-location-symbolic";
    case HUB_WARNING_SCOPES:
      return "security-medium-symbolic";
    case HUB_WARNING_PAID:
    default:
      return "help-about-symbolic";
    }
}
