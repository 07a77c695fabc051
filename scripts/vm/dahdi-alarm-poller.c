/*
 * scripts/vm/dahdi-alarm-poller.c - the stopwatch of bench/native-watcher.ts's edge-latency
 * figure: polls DAHDI_SPANSTAT for the given spans every <interval_us> and prints, with
 * CLOCK_REALTIME, the moment each span's alarms change. It is independent of the binding's
 * watcher on purpose: the latency is "listener time - the time this saw the change", so the
 * reference clock must not come from the thing being measured.
 * Built by scripts/vm/build-guest into the guest; on a real box:
 *   gcc -O2 -o /usr/local/sbin/dahdi-alarm-poller scripts/vm/dahdi-alarm-poller.c
 * Usage: dahdi-alarm-poller <devdir> <interval_us> <span>...
 * Output: "ready" once every span has been read, then one line per change:
 *   <epoch ms, 3 decimals> <span> <alarms>      (alarms -1: the span does not exist)
 * Runs until killed or until stdout is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <dahdi/user.h>

#define MAX_WATCHED 128

static int alarms_of(int fd, int span)
{
	struct dahdi_spaninfo si;

	memset(&si, 0, sizeof(si));
	si.spanno = span;
	if (ioctl(fd, DAHDI_SPANSTAT, &si))
		return -1; /* EINVAL: no such span (destroyed) */
	return si.alarms;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	int spans[MAX_WATCHED], last[MAX_WATCHED];
	struct timespec pause;
	char ctl[256];
	long interval_us;
	int fd, n, i;

	if (argc < 4 || argc - 3 > MAX_WATCHED) {
		fprintf(stderr, "usage: %s <devdir> <interval_us> <span>... (at most %d spans)\n", argv[0], MAX_WATCHED);
		return 2;
	}
	interval_us = strtol(argv[2], NULL, 10);
	if (interval_us < 100) {
		fprintf(stderr, "interval_us must be at least 100\n");
		return 2;
	}
	pause.tv_sec = interval_us / 1000000;
	pause.tv_nsec = (interval_us % 1000000) * 1000;
	n = argc - 3;
	for (i = 0; i < n; i++)
		spans[i] = atoi(argv[3 + i]);
	snprintf(ctl, sizeof(ctl), "%s/ctl", argv[1]);
	fd = open(ctl, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", ctl, strerror(errno));
		return 1;
	}
	/* A reader that went away ends us through EPIPE on the next line, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < n; i++)
		last[i] = alarms_of(fd, spans[i]);
	if (printf("ready\n") < 0 || fflush(stdout))
		return 0;
	for (;;) {
		nanosleep(&pause, NULL);
		for (i = 0; i < n; i++) {
			int a = alarms_of(fd, spans[i]);

			if (a == last[i])
				continue;
			last[i] = a;
			if (printf("%.3f %d %d\n", now_ms(), spans[i], a) < 0 || fflush(stdout))
				return 0;
		}
	}
}
