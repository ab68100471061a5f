/* fwr-cli.c: the fwreview command (being built; the CLI helper replaces this). */
#include <fwreview.h>
int
main (int argc, char **argv)
{
  return 2;
}
