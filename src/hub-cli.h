/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

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

/* One function maps an error to an exit code. */
int      hub_cli_exit_code_for_error (const GError *error);

G_END_DECLS
