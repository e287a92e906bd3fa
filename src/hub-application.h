/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "hub-account-store.h"
#include "hub-catalog.h"

G_BEGIN_DECLS

#define HUB_TYPE_APPLICATION (hub_application_get_type ())
G_DECLARE_FINAL_TYPE (HubApplication, hub_application, HUB, APPLICATION, AdwApplication)

HubApplication  *hub_application_new               (void);
HubCatalog      *hub_application_get_catalog       (HubApplication *self);
HubAccountStore *hub_application_get_account_store (HubApplication *self);

G_END_DECLS
