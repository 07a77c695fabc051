/*
 * LD_PRELOAD stand-in for a DAHDI channel, so that openChannel's libuv path (POLLPRI wake-ups,
 * the GETEVENT drain, close, environment teardown) runs without the driver. Opening any path
 * ending in "/channel" returns one end of a loopback TCP connection; a thread sends each code of
 * $TDMGATE_FAKE_EVENTS ("2,1,13") as TCP urgent data, which raises POLLPRI just as a queued DAHDI
 * event does. DAHDI_SPECIFY succeeds on that fd, DAHDI_GETEVENT reads the urgent byte (0 when
 * none; code 255 makes it fail with EIO, like a fd gone bad).
 *
 * With $TDMGATE_FAKE_MAINT_HOLD=<dir>, DAHDI_MAINT on any fd is held, so that a test can tear an
 * environment down while the ioctl is running without racing it: the fd number is written into
 * the FIFO <dir>/maint-entered, the call blocks until the FIFO <dir>/maint-release has been opened
 * for writing and closed, then fails with ENOTTY as on a regular file. stderr gets one line when
 * it returns, and one for every close() of that fd while it is held - the bug the test looks for.
 *
 * Everything else goes to libc. Used by test/native/binding.test.ts only.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ioctl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FAKE_DAHDI_SPECIFY _IOW(0xDA, 38, int)
#define FAKE_DAHDI_GETEVENT _IOR(0xDA, 8, int)
struct fake_maintinfo {
  int spanno;
  int command;
};
#define FAKE_DAHDI_MAINT _IOW(0xDA, 11, struct fake_maintinfo)

static int fake_fds[64];

static int is_fake(int fd) {
  for (size_t i = 0; i < sizeof fake_fds / sizeof fake_fds[0]; i++)
    if (fake_fds[i] == fd + 1) return 1;
  return 0;
}

static void *send_events(void *arg) {
  int peer = (int)(long)arg;
  char *codes = strdup(getenv("TDMGATE_FAKE_EVENTS"));
  struct timespec pause = {0, 80 * 1000 * 1000};
  for (char *tok = strtok(codes, ","); tok; tok = strtok(NULL, ",")) {
    nanosleep(&pause, NULL); /* one urgent byte at a time: TCP keeps only the latest mark */
    unsigned char code = (unsigned char)atoi(tok);
    send(peer, &code, 1, MSG_OOB | MSG_NOSIGNAL);
  }
  free(codes);
  return NULL;
}

static int fake_channel(void) {
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t len = sizeof addr;
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0 || bind(listener, (struct sockaddr *)&addr, len) < 0 || listen(listener, 1) < 0 ||
      getsockname(listener, (struct sockaddr *)&addr, &len) < 0)
    return -1;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, len) < 0) return -1;
  int peer = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
  close(listener);
  if (peer < 0) return -1;
  pthread_t thread;
  pthread_create(&thread, NULL, send_events, (void *)(long)peer);
  pthread_detach(thread);
  for (size_t i = 0; i < sizeof fake_fds / sizeof fake_fds[0]; i++) {
    if (fake_fds[i] == 0) {
      fake_fds[i] = fd + 1;
      break;
    }
  }
  return fd;
}

static int open_common(const char *name, const char *path, int flags, va_list ap) {
  size_t n = strlen(path);
  if (getenv("TDMGATE_FAKE_EVENTS") && n >= 8 && strcmp(path + n - 8, "/channel") == 0) return fake_channel();
  int (*real)(const char *, int, ...) = (int (*)(const char *, int, ...))dlsym(RTLD_NEXT, name);
  return real(path, flags, va_arg(ap, int));
}

int open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int fd = open_common("open", path, flags, ap);
  va_end(ap);
  return fd;
}

int open64(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int fd = open_common("open64", path, flags, ap);
  va_end(ap);
  return fd;
}

/* The fd whose DAHDI_MAINT is held, -1 when none; read by close() on other threads. */
static int held_fd = -1;

static void fifo_path(char *out, size_t size, const char *name) {
  snprintf(out, size, "%s/%s", getenv("TDMGATE_FAKE_MAINT_HOLD"), name);
}

static int hold_maint(int fd) {
  char path[4096];
  __atomic_store_n(&held_fd, fd, __ATOMIC_SEQ_CST);
  fifo_path(path, sizeof path, "maint-entered");
  int entered = open(path, O_WRONLY | O_CLOEXEC); /* blocks until the test reads */
  dprintf(entered, "%d", fd);
  close(entered);
  fifo_path(path, sizeof path, "maint-release");
  int release = open(path, O_RDONLY | O_CLOEXEC); /* blocks until the test opens it to write */
  char byte;
  while (read(release, &byte, 1) > 0) {
  }
  close(release);
  __atomic_store_n(&held_fd, -1, __ATOMIC_SEQ_CST);
  dprintf(2, "shim: DAHDI_MAINT on fd %d returns\n", fd);
  errno = ENOTTY;
  return -1;
}

int close(int fd) {
  if (fd >= 0 && fd == __atomic_load_n(&held_fd, __ATOMIC_SEQ_CST)) dprintf(2, "shim: close of fd %d during DAHDI_MAINT\n", fd);
  int (*real)(int) = (int (*)(int))dlsym(RTLD_NEXT, "close");
  return real(fd);
}

int ioctl(int fd, unsigned long request, ...) {
  va_list ap;
  va_start(ap, request);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  if (request == FAKE_DAHDI_MAINT && getenv("TDMGATE_FAKE_MAINT_HOLD")) return hold_maint(fd);
  if (is_fake(fd) && request == FAKE_DAHDI_SPECIFY) return 0;
  if (is_fake(fd) && request == FAKE_DAHDI_GETEVENT) {
    unsigned char code;
    *(int *)arg = recv(fd, &code, 1, MSG_OOB | MSG_DONTWAIT) == 1 ? code : 0;
    if (*(int *)arg == 255) {
      errno = EIO;
      return -1;
    }
    return 0;
  }
  int (*real)(int, unsigned long, ...) = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
  return real(fd, request, arg);
}
