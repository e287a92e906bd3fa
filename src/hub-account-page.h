/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hub-account-store.h"
#include "hub-catalog.h"

G_BEGIN_DECLS

/* The page of one linked account, pushed in the main window: rename, status
 * and Check Now, captured details, credentials, relink and remove (the last two
 * through the window's win.relink / win.remove-account actions).
 * signal "changed": the page renamed or re-checked its account. */
#define HUB_TYPE_ACCOUNT_PAGE (hub_account_page_get_type ())
G_DECLARE_FINAL_TYPE (HubAccountPage, hub_account_page, HUB, ACCOUNT_PAGE, GtkBox)

GtkWidget  *hub_account_page_new         (void);
void        hub_account_page_set_context (HubAccountPage  *self,
                                          HubCatalog      *catalog,
                                          HubAccountStore *accounts);
HubAccount *hub_account_page_get_account (HubAccountPage  *self);
void        hub_account_page_set_account (HubAccountPage  *self,
                                          HubAccount      *account);
/* Re-renders relative times. */
void        hub_account_page_refresh     (HubAccountPage  *self);

G_END_DECLS
