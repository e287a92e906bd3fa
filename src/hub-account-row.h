/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hub-account.h"
#include "hub-provider.h"

G_BEGIN_DECLS

#define HUB_TYPE_ACCOUNT_ROW (hub_account_row_get_type ())
G_DECLARE_FINAL_TYPE (HubAccountRow, hub_account_row, HUB, ACCOUNT_ROW, AdwActionRow)

/* @provider: nullable (an account of a provider no longer in the catalog) */
GtkWidget  *hub_account_row_new         (HubAccount    *account,
                                         HubProvider   *provider);
HubAccount *hub_account_row_get_account (HubAccountRow *self);
/* @account, @provider: nullable; rebinds a row (GtkListView factories) */
void        hub_account_row_set_account (HubAccountRow *self,
                                         HubAccount    *account,
                                         HubProvider   *provider);
/* Re-renders the relative time ("checked 5 minutes ago"). */
void        hub_account_row_refresh     (HubAccountRow *self);

G_END_DECLS
