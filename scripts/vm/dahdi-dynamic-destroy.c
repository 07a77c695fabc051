/*
 * scripts/vm/dahdi-dynamic-destroy.c - destroys one DAHDI dynamic span (DAHDI_DYNAMIC_DESTROY),
 * the fault hardware-tests inject: destroying loc span 1:1 puts its peer 1:0 in RED.
 * dahdi_cfg cannot do it: it only destroys (and recreates) the dynamic spans its config lists;
 * a span left out of system.conf stays up (measured with dahdi-tools 3.1.0).
 * Built by scripts/vm/build-guest into the guest; on a real box:
 *   gcc -O2 -o /usr/local/sbin/dahdi-dynamic-destroy scripts/vm/dahdi-dynamic-destroy.c
 * Usage: dahdi-dynamic-destroy <driver> <address> [devdir]   e.g. dahdi-dynamic-destroy loc 1:1
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <dahdi/user.h>

int main(int argc, char **argv)
{
	struct dahdi_dynamic_span zds;
	char ctl[256];
	int fd;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s <driver> <address> [devdir]\n", argv[0]);
		return 2;
	}
	snprintf(ctl, sizeof(ctl), "%s/ctl", argc == 4 ? argv[3] : "/dev/dahdi");
	memset(&zds, 0, sizeof(zds));
	snprintf(zds.driver, sizeof(zds.driver), "%s", argv[1]);
	snprintf(zds.addr, sizeof(zds.addr), "%s", argv[2]);
	fd = open(ctl, O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", ctl, strerror(errno));
		return 1;
	}
	if (ioctl(fd, DAHDI_DYNAMIC_DESTROY, &zds)) {
		fprintf(stderr, "DAHDI_DYNAMIC_DESTROY %s %s: %s\n", argv[1], argv[2], strerror(errno));
		close(fd);
		return 1;
	}
	close(fd);
	return 0;
}
