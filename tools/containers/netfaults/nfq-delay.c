// Holds every packet the kernel queues to it (iptables -j NFQUEUE) for MEAN_MS ± JITTER_MS, then
// lets it go: the latency of a slow link, on a kernel built without netem.
// Usage: nfq-delay QUEUE MEAN_MS JITTER_MS
#include <arpa/inet.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define HELD_MAX 16384

static struct {
  uint32_t id;
  int64_t due_ms;
} held[HELD_MAX];
static unsigned head, count;
static int64_t mean_ms, jitter_ms, last_due_ms;

static int64_t now_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int on_packet(struct nfq_q_handle *queue, struct nfgenmsg *message, struct nfq_data *packet,
                     void *context) {
  (void)message;
  (void)context;
  uint32_t id = ntohl(nfq_get_msg_packet_hdr(packet)->packet_id);
  if (count == HELD_MAX) return nfq_set_verdict(queue, id, NF_ACCEPT, 0, NULL);
  int64_t due = now_ms() + mean_ms - jitter_ms + random() % (2 * jitter_ms + 1);
  // Released in the order they came: TCP takes a packet overtaken three times as lost.
  if (due < last_due_ms) due = last_due_ms;
  last_due_ms = due;
  unsigned tail = (head + count) % HELD_MAX;
  held[tail].id = id;
  held[tail].due_ms = due;
  count += 1;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: nfq-delay QUEUE MEAN_MS JITTER_MS\n");
    return 2;
  }
  mean_ms = atoll(argv[2]);
  jitter_ms = atoll(argv[3]);
  if (mean_ms < jitter_ms || jitter_ms < 0) {
    fprintf(stderr, "nfq-delay: JITTER_MS must be between 0 and MEAN_MS\n");
    return 2;
  }
  struct nfq_handle *handle = nfq_open();
  struct nfq_q_handle *queue = handle ? nfq_create_queue(handle, atoi(argv[1]), &on_packet, NULL) : NULL;
  if (!queue || nfq_set_mode(queue, NFQNL_COPY_META, 0) < 0) {
    perror("nfq-delay: cannot bind the queue");
    return 1;
  }
  nfq_set_queue_maxlen(queue, HELD_MAX);
  int fd = nfq_fd(handle);
  static char buffer[65536];
  puts("ready");
  fflush(stdout);
  for (;;) {
    int timeout = -1;
    if (count) {
      int64_t wait = held[head].due_ms - now_ms();
      timeout = wait > 0 ? (int)wait : 0;
    }
    struct pollfd socket_ready = {.fd = fd, .events = POLLIN};
    if (poll(&socket_ready, 1, timeout) > 0) {
      ssize_t length = recv(fd, buffer, sizeof buffer, 0);
      if (length >= 0) nfq_handle_packet(handle, buffer, (int)length);
    }
    for (int64_t now = now_ms(); count && held[head].due_ms <= now; count -= 1) {
      nfq_set_verdict(queue, held[head].id, NF_ACCEPT, 0, NULL);
      head = (head + 1) % HELD_MAX;
    }
  }
}
