// The C source of `kfit-bench`, the small static program behind the `restart` and `syscall` suites.
// It is compiled on the host (`cc -O2 -static`) and runs the same way natively and inside a lab guest.
// Every measurement is one line `KFIT-SAMPLE <suite> <metric> <value> <unit>`.

/** The marker that starts every sample line `kfit-bench` prints. */
export const SAMPLE_MARKER = 'KFIT-SAMPLE';

/**
 * The C source of `kfit-bench` (C99 + POSIX, glibc; no kernel code). Usage:
 *
 * - `kfit-bench restart N CMD ARG…`: runs CMD once untimed (cache warm-up), then N times, each a fork + exec +
 *   wait with stdout/stderr to /dev/null; one sample per run, microseconds of wall time (CLOCK_MONOTONIC).
 *   With `du -s TREE` as CMD this is a cache-hot process start whose work is mostly the kernel's (exec, page
 *   faults, getdents64, newfstatat over every file).
 * - `kfit-bench syscall ITER`: 5 batches of ITER calls each of: `getppid` (raw syscall, the cheapest round trip),
 *   `stat` of "/", `open+close` of /dev/null, `read` 1 byte of /dev/zero, `write` 1 byte to /dev/null,
 *   `pipe` write+read of 1 byte, `mmap+touch+munmap` of one anonymous page, and `fork+wait` (ITER/100 times);
 *   one sample per batch, nanoseconds per call.
 */
export const BENCH_PROBE_C = String.raw`#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int run_once(char **argv) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) { dup2(fd, 1); dup2(fd, 2); }
    execvp(argv[0], argv);
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

static int restart(int n, char **argv) {
  const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  if (run_once(argv) != 0) { fprintf(stderr, "kfit-bench: %s failed\n", argv[0]); return 1; }
  for (int i = 0; i < n; i++) {
    double t0 = now_ns();
    int rc = run_once(argv);
    double t1 = now_ns();
    if (rc != 0) { fprintf(stderr, "kfit-bench: %s failed (%d)\n", argv[0], rc); return 1; }
    printf("KFIT-SAMPLE restart %s %.1f us\n", name, (t1 - t0) / 1e3);
    fflush(stdout);
  }
  return 0;
}

#define BATCH(metric, iters, body) do { \
  for (int b = 0; b < 5; b++) { \
    double t0 = now_ns(); \
    for (long i = 0; i < (iters); i++) { body; } \
    double t1 = now_ns(); \
    printf("KFIT-SAMPLE syscall %s %.1f ns\n", metric, (t1 - t0) / (double)(iters)); \
    fflush(stdout); \
  } } while (0)

static int syscalls(long iters) {
  struct stat st;
  char c = 0;
  int zero = open("/dev/zero", O_RDONLY), null = open("/dev/null", O_WRONLY), p[2];
  if (zero < 0 || null < 0 || pipe(p) != 0) { perror("kfit-bench"); return 1; }
  BATCH("getppid", iters, syscall(SYS_getppid));
  BATCH("stat", iters, stat("/", &st));
  BATCH("open-close", iters, close(open("/dev/null", O_RDONLY)));
  BATCH("read", iters, if (read(zero, &c, 1) != 1) return 1);
  BATCH("write", iters, if (write(null, &c, 1) != 1) return 1);
  BATCH("pipe", iters, if (write(p[1], &c, 1) != 1 || read(p[0], &c, 1) != 1) return 1);
  BATCH("mmap", iters, { char *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                         if (m == MAP_FAILED) return 1; m[0] = 1; munmap(m, 4096); });
  long forks = iters / 100 > 0 ? iters / 100 : 1;
  BATCH("fork", forks, { pid_t pid = fork(); if (pid == 0) _exit(0); waitpid(pid, 0, 0); });
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 4 && strcmp(argv[1], "restart") == 0) return restart(atoi(argv[2]), argv + 3);
  if (argc == 3 && strcmp(argv[1], "syscall") == 0) return syscalls(atol(argv[2]));
  fprintf(stderr, "usage: kfit-bench restart N CMD [ARG...] | kfit-bench syscall ITER\n");
  return 2;
}
`;

/** One sample line of `kfit-bench`. */
export interface ProbeSample {
  readonly suite: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}

/** Reads every `KFIT-SAMPLE` line out of a text (native stdout or a guest console). */
export function parseProbeSamples(text: string): ProbeSample[] {
  const out: ProbeSample[] = [];
  for (const line of text.split('\n')) {
    const at = line.indexOf(SAMPLE_MARKER);
    if (at < 0) continue;
    const [, suite, metric, value, unit] = line.slice(at).trim().split(/\s+/);
    const n = Number(value);
    if (suite && metric && unit && Number.isFinite(n)) out.push({ suite, metric, value: n, unit });
  }
  return out;
}
