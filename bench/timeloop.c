/* timeloop: time fork + execve + wait for several commands, interleaved,
 * for `make bench` (see bench/README.md).
 *
 *   usage: timeloop ROUNDS SOCKPATH BASE [ARGS] -- CMD1 [ARGS] [-- CMD2 [ARGS]]...
 *
 * Each round runs BASE and every CMDk once, starting with a different one
 * each round so that no command always follows the same one. Before every
 * run SOCKPATH and SOCKPATH.lock are removed (not timed), so a binder always
 * binds a fresh path. Every run must exit 0, else timeloop stops with
 * status 1. The first WARMUP rounds are not recorded. Three figures per run:
 *   wall    clock_gettime(CLOCK_MONOTONIC) from before fork() to after wait4();
 *   cpu     the child's user + system time from wait4()'s rusage: what the
 *           child itself ran (exec, start-up, syscalls, exit), without the
 *           time it waited for a CPU, so far less disturbed by other load;
 *   minflt  the child's minor page faults from the same rusage (the forked
 *           child's own before its execve included: the same for everyone).
 * BASE is the exit-0 stub exec'd directly: what every binder run pays too
 * (fork, one exec, exit, wait). The rounds are also cut into BLOCKS blocks.
 * Output, nanoseconds for M = wall or cpu, a count for M = minflt:
 *   raw M K P10 P50 P90       single runs of command K (0 = BASE)
 *   net M K P50 B10 B90       K >= 1: median of K minus median of BASE; B10
 *                             and B90 are the 10th and 90th percentile of
 *                             the same difference taken block by block
 *   ratio M I K B10 B50 B90   wall and cpu, I, K >= 1, I != K: net(CMDi) /
 *                             net(CMDk) per block, then its percentiles over
 *                             the blocks (the rounds of one block ran
 *                             interleaved, so they saw the same machine)
 * Build: cc -O2 -o timeloop bench/timeloop.c
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
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

/* q-quantile of v[0..n), nearest rank, on a sorted copy */
static double quantile(const double *v, size_t n, double q)
{
	double *s = malloc(n * sizeof *s);
	if (!s) exit(1);
	memcpy(s, v, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	double r = s[(size_t)(q * (double)(n - 1) + 0.5)];
	free(s);
	return r;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double tv_ns(struct timeval tv)
{
	return (double)tv.tv_sec * 1e9 + (double)tv.tv_usec * 1e3;
}

static void run(char **argv, const char *sock, const char *lock, double *wall, double *cpu,
                double *minflt)
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
	struct rusage ru;
	if (wait4(pid, &st, 0, &ru) < 0) { perror("timeloop: wait4"); exit(1); }
	*wall = now_ns() - t0;
	*cpu = tv_ns(ru.ru_utime) + tv_ns(ru.ru_stime);
	*minflt = (double)ru.ru_minflt;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "timeloop: %s exited with status 0x%x\n", argv[0], st);
		exit(1);
	}
}

static void report(const char *m, double *t[], int ncmd, long rounds, int ratios)
{
	long bl = rounds / BLOCKS;
	double med[MAXCMD][BLOCKS];
	for (int k = 0; k < ncmd; k++) {
		printf("raw %s %d %.0f %.0f %.0f\n", m, k, quantile(t[k], (size_t)rounds, 0.1),
		       quantile(t[k], (size_t)rounds, 0.5), quantile(t[k], (size_t)rounds, 0.9));
		for (int b = 0; b < BLOCKS; b++)
			med[k][b] = quantile(t[k] + b * bl, (size_t)bl, 0.5);
	}
	double base = quantile(t[0], (size_t)rounds, 0.5);
	for (int k = 1; k < ncmd; k++) {
		double net[BLOCKS];
		for (int b = 0; b < BLOCKS; b++) net[b] = med[k][b] - med[0][b];
		printf("net %s %d %.0f %.0f %.0f\n", m, k, quantile(t[k], (size_t)rounds, 0.5) - base,
		       quantile(net, BLOCKS, 0.1), quantile(net, BLOCKS, 0.9));
	}
	for (int i = 1; ratios && i < ncmd; i++)
		for (int k = 1; k < ncmd; k++) {
			if (i == k) continue;
			double ratio[BLOCKS];
			for (int b = 0; b < BLOCKS; b++)
				ratio[b] = (med[i][b] - med[0][b]) / (med[k][b] - med[0][b]);
			printf("ratio %s %d %d %.4f %.4f %.4f\n", m, i, k, quantile(ratio, BLOCKS, 0.1),
			       quantile(ratio, BLOCKS, 0.5), quantile(ratio, BLOCKS, 0.9));
		}
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

	double *wall[MAXCMD], *cpu[MAXCMD], *minflt[MAXCMD];
	for (int k = 0; k < ncmd; k++)
		if (!(wall[k] = malloc((size_t)rounds * sizeof(double))) ||
		    !(cpu[k] = malloc((size_t)rounds * sizeof(double))) ||
		    !(minflt[k] = malloc((size_t)rounds * sizeof(double))))
			return 1;
	for (long r = -WARMUP; r < rounds; r++)
		for (int j = 0; j < ncmd; j++) {
			int k = (int)((r + WARMUP + j) % ncmd);
			double w, c, f;
			run(cmd[k], sock, lock, &w, &c, &f);
			if (r >= 0) { wall[k][r] = w; cpu[k][r] = c; minflt[k][r] = f; }
		}
	report("wall", wall, ncmd, rounds, 1);
	report("cpu", cpu, ncmd, rounds, 1);
	report("minflt", minflt, ncmd, rounds, 0);
	return 0;
}
