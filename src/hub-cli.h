/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "hub-provider.h"

G_BEGIN_DECLS

/* TRUE when argv names a command-line subcommand (providers, link, accounts,
 * verify, remove) or --version/--help: then the window is not started and GTK
 * is never initialised. */
gboolean hub_cli_wants         (int    argc,
                                char **argv);
/* Runs the command; returns the process exit code (DESIGN.md: 0–5). */
int      hub_cli_run           (int    argc,
                                char **argv);

/* Exit codes (DESIGN.md contract). */
enum
{
  HUB_EXIT_OK          = 0,
  HUB_EXIT_FAILURE     = 1,
  HUB_EXIT_USAGE       = 2,  /* bad usage or invalid input: nothing sent */
  HUB_EXIT_REJECTED    = 3,
  HUB_EXIT_UNREACHABLE = 4,  /* unreachable, timed out, rate limited, unexpected answer */
  HUB_EXIT_KEYRING     = 5,
};

/* Parses the JSON object of field values that `link` reads on stdin into
 * @values (field id → value; the table must free both, and should wipe values:
 * the command line's does). Only @provider's field ids are accepted,
 * each at most once, each a string. Exposed for the fuzz target. */
gboolean hub_cli_parse_values       (HubProvider  *provider,
                                     const char   *data,
                                     gsize         length,
                                     GHashTable   *values,
                                     GError      **error);

/* One function maps an error to an exit code. */
int      hub_cli_exit_code_for_error (const GError *error);

G_END_DECLS
