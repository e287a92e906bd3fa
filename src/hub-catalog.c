/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "hub-catalog"

#include "config.h"

#include "hub-catalog.h"

#include <glib/gi18n.h>

#include "hub-resources.h"

#define PROVIDERS_PATH RESOURCE_PREFIX "/providers/"

struct _HubCatalog
{
  GObject     parent_instance;

  GPtrArray  *providers;  /* HubProvider, sorted by name */
};

static void hub_catalog_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HubCatalog, hub_catalog, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      hub_catalog_list_model_init))

G_DEFINE_QUARK (hub-catalog-error-quark, hub_catalog_error)

/* The resource is linked into a static library. Its constructor sits in the
 * same object as hub_get_resource(), which this file references, so it is
 * linked in and has registered the resource; should it ever be missing,
 * register the resource once by hand. (With --manual-register,
 * hub_get_resource() is NULL until hub_register_resource() runs.) */
static void
ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      g_auto(GStrv) children = g_resources_enumerate_children (PROVIDERS_PATH,
                                                               G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      GResource *resource = children == NULL ? hub_get_resource () : NULL;

      if (resource != NULL)
        {
          g_debug ("Registering the provider resource by hand");
          g_resources_register (resource);
        }
      g_once_init_leave (&registered, 1);
    }
}

static int
compare_providers (gconstpointer a,
                   gconstpointer b)
{
  HubProvider *pa = *(HubProvider * const *) a;
  HubProvider *pb = *(HubProvider * const *) b;
  int result = g_utf8_collate (hub_provider_get_name (pa), hub_provider_get_name (pb));

  return result != 0 ? result : g_strcmp0 (hub_provider_get_id (pa), hub_provider_get_id (pb));
}

static gboolean
add_provider (HubCatalog  *self,
              const char  *data,
              gsize        length,
              const char  *filename,
              GError     **error)
{
  g_autoptr(HubProvider) provider = hub_provider_new_from_data (data, length, filename, error);

  if (provider == NULL)
    return FALSE;
  if (hub_catalog_lookup (self, hub_provider_get_id (provider)) != NULL)
    {
      g_set_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_FILE,
                   "%s: id: “%s” is defined twice", filename, hub_provider_get_id (provider));
      return FALSE;
    }
  g_ptr_array_add (self->providers, g_steal_pointer (&provider));
  return TRUE;
}

static gboolean
finish_loading (HubCatalog  *self,
                const char  *where,
                GError     **error)
{
  if (self->providers->len == 0)
    {
      g_set_error (error, HUB_CATALOG_ERROR, HUB_CATALOG_ERROR_INVALID_FILE,
                   "%s: no provider files (*.json)", where);
      return FALSE;
    }
  g_ptr_array_sort (self->providers, compare_providers);
  return TRUE;
}

static gboolean
is_provider_file (const char *name)
{
  return g_str_has_suffix (name, ".json") && name[0] != '.';
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* --- GListModel ------------------------------------------------------------ */

static GType
hub_catalog_get_item_type (GListModel *model)
{
  return HUB_TYPE_PROVIDER;
}

static guint
hub_catalog_get_n_items (GListModel *model)
{
  return HUB_CATALOG (model)->providers->len;
}

static gpointer
hub_catalog_get_item (GListModel *model,
                      guint       position)
{
  HubCatalog *self = HUB_CATALOG (model);

  if (position >= self->providers->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->providers, position));
}

static void
hub_catalog_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = hub_catalog_get_item_type;
  iface->get_n_items = hub_catalog_get_n_items;
  iface->get_item = hub_catalog_get_item;
}

/* --- GObject ------------------------------------------------------------------ */

static void
hub_catalog_dispose (GObject *object)
{
  HubCatalog *self = HUB_CATALOG (object);

  g_clear_pointer (&self->providers, g_ptr_array_unref);

  G_OBJECT_CLASS (hub_catalog_parent_class)->dispose (object);
}

static void
hub_catalog_class_init (HubCatalogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hub_catalog_dispose;
}

static void
hub_catalog_init (HubCatalog *self)
{
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
}

/* --- public ---------------------------------------------------------------------- */

HubCatalog *
hub_catalog_new_builtin (GError **error)
{
  g_autoptr(HubCatalog) self = NULL;
  g_auto(GStrv) names = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_resources ();
  self = g_object_new (HUB_TYPE_CATALOG, NULL);

  names = g_resources_enumerate_children (PROVIDERS_PATH, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (names == NULL)
    return NULL;
  for (guint i = 0; names[i] != NULL; i++)
    if (is_provider_file (names[i]))
      g_ptr_array_add (sorted, names[i]);
  g_ptr_array_sort (sorted, compare_names);

  for (guint i = 0; i < sorted->len; i++)
    {
      const char *name = g_ptr_array_index (sorted, i);
      g_autofree char *path = g_strconcat (PROVIDERS_PATH, name, NULL);
      g_autoptr(GBytes) bytes = NULL;
      gsize length;
      const char *data;

      bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      if (bytes == NULL)
        return NULL;
      data = g_bytes_get_data (bytes, &length);
      if (!add_provider (self, data, length, name, error))
        return NULL;
    }

  if (!finish_loading (self, PROVIDERS_PATH, error))
    return NULL;
  return g_steal_pointer (&self);
}

HubCatalog *
hub_catalog_new_from_dir (const char  *directory,
                          GError     **error)
{
  g_autoptr(HubCatalog) self = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_dir_open (directory, 0, error);
  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (is_provider_file (name))
      g_ptr_array_add (sorted, g_strdup (name));
  g_ptr_array_sort (sorted, compare_names);

  self = g_object_new (HUB_TYPE_CATALOG, NULL);
  for (guint i = 0; i < sorted->len; i++)
    {
      const char *file = g_ptr_array_index (sorted, i);
      g_autofree char *path = g_build_filename (directory, file, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, error))
        return NULL;
      if (!add_provider (self, contents, length, file, error))
        return NULL;
    }

  if (!finish_loading (self, directory, error))
    return NULL;
  return g_steal_pointer (&self);
}

HubCatalog *
hub_catalog_get_default (void)
{
  static HubCatalog *catalog = NULL;

  if (g_once_init_enter (&catalog))
    {
      g_autoptr(GError) error = NULL;
      HubCatalog *loaded = hub_catalog_new_builtin (&error);

      if (loaded == NULL)
        g_error ("The built-in provider catalog is broken: %s", error->message);
      g_once_init_leave (&catalog, loaded);
    }
  return catalog;
}

HubProvider *
hub_catalog_lookup (HubCatalog *self,
                    const char *provider_id)
{
  g_return_val_if_fail (HUB_IS_CATALOG (self), NULL);
  g_return_val_if_fail (provider_id != NULL, NULL);

  for (guint i = 0; i < self->providers->len; i++)
    {
      HubProvider *provider = g_ptr_array_index (self->providers, i);

      if (g_strcmp0 (hub_provider_get_id (provider), provider_id) == 0)
        return provider;
    }
  return NULL;
}
