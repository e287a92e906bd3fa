/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "fuzz-driver"

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

/* A plain main() for a fuzz target, so the same target runs as a regular
 * meson test with gcc (no libFuzzer):
 *
 *   fuzz-json [GTEST-OPTIONS] CORPUS-DIR...
 *
 * - one test per corpus file: no crash, and y_* accepted, n_* refused;
 * - /fuzz/<target>/mutations: HUB_FUZZ_MUTATIONS (default 20000) inputs made
 *   by mutating corpus files with a fixed seed (HUB_FUZZ_SEED, default 1),
 *   so a failure reproduces. The input that crashed is written to
 *   ./fuzz-<target>-crash (also for a crash on a corpus file). */

#define DEFAULT_MUTATIONS 20000
#define MAX_SEED_SIZE     (64 * 1024)   /* larger files are run, not mutated */

static const char * const tokens[] = {
  "[", "]", "{", "}", ",", ":", "\"", "\\", "\\\\", "\\\"", "\\u", "\\u0000", "\\u0041",
  "\\uD800", "\\uDBFF\\uDFFF", "\\uDC00", "\\uD834\\uDD1E", "true", "false", "null",
  "NaN", "Infinity", "-0", "0", "1e400", "-1e400", "1e-400", "1.5", "9223372036854775807",
  "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "1E+2",
  "\xc0\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xef\xbb\xbf", "\xe2\x82\xac", "\xff",
  "/*", "*/", "//", "'", "\t", "\r\n", " ", "{\"a\":", "[[[[[[[[[[[[[[[[", "]]]]]]]]",
  "\"id\"", "\"fields\"", "\"auth\"", "\"verify\"", "\"captures\"", "\"path\"", "\"{x}\"",
  "\"identity\"", "\"scheme\"", "\"pattern\"", "\"^[a-z]+$\"", "\"secret\"", "\"api_key\"",
  "\"api_token\"", "\"region\"", "\"Items.0.CompanyName\"",
  NULL
};

typedef struct
{
  char   *name;
  GBytes *bytes;
} CorpusFile;

static GPtrArray *corpus;   /* CorpusFile */

/* The input being run, for the crash handler. */
static const guint8 *current_data;
static gsize current_size;
static char crash_path[256];

static void
crash_handler (int signum)
{
  int fd;

  fd = open (crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd >= 0 && current_data != NULL)
    {
      if (write (fd, current_data, current_size) < 0)
        {
          /* nothing more can be done in a signal handler */
        }
      close (fd);
    }
  signal (signum, SIG_DFL);
  raise (signum);
}

/* Runs one input from an exact-size heap copy, so that an overread past the
 * end is visible to valgrind and ASan. */
static gboolean
run_one (const guint8 *data,
         gsize         size)
{
  guint8 *copy = g_malloc (MAX (size, 1));
  gboolean accepted;

  if (size > 0)
    memcpy (copy, data, size);
  current_data = copy;
  current_size = size;
  accepted = hub_fuzz_one_input (copy, size);
  current_data = NULL;
  g_free (copy);
  return accepted;
}

static void
corpus_file_free (gpointer data)
{
  CorpusFile *file = data;

  g_free (file->name);
  g_bytes_unref (file->bytes);
  g_free (file);
}

static void
test_corpus_file (gconstpointer user_data)
{
  const CorpusFile *file = user_data;
  gsize size;
  const guint8 *data = g_bytes_get_data (file->bytes, &size);
  gboolean accepted = run_one (data, size);

  if (g_str_has_prefix (file->name, "y_"))
    g_assert_true (accepted);
  else if (g_str_has_prefix (file->name, "n_"))
    g_assert_false (accepted);
}

static void
insert (GByteArray   *buffer,
        guint         position,
        const guint8 *data,
        gsize         size)
{
  g_byte_array_set_size (buffer, buffer->len + (guint) size);
  memmove (buffer->data + position + size, buffer->data + position,
           buffer->len - size - position);
  memcpy (buffer->data + position, data, size);
}

static void
mutate (GByteArray *buffer,
        GRand      *rand)
{
  guint position = buffer->len > 0 ? (guint) g_rand_int_range (rand, 0, (gint32) buffer->len) : 0;
  guint span = (guint) g_rand_int_range (rand, 1, 17);

  switch (g_rand_int_range (rand, 0, 8))
    {
    case 0: /* flip a bit */
      if (buffer->len > 0)
        buffer->data[position] ^= (guint8) (1u << g_rand_int_range (rand, 0, 8));
      break;
    case 1: /* any byte */
      if (buffer->len > 0)
        buffer->data[position] = (guint8) g_rand_int_range (rand, 0, 256);
      break;
    case 2: /* delete a range */
      if (buffer->len > 0)
        g_byte_array_remove_range (buffer, position, MIN (span, buffer->len - position));
      break;
    case 3: /* random bytes */
      {
        guint8 bytes[16];

        for (guint i = 0; i < span; i++)
          bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
        insert (buffer, position, bytes, span);
      }
      break;
    case 4: /* repeat a range */
      if (buffer->len > 0)
        {
          guint length = MIN (span, buffer->len - position);
          g_autofree guint8 *copy = g_memdup2 (buffer->data + position, length);

          insert (buffer, position, copy, length);
        }
      break;
    case 5: /* truncate */
      g_byte_array_set_size (buffer, position);
      break;
    case 6: /* splice a piece of another corpus file */
      {
        const CorpusFile *other =
          g_ptr_array_index (corpus, g_rand_int_range (rand, 0, (gint32) corpus->len));
        gsize size;
        const guint8 *data = g_bytes_get_data (other->bytes, &size);

        if (size > 0 && size <= MAX_SEED_SIZE)
          {
            guint from = (guint) g_rand_int_range (rand, 0, (gint32) size);

            insert (buffer, position, data + from, MIN (span * 4, size - from));
          }
      }
      break;
    default: /* a token */
      {
        guint n = g_strv_length ((GStrv) tokens);
        const char *token = tokens[g_rand_int_range (rand, 0, (gint32) n)];

        insert (buffer, position, (const guint8 *) token, strlen (token));
      }
      break;
    }
}

