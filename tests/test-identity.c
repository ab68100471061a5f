/* test-identity.c: Ed25519 identities: key files (mode, no overwrite, passphrase sealing) and
 * signatures that fail as soon as the data, the key or the signature changes. */
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "fwr-identity-private.h"

typedef struct {
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  fixture->dir = g_dir_make_tmp ("fwr-identity-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "keys", "identity.key", NULL);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  g_unlink (fixture->path);
  g_autofree char *keys = g_path_get_dirname (fixture->path);
  g_rmdir (keys);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
test_sign_verify (void)
{
  g_autoptr (FwrIdentity) alice = fwr_identity_generate ();
  g_autoptr (FwrIdentity) bob = fwr_identity_generate ();
  const char *message = "approve change 7";

  g_assert_true (fwr_public_key_is_valid (fwr_identity_get_public_key (alice)));
  g_assert_cmpstr (fwr_identity_get_public_key (alice), !=, fwr_identity_get_public_key (bob));

  g_autofree char *signature = fwr_identity_sign (alice, message, strlen (message));
  g_assert_true (fwr_signature_verify (fwr_identity_get_public_key (alice), message,
                                       strlen (message), signature));
  /* Another signer, other data, or a flipped signature byte all fail. */
  g_assert_false (fwr_signature_verify (fwr_identity_get_public_key (bob), message,
                                        strlen (message), signature));
  g_assert_false (fwr_signature_verify (fwr_identity_get_public_key (alice), "approve change 8",
                                        strlen (message), signature));
  g_autofree char *flipped = g_strdup (signature);
  flipped[10] = flipped[10] == 'A' ? 'B' : 'A';
  g_assert_false (fwr_signature_verify (fwr_identity_get_public_key (alice), message,
                                        strlen (message), flipped));
  g_assert_false (fwr_signature_verify (fwr_identity_get_public_key (alice), message,
                                        strlen (message), "not base64 at all"));
}

static void
test_public_key_text (void)
{
  g_autoptr (FwrIdentity) alice = fwr_identity_generate ();
  const char *key = fwr_identity_get_public_key (alice);

  g_assert_cmpuint (strlen (key), ==, 44);
  g_assert_false (fwr_public_key_is_valid (""));
  g_assert_false (fwr_public_key_is_valid ("AAAA"));
  g_autofree char *truncated = g_strndup (key, 40);
  g_assert_false (fwr_public_key_is_valid (truncated));
  g_autofree char *junk = g_strconcat (key, "!", NULL);
  g_assert_false (fwr_public_key_is_valid (junk));
}

static void
test_save_load (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrIdentity) alice = fwr_identity_generate ();

  g_assert_true (fwr_identity_save (alice, fixture->path, NULL, &error));
  g_assert_no_error (error);

  GStatBuf st;
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_autofree char *keys = g_path_get_dirname (fixture->path);
  g_assert_cmpint (g_stat (keys, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_autoptr (FwrIdentity) again = fwr_identity_load (fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fwr_identity_get_public_key (again), ==, fwr_identity_get_public_key (alice));
  g_autofree char *signature = fwr_identity_sign (again, "x", 1);
  g_assert_true (fwr_signature_verify (fwr_identity_get_public_key (alice), "x", 1, signature));

  g_autoptr (FwrIdentity) other = fwr_identity_generate ();
  g_assert_false (fwr_identity_save (other, fixture->path, NULL, &error));
  g_assert_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_EXISTS);
  g_clear_error (&error);
  g_autoptr (FwrIdentity) still = fwr_identity_load (fixture->path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fwr_identity_get_public_key (still), ==, fwr_identity_get_public_key (alice));
}

static void
test_passphrase (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrIdentity) alice = fwr_identity_generate ();

  g_assert_true (fwr_identity_save (alice, fixture->path, "correct horse", &error));
  g_assert_no_error (error);

  g_autofree char *contents = NULL;
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "\nsecret-key="));
  g_assert_nonnull (strstr (contents, "\nsealed-secret-key="));
  g_assert_nonnull (strstr (contents, "kdf=argon2id13"));

  g_autoptr (FwrIdentity) none = fwr_identity_load (fixture->path, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_NEEDS_PASSPHRASE);
  g_clear_error (&error);

  g_autoptr (FwrIdentity) wrong = fwr_identity_load (fixture->path, "battery staple", &error);
  g_assert_null (wrong);
  g_assert_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_BAD_PASSPHRASE);
  g_clear_error (&error);

  g_autoptr (FwrIdentity) right = fwr_identity_load (fixture->path, "correct horse", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fwr_identity_get_public_key (right), ==, fwr_identity_get_public_key (alice));
}

static void
test_damaged_file (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (FwrIdentity) alice = fwr_identity_generate ();
  g_autoptr (FwrIdentity) bob = fwr_identity_generate ();

  g_autoptr (FwrIdentity) missing = fwr_identity_load (fixture->path, NULL, &error);
  g_assert_null (missing);
  g_assert_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_IO);
  g_clear_error (&error);

  /* A key file whose public key is someone else's: signatures would not verify. */
  g_assert_true (fwr_identity_save (alice, fixture->path, NULL, &error));
  g_autofree char *contents = NULL;
  g_assert_true (g_file_get_contents (fixture->path, &contents, NULL, NULL));
  g_autofree char *pattern = g_strconcat ("public-key=", fwr_identity_get_public_key (alice), NULL);
  g_autofree char *replacement = g_strconcat ("public-key=", fwr_identity_get_public_key (bob), NULL);
  g_autoptr (GString) swapped = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (swapped, pattern, replacement, 1), ==, 1);
  g_assert_true (g_file_set_contents (fixture->path, swapped->str, -1, NULL));
  g_autoptr (FwrIdentity) mixed = fwr_identity_load (fixture->path, NULL, &error);
  g_assert_null (mixed);
  g_assert_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "do not belong together"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (fixture->path, "{\"not\": \"a key\"}", -1, NULL));
  g_autoptr (FwrIdentity) junk = fwr_identity_load (fixture->path, NULL, &error);
  g_assert_null (junk);
  g_assert_error (error, FWR_IDENTITY_ERROR, FWR_IDENTITY_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, fixture->path));
}

static void
test_default_path (void)
{
  g_autofree char *path = fwr_identity_dup_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "fwreview",
                                                "identity.key", NULL);
  g_assert_cmpstr (path, ==, expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/fwr/identity/sign-verify", test_sign_verify);
  g_test_add_func ("/fwr/identity/public-key-text", test_public_key_text);
  g_test_add_func ("/fwr/identity/default-path", test_default_path);
  g_test_add ("/fwr/identity/save-load", Fixture, NULL, fixture_setup, test_save_load, fixture_teardown);
  g_test_add ("/fwr/identity/passphrase", Fixture, NULL, fixture_setup, test_passphrase, fixture_teardown);
  g_test_add ("/fwr/identity/damaged-file", Fixture, NULL, fixture_setup, test_damaged_file, fixture_teardown);
  return g_test_run ();
}
