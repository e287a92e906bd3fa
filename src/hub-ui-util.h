/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "hub-account.h"
#include "hub-provider.h"

G_BEGIN_DECLS

/* Small helpers shared by the window's widgets; not a type. */

/* Makes sure the UI resource (templates, style.css) is registered; every
 * widget with a template calls it from class_init. */
void        hub_ui_ensure_resources      (void);

/* "just now", "5 minutes ago", "yesterday"… (owned) */
char       *hub_format_relative_time     (GDateTime   *when);

/* What the status pill says about @account: translated text, icon name and
 * style class ("success", "warning", "error", "dim-label"); all static. */
void        hub_account_describe_status  (HubAccount   *account,
                                          const char  **text,
                                          const char  **icon_name,
                                          const char  **style_class);
/* TRUE when the account needs the user: rejected, failed, locked or missing. */
gboolean    hub_account_needs_attention  (HubAccount   *account);


/* The translated label of capture @var in the provider's recipe, or NULL. */
const char *hub_provider_find_capture_label (HubProvider *provider,
                                             const char  *var);
/* "API Key", "API Token and API Key": the secret fields' labels (owned). */
char       *hub_provider_dup_secret_label   (HubProvider *provider);

/* Gives every descendant of @widget of @type (e.g. the reveal toggle inside an
 * AdwPasswordEntryRow, which libadwaita 1.2 leaves unnamed) the accessible
 * name @label. */
void        hub_widget_name_inner        (GtkWidget   *widget,
                                          GType        type,
                                          const char  *label);

/* Icon for a catalog warning kind. */
const char *hub_warning_kind_icon_name   (HubWarningKind kind);

G_END_DECLS
