/* A simulated observer for the openssh-stop benchmark: argv[0] is HOME/bin/observer, it listens on
 * its mysql and rpc ports at its own address, writes HOME/run/observer.pid, and exits DELAY_MS after
 * SIGTERM. "launch LIST DELAY_MS" starts one per line "HOME IP MYSQL_PORT RPC_PORT" of LIST and
 * returns once every pid file is written. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t term;
static void on_term(int s) { (void)s; term = 1; }

static int listen_on(const char *ip, int port) {
  int s = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  struct sockaddr_in a;
  if (s < 0) return -1;
  setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) return -1;
  if (bind(s, (struct sockaddr *)&a, sizeof a) < 0 || listen(s, 16) < 0) return -1;
  return s;
}

static int observer(int argc, char **argv) {
  const char *ip = "127.0.0.1";
  int mysql = 2881, rpc = 2882, i;
  char home[4096], path[4200], tmp[4300];
  long delay = atol(getenv("OBSERVER_TERM_DELAY_MS") ? getenv("OBSERVER_TERM_DELAY_MS") : "0");
  size_t n = strlen(argv[0]);
  for (i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "-p")) mysql = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "-P")) rpc = atoi(argv[i + 1]);
    else if (!strcmp(argv[i], "-I")) ip = argv[i + 1];
  }
  if (n < 13 || n >= sizeof home || strcmp(argv[0] + n - 13, "/bin/observer")) return 2;
  memcpy(home, argv[0], n - 13);
  home[n - 13] = 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGHUP, SIG_IGN);
  if (listen_on(ip, mysql) < 0 || listen_on(ip, rpc) < 0) {
    fprintf(stderr, "%s: bind %s: %s\n", argv[0], ip, strerror(errno));
    return 1;
  }
  snprintf(path, sizeof path, "%s/run", home);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/run/observer.pid", home);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f) return 1;
  fprintf(f, "%ld\n", (long)getpid());
  if (fclose(f) || rename(tmp, path)) return 1;
  setsid();
  freopen("/dev/null", "r", stdin);
  freopen("/dev/null", "w", stdout);
  freopen("/dev/null", "w", stderr);
  while (!term) pause();
  struct timespec ts = {delay / 1000, (delay % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
  return 0;
}

static int launch(const char *list, const char *delay) {
  FILE *f = fopen(list, "r");
  char home[4096], ip[64], bin[4200], mp[16], rp[16], pid[4200];
  int i;
  if (!f) return 1;
  while (fscanf(f, "%4095s %63s %15s %15s", home, ip, mp, rp) == 4) {
    snprintf(pid, sizeof pid, "%s/run/observer.pid", home);
    unlink(pid);
  }
  rewind(f);
  pid_t keeper = fork();
  if (keeper < 0) return 1;
  if (keeper == 0) {
    /* The keeper: parent of every observer, reaps them as they exit (no zombies left behind). */
    setsid();
    fclose(f); /* the parent reads it too: a file of one's own, not a shared offset */
    f = fopen(list, "r");
    if (!f) _exit(1);
    freopen("/dev/null", "r", stdin);
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    setenv("OBSERVER_TERM_DELAY_MS", delay, 1);
    while (fscanf(f, "%4095s %63s %15s %15s", home, ip, mp, rp) == 4) {
      snprintf(bin, sizeof bin, "%s/bin/observer", home);
      pid_t c = fork();
      if (c == 0) {
        execl(bin, bin, "-p", mp, "-P", rp, "-I", ip, (char *)NULL);
        _exit(127);
      }
    }
    while (wait(NULL) > 0 || errno == EINTR) {}
    _exit(0);
  }
  while (fscanf(f, "%4095s %63s %15s %15s", home, ip, mp, rp) == 4) {
    snprintf(pid, sizeof pid, "%s/run/observer.pid", home);
    for (i = 0; access(pid, F_OK) != 0; i++) {
      if (i > 30000) { fprintf(stderr, "no pid file %s\n", pid); return 1; }
      usleep(1000);
    }
  }
  printf("ok\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && !strcmp(argv[1], "launch")) return launch(argv[2], argv[3]);
  return observer(argc, argv);
}
