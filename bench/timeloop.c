/* timeloop: wall time of fork + execve + wait for several commands,
 * interleaved, for `make bench` (see bench/README.md).
 *
 *   usage: timeloop ROUNDS SOCKPATH BASE [ARGS] -- CMD1 [ARGS] [-- CMD2 [ARGS]]...
 *
 * Each round runs BASE and every CMDk once, starting with a different one
 * each round so that no command always follows the same one. Before every
 * run SOCKPATH and SOCKPATH.lock are removed (not timed), so a binder always
 * binds a fresh path. A run is clock_gettime(MONOTONIC) before fork() to
 * after waitpid(); it must exit 0, else timeloop stops with status 1.
 * The first WARMUP rounds are not recorded.
 *
 * BASE is the exit-0 stub exec'd directly: its median is the cost of
 * fork + exec + exit + wait, which every binder run pays too. Output, times
 * in nanoseconds, one line per figure:
 *   base P10 P50 P90                 BASE's own times
 *   net K P10 P50 P90                CMDk's times minus BASE's median
 *   ratio K P10 P50 P90              net(CMD1) / net(CMDk), k >= 2: one ratio
 *                                    of medians per block of rounds (BLOCKS
 *                                    blocks), then the spread over the blocks
 * Build: cc -O2 -o timeloop bench/timeloop.c
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXCMD 8
#define WARMUP 20
#define BLOCKS 20

extern char **environ;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* q-quantile of v[0..n) (sorts v), nearest rank */
static double quantile(double *v, size_t n, double q)
{
	qsort(v, n, sizeof *v, cmp_double);
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);
	return v[i];
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double run(char **argv, const char *sock, const char *lock)
{
	unlink(sock);
	unlink(lock);
	double t0 = now_ns();
	pid_t pid = fork();
	if (pid < 0) { perror("timeloop: fork"); exit(1); }
	if (pid == 0) {
		execve(argv[0], argv, environ);
		_exit(127);
	}
	int st;
	if (waitpid(pid, &st, 0) < 0) { perror("timeloop: waitpid"); exit(1); }
	double t1 = now_ns();
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "timeloop: %s exited with status 0x%x\n", argv[0], st);
		exit(1);
	}
	return t1 - t0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: timeloop ROUNDS SOCKPATH BASE [ARGS] -- CMD1 [ARGS]...\n");
		return 1;
	}
	long rounds = strtol(argv[1], NULL, 10);
	if (rounds < BLOCKS) { fprintf(stderr, "timeloop: ROUNDS < %d\n", BLOCKS); return 1; }
	const char *sock = argv[2];
	char lock[4096];
	if (snprintf(lock, sizeof lock, "%s.lock", sock) >= (int)sizeof lock) return 1;

	/* split argv[3..] at "--" into commands, in place */
	char **cmd[MAXCMD];
	int ncmd = 0;
	cmd[ncmd++] = argv + 3;
	for (int i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			argv[i] = NULL;
			if (ncmd == MAXCMD || i + 1 >= argc) { fprintf(stderr, "timeloop: bad command list\n"); return 1; }
			cmd[ncmd++] = argv + i + 1;
		}
	}

	double *t[MAXCMD];
	for (int k = 0; k < ncmd; k++)
		if (!(t[k] = malloc((size_t)rounds * sizeof(double)))) return 1;
	for (long r = -WARMUP; r < rounds; r++)
		for (int j = 0; j < ncmd; j++) {
			int k = (int)((r + WARMUP + j) % ncmd);
			double d = run(cmd[k], sock, lock);
			if (r >= 0) t[k][r] = d;
		}

	/* per-block medians, before the whole arrays get sorted */
	long bl = rounds / BLOCKS;
	double med[MAXCMD][BLOCKS];
	double *tmp = malloc((size_t)bl * sizeof(double));
	if (!tmp) return 1;
	for (int k = 0; k < ncmd; k++)
		for (int b = 0; b < BLOCKS; b++) {
			memcpy(tmp, t[k] + b * bl, (size_t)bl * sizeof(double));
			med[k][b] = quantile(tmp, (size_t)bl, 0.5);
		}

	double base50 = quantile(t[0], (size_t)rounds, 0.5);
	printf("base %.0f %.0f %.0f\n", quantile(t[0], (size_t)rounds, 0.1), base50,
	       quantile(t[0], (size_t)rounds, 0.9));
	for (int k = 1; k < ncmd; k++)
		printf("net %d %.0f %.0f %.0f\n", k, quantile(t[k], (size_t)rounds, 0.1) - base50,
		       quantile(t[k], (size_t)rounds, 0.5) - base50,
		       quantile(t[k], (size_t)rounds, 0.9) - base50);
	for (int k = 2; k < ncmd; k++) {
		double ratio[BLOCKS];
		for (int b = 0; b < BLOCKS; b++)
			ratio[b] = (med[1][b] - med[0][b]) / (med[k][b] - med[0][b]);
		printf("ratio %d %.4f %.4f %.4f\n", k, quantile(ratio, BLOCKS, 0.1),
		       quantile(ratio, BLOCKS, 0.5), quantile(ratio, BLOCKS, 0.9));
	}
	return 0;
}
