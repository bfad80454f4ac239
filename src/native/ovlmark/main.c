/*
 * isobench-ovlmark: creates the filesystem objects Node cannot create
 * (no mknod, mkfifo or setxattr in node:fs) while layers are extracted:
 *   w <path>   overlayfs whiteout: char device 0:0
 *   o <path>   overlayfs opaque dir: xattr trusted.overlay.opaque=y (not following symlinks)
 *   p <path> <mode>  fifo
 * Several operations per call ("w a o b ...") so a layer costs one spawn.
 * The TypeScript extractor has already checked that no parent component is a
 * symlink; here the final component is never followed either (mknod/mkfifo
 * fail on an existing name, lsetxattr does not dereference).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char *op = argv[i];
    if (i + 1 >= argc) { fprintf(stderr, "ovlmark: %s needs a path\n", op); return 2; }
    const char *path = argv[++i];
    if (strcmp(op, "w") == 0) {
      if (mknod(path, S_IFCHR | 0, makedev(0, 0)) != 0) { fprintf(stderr, "ovlmark: mknod %s: %s\n", path, strerror(errno)); return 1; }
    } else if (strcmp(op, "o") == 0) {
      struct stat st;
      if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) { fprintf(stderr, "ovlmark: opaque %s: not a directory\n", path); return 1; }
      if (lsetxattr(path, "trusted.overlay.opaque", "y", 1, 0) != 0) { fprintf(stderr, "ovlmark: setxattr %s: %s\n", path, strerror(errno)); return 1; }
    } else if (strcmp(op, "p") == 0) {
      if (i + 1 >= argc) { fprintf(stderr, "ovlmark: p needs a mode\n"); return 2; }
      mode_t mode = (mode_t)strtoul(argv[++i], NULL, 8) & 07777;
      if (mknod(path, S_IFIFO | mode, 0) != 0) { fprintf(stderr, "ovlmark: mkfifo %s: %s\n", path, strerror(errno)); return 1; }
    } else {
      fprintf(stderr, "ovlmark: unknown operation %s\n", op);
      return 2;
    }
  }
  return 0;
}
