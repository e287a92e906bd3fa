/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hub-account-store.h"
#include "hub-catalog.h"

G_BEGIN_DECLS

#define HUB_TYPE_WINDOW (hub_window_get_type ())
G_DECLARE_FINAL_TYPE (HubWindow, hub_window, HUB, WINDOW, AdwApplicationWindow)

HubWindow *hub_window_new (AdwApplication  *application,
                           HubCatalog      *catalog,
                           HubAccountStore *accounts);

G_END_DECLS