static void
test_mutations (void)
{
  const char *env_n = g_getenv ("HUB_FUZZ_MUTATIONS");
  const char *env_seed = g_getenv ("HUB_FUZZ_SEED");
  guint64 n = DEFAULT_MUTATIONS;
  guint64 seed = 1;
  g_autoptr(GRand) rand = NULL;
  g_autoptr(GPtrArray) seeds = g_ptr_array_new ();
  guint accepted = 0;

  if (env_n != NULL)
    g_assert_true (g_ascii_string_to_unsigned (env_n, 10, 0, G_MAXUINT, &n, NULL));
  if (env_seed != NULL)
    g_assert_true (g_ascii_string_to_unsigned (env_seed, 10, 0, G_MAXUINT32, &seed, NULL));
  rand = g_rand_new_with_seed ((guint32) seed);

  for (guint i = 0; i < corpus->len; i++)
    {
      CorpusFile *file = g_ptr_array_index (corpus, i);

      if (g_bytes_get_size (file->bytes) <= MAX_SEED_SIZE)
        g_ptr_array_add (seeds, file);
    }
  g_assert_cmpuint (seeds->len, >, 0);

  for (guint64 i = 0; i < n; i++)
    {
      const CorpusFile *file =
        g_ptr_array_index (seeds, g_rand_int_range (rand, 0, (gint32) seeds->len));
      g_autoptr(GByteArray) buffer = g_byte_array_new ();
      gsize size;
      const guint8 *data = g_bytes_get_data (file->bytes, &size);
      guint rounds = (guint) g_rand_int_range (rand, 1, 6);

      g_byte_array_append (buffer, data, (guint) size);
      for (guint r = 0; r < rounds; r++)
        mutate (buffer, rand);
      if (run_one (buffer->data, buffer->len))
        accepted++;
    }
  g_test_message ("%s: %" G_GUINT64_FORMAT " mutations (seed %" G_GUINT64_FORMAT
                  "), %u accepted", hub_fuzz_target_name, n, seed, accepted);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  const CorpusFile *fa = *(CorpusFile * const *) a;
  const CorpusFile *fb = *(CorpusFile * const *) b;

  return strcmp (fa->name, fb->name);
}

static void
load_corpus (const char *directory)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (directory, 0, &error);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);
      CorpusFile *file;
      char *contents;
      gsize length;

      if (g_str_has_prefix (name, ".") || g_str_has_suffix (name, ".md") ||
          !g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      if (!g_file_get_contents (path, &contents, &length, &error))
        g_error ("%s: %s", path, error->message);
      file = g_new0 (CorpusFile, 1);
      file->name = g_strdup (name);
      file->bytes = g_bytes_new_take (contents, length);
      g_ptr_array_add (corpus, file);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_snprintf (crash_path, sizeof crash_path, "fuzz-%s-crash", hub_fuzz_target_name);
  signal (SIGSEGV, crash_handler);
  signal (SIGABRT, crash_handler);
  signal (SIGBUS, crash_handler);
  signal (SIGFPE, crash_handler);

  corpus = g_ptr_array_new_with_free_func (corpus_file_free);
  if (argc < 2)
    g_error ("usage: %s [GTEST-OPTIONS] CORPUS-DIR...", argv[0]);
  for (int i = 1; i < argc; i++)
    load_corpus (argv[i]);
  g_ptr_array_sort (corpus, compare_names);
  g_assert_cmpuint (corpus->len, >, 0);

  for (guint i = 0; i < corpus->len; i++)
    {
      CorpusFile *file = g_ptr_array_index (corpus, i);
      g_autofree char *test_path = g_strdup_printf ("/fuzz/%s/corpus/%s",
                                                    hub_fuzz_target_name, file->name);

      g_test_add_data_func (test_path, file, test_corpus_file);
    }
  {
    g_autofree char *test_path = g_strdup_printf ("/fuzz/%s/mutations", hub_fuzz_target_name);

    g_test_add_func (test_path, test_mutations);
  }

  return g_test_run ();
}
