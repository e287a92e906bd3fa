/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hub-account-store.h"
#include "hub-provider.h"

G_BEGIN_DECLS

/* The modal connect flow for one provider: guide and fields → checking →
 * success. With @relink, the same flow replaces the credential of an existing
 * account (stored secrets are kept when their field is left empty).
 * signal "done" (HubAccount *account): the user closed the success page. */
#define HUB_TYPE_CONNECT_DIALOG (hub_connect_dialog_get_type ())
G_DECLARE_FINAL_TYPE (HubConnectDialog, hub_connect_dialog, HUB, CONNECT_DIALOG, AdwWindow)

HubConnectDialog *hub_connect_dialog_new        (GtkWindow        *parent,
                                                 HubProvider      *provider,
                                                 HubAccountStore  *accounts,
                                                 HubAccount       *relink);
HubProvider      *hub_connect_dialog_get_provider (HubConnectDialog *self);

G_END_DECLS
