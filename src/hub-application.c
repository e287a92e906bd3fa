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
  GSettings       *settings;      /* NULL when the schema is not installed */
  GSettings       *window_state;  /* delayed: applied when the window closes */
  gboolean         env_timeout_invalid;  /* said once; the setting is used */
};

G_DEFINE_FINAL_TYPE (HubApplication, hub_application, ADW_TYPE_APPLICATION)

/* NULL (and no warning) when the schema is not installed: tests, the build tree without
 * GSETTINGS_SCHEMA_DIR. g_settings_new() would abort instead. */
static GSettings *
new_settings_if_installed (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("GSettings schema %s not found: window size and request timeout are not kept",
               APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static void
apply_request_timeout (HubApplication *self)
{
  const char *env = g_getenv ("CONNECT_HUB_TIMEOUT");
  guint seconds;

  if (self->settings == NULL)
    return;

  /* A valid CONNECT_HUB_TIMEOUT wins over the setting (DESIGN.md); an invalid one is
   * ignored in favour of the setting, and said once on stderr. */
  if (env != NULL && !self->env_timeout_invalid)
    {
      g_autoptr(GError) error = NULL;

      if (hub_verifier_parse_timeout (env, &seconds, &error))
        return;

      /* Not g_unsetenv: other threads exist by now and it is not thread-safe. */
      g_printerr ("connect-hub: %s %s\n", error->message,
                  _("The “Request timeout” preference is used instead."));
      self->env_timeout_invalid = TRUE;
    }

  seconds = g_settings_get_uint (self->settings, "request-timeout");
  g_debug ("Request timeout from settings: %u s", seconds);
  hub_verifier_set_timeout (hub_verifier_get_default (), seconds);
}

static void
request_timeout_changed_cb (HubApplication *self,
                            const char     *key,
                            GSettings      *settings)
{
  apply_request_timeout (self);
}

static gboolean
window_close_request_cb (HubApplication *self,
                         GtkWindow      *window)
{
  if (self->window_state != NULL)
    g_settings_apply (self->window_state);

  return FALSE;  /* let the window close */
}

static void
restore_window_state (HubApplication *self,
                      GtkWindow      *window)
{
  if (self->window_state == NULL)
    return;

  /* GTK 4 keeps default-width/height at the unmaximized size while the window is resized. */
  g_settings_bind (self->window_state, "window-width", window, "default-width",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->window_state, "window-height", window, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->window_state, "window-maximized", window, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
  g_signal_connect_object (window, "close-request",
                           G_CALLBACK (window_close_request_cb), self, G_CONNECT_SWAPPED);
}

static void
about_activated_cb (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  HubApplication *self = HUB_APPLICATION (user_data);
  static const char *developers[] = {
    "The Connect Hub developers https://github.com/connecthub/connect-hub",
    NULL
  };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "modal", TRUE,
                        "application-icon", APP_ID,
                        "application-name", _("Connect Hub"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Link accounts of HR, recruiting and inventory services with "
                                      "their API credentials, checked against each provider and "
                                      "kept in your keyring."),
                        "developer-name", _("The Connect Hub developers"),
                        "developers", developers,
                        "copyright", _("© 2026 The Connect Hub developers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/connecthub/connect-hub",
                        "issue-url", "https://github.com/connecthub/connect-hub/issues",
                        /* Translators: Replace "translator-credits" with your name and e-mail,
                         * one translator a line: "Name <email>". */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

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
    { "about", about_activated_cb },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_overlay_accels[] = { "<Control>question", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  g_autoptr(HubSecretStore) secrets = NULL;

  G_APPLICATION_CLASS (hub_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  /* win.show-help-overlay comes with gtk/help-overlay.ui; window.close is GtkWindow's own. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         help_overlay_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);

  self->settings = new_settings_if_installed ();
  if (self->settings != NULL)
    {
      self->window_state = new_settings_if_installed ();
      g_settings_delay (self->window_state);
      g_signal_connect_object (self->settings, "changed::request-timeout",
                               G_CALLBACK (request_timeout_changed_cb), self, G_CONNECT_SWAPPED);
      apply_request_timeout (self);
    }

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
    {
      window = GTK_WINDOW (hub_window_new (ADW_APPLICATION (self), self->catalog, self->accounts));
      restore_window_state (self, window);
    }

  gtk_window_present (window);
}

static void
hub_application_shutdown (GApplication *application)
{
  HubApplication *self = HUB_APPLICATION (application);

  /* app.quit destroys the window without a close-request. */
  if (self->window_state != NULL)
    {
      g_settings_apply (self->window_state);
      g_settings_sync ();
    }

  G_APPLICATION_CLASS (hub_application_parent_class)->shutdown (application);
}

static void
hub_application_dispose (GObject *object)
{
  HubApplication *self = HUB_APPLICATION (object);

  g_clear_object (&self->accounts);
  g_clear_object (&self->catalog);
  g_clear_object (&self->window_state);
  g_clear_object (&self->settings);

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
  app_class->shutdown = hub_application_shutdown;
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
