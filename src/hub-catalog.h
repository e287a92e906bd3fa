/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "hub-provider.h"

G_BEGIN_DECLS

#define HUB_CATALOG_ERROR (hub_catalog_error_quark ())

typedef enum
{
  HUB_CATALOG_ERROR_INVALID_FILE,   /* a provider file is malformed: message names file and key */
  HUB_CATALOG_ERROR_INVALID_VALUE,  /* a field value fails validation */
  HUB_CATALOG_ERROR_UNKNOWN_PROVIDER,
} HubCatalogError;

GQuark hub_catalog_error_quark (void);

/* A GListModel of HubProvider, sorted by display name. */
#define HUB_TYPE_CATALOG (hub_catalog_get_type ())
G_DECLARE_FINAL_TYPE (HubCatalog, hub_catalog, HUB, CATALOG, GObject)

/* The built-in providers from the GResource (data/providers/<id>.json). */
HubCatalog  *hub_catalog_new_builtin  (GError     **error);
/* Every *.json in @directory (tests). */
HubCatalog  *hub_catalog_new_from_dir (const char  *directory,
                                       GError     **error);
/* Shared process-wide built-in catalog (aborts on a broken build). Borrowed. */
HubCatalog  *hub_catalog_get_default  (void);
HubProvider *hub_catalog_lookup       (HubCatalog  *self,
                                       const char  *provider_id);

G_END_DECLS
