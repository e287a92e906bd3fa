/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-application"

#include "config.h"

#include <glib/gi18n.h>

#include "hub-application.h"
#include "hub-window.h"

struct _HubApplication
{
  AdwApplication   parent_instance;
  HubCatalog      *catalog;
  HubAccountStore *accounts;
};

G_DEFINE_FINAL_TYPE (HubApplication, hub_application, ADW_TYPE_APPLICATION)

static void
quit_activated_cb (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
accounts_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hub_account_store_load_finish (HUB_ACCOUNT_STORE (object), result, &error))
    g_debug ("Loading accounts failed: %s", error->message);
}

static void
hub_application_startup (GApplication *application)
{
  HubApplication *self = HUB_APPLICATION (application);
  static const GActionEntry app_entries[] = {
    { "quit", quit_activated_cb },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  g_autoptr(HubSecretStore) secrets = NULL;

  G_APPLICATION_CLASS (hub_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);

  self->catalog = g_object_ref (hub_catalog_get_default ());
  secrets = hub_secret_store_new ();
  self->accounts = hub_account_store_new (secrets, hub_verifier_get_default (), NULL);
  hub_account_store_load_async (self->accounts, NULL, accounts_loaded_cb, NULL);
}

static void
hub_application_activate (GApplication *application)
{
  HubApplication *self = HUB_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (hub_window_new (ADW_APPLICATION (self), self->catalog, self->accounts));

  gtk_window_present (window);
}

static void
hub_application_dispose (GObject *object)
{
  HubApplication *self = HUB_APPLICATION (object);

  g_clear_object (&self->accounts);
  g_clear_object (&self->catalog);

  G_OBJECT_CLASS (hub_application_parent_class)->dispose (object);
}

static void
hub_application_class_init (HubApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = hub_application_dispose;
  app_class->startup = hub_application_startup;
  app_class->activate = hub_application_activate;
}

static void
hub_application_init (HubApplication *self)
{
}

HubApplication *
hub_application_new (void)
{
  return g_object_new (HUB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

HubCatalog *
hub_application_get_catalog (HubApplication *self)
{
  g_return_val_if_fail (HUB_IS_APPLICATION (self), NULL);

  return self->catalog;
}

HubAccountStore *
hub_application_get_account_store (HubApplication *self)
{
  g_return_val_if_fail (HUB_IS_APPLICATION (self), NULL);

  return self->accounts;
}
