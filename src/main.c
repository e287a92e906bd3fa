/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "connect-hub"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "hub-application.h"
#include "hub-cli.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(HubApplication) app = NULL;
  const char *localedir;

  /* CONNECT_HUB_LOCALEDIR: run from the build tree with its .mo files (<builddir>/po). */
  localedir = g_getenv ("CONNECT_HUB_LOCALEDIR");
  if (localedir == NULL || *localedir == '\0')
    localedir = LOCALEDIR;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The command line never initialises GTK and works without a display. */
  if (hub_cli_wants (argc, argv))
    return hub_cli_run (argc, argv);

  app = hub_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
