/* Hand-written C reference for bench/kernels/richards.py: the same scheduler with tasks and packets as structs
 * (a kind tag and a switch for the task's function), in Kiln's calling style. Packets are malloc'd like the
 * Python objects and freed at the end. */
#include <stdint.h>
#include <stdlib.h>

enum { I_IDLE = 1, I_WORK, I_HANDLER_A, I_HANDLER_B, I_DEV_A, I_DEV_B };
enum { K_DEV = 1000, K_WORK = 1001, BUFSIZE = 4 };
enum { IDLE, WORK, HANDLER, DEVICE };

typedef struct packet { struct packet *link; int64_t ident, kind, datum, data[BUFSIZE]; } packet;
typedef struct task {
  struct task *link;
  int kind;
  int64_t ident, priority;
  packet *queue;
  int pending, waiting, holding;
  int64_t control, count, destination;  /* idle: control, count; work: destination, count */
  packet *work, *devices, *held;        /* handler: work, devices; device: held */
} task;
typedef struct { task *tasks[6]; task *head; int64_t hold_count, queue_count; } sched;

static packet *new_packet(packet *link, int64_t ident, int64_t kind) {
  packet *p = calloc(1, sizeof *p);
  p->link = link; p->ident = ident; p->kind = kind;
  return p;
}

static packet *append_to(packet *p, packet *queue) {
  p->link = NULL;
  if (!queue) return p;
  packet *q = queue;
  while (q->link) q = q->link;
  q->link = p;
  return queue;
}

static task *add_packet(task *t, packet *p, task *old) {
  if (!t->queue) {
    t->queue = p; t->pending = 1;
    if (t->priority > old->priority) return t;
  } else t->queue = append_to(p, t->queue);
  return old;
}

static task *wait_task(task *t) { t->waiting = 1; return t; }
static task *hold(sched *s, task *t) { s->hold_count++; t->holding = 1; return t->link; }
static task *release(sched *s, task *t, int64_t ident) {
  task *r = s->tasks[ident - 1];
  r->holding = 0;
  return r->priority > t->priority ? r : t;
}
static task *send(sched *s, task *t, packet *p) {
  task *r = s->tasks[p->ident - 1];
  s->queue_count++;
  p->link = NULL; p->ident = t->ident;
  return add_packet(r, p, t);
}

static task *fn(sched *s, task *t, packet *p) {
  switch (t->kind) {
  case IDLE:
    if (--t->count == 0) return hold(s, t);
    if ((t->control & 1) == 0) { t->control /= 2; return release(s, t, I_DEV_A); }
    t->control = (t->control / 2) ^ 0xD008;
    return release(s, t, I_DEV_B);
  case WORK:
    if (!p) return wait_task(t);
    t->destination = t->destination == I_HANDLER_A ? I_HANDLER_B : I_HANDLER_A;
    p->ident = t->destination; p->datum = 0;
    for (int i = 0; i < BUFSIZE; i++) {
      if (++t->count > 26) t->count = 1;
      p->data[i] = 64 + t->count;
    }
    return send(s, t, p);
  case HANDLER: {
    if (p) {
      if (p->kind == K_WORK) t->work = append_to(p, t->work);
      else t->devices = append_to(p, t->devices);
    }
    packet *work = t->work;
    if (!work) return wait_task(t);
    int64_t n = work->datum;
    if (n >= BUFSIZE) { t->work = work->link; return send(s, t, work); }
    packet *dev = t->devices;
    if (!dev) return wait_task(t);
    t->devices = dev->link;
    dev->datum = work->data[n];
    work->datum = n + 1;
    return send(s, t, dev);
  }
  default:
    if (!p) {
      packet *h = t->held;
      if (!h) return wait_task(t);
      t->held = NULL;
      return send(s, t, h);
    }
    t->held = p;
    return hold(s, t);
  }
}

static task *run_task(sched *s, task *t) {
  packet *msg = NULL;
  if (t->pending && t->waiting && !t->holding) {
    msg = t->queue;
    t->queue = msg->link;
    t->pending = t->queue != NULL;
    t->waiting = 0; t->holding = 0;
  }
  return fn(s, t, msg);
}

int ref_richards(int64_t count, int64_t *out) {
  packet *all[8];
  all[0] = new_packet(NULL, 0, K_WORK); all[1] = new_packet(all[0], 0, K_WORK);
  all[2] = new_packet(NULL, I_DEV_A, K_DEV); all[3] = new_packet(all[2], I_DEV_A, K_DEV); all[4] = new_packet(all[3], I_DEV_A, K_DEV);
  all[5] = new_packet(NULL, I_DEV_B, K_DEV); all[6] = new_packet(all[5], I_DEV_B, K_DEV); all[7] = new_packet(all[6], I_DEV_B, K_DEV);
  task ts[6] = {
    { .kind = IDLE, .ident = I_IDLE, .priority = 1, .control = 1, .count = count },
    { .kind = WORK, .ident = I_WORK, .priority = 1000, .queue = all[1], .pending = 1, .waiting = 1, .destination = I_HANDLER_A },
    { .kind = HANDLER, .ident = I_HANDLER_A, .priority = 2000, .queue = all[4], .pending = 1, .waiting = 1 },
    { .kind = HANDLER, .ident = I_HANDLER_B, .priority = 3000, .queue = all[7], .pending = 1, .waiting = 1 },
    { .kind = DEVICE, .ident = I_DEV_A, .priority = 4000, .waiting = 1 },
    { .kind = DEVICE, .ident = I_DEV_B, .priority = 5000, .waiting = 1 },
  };
  sched s = { .head = NULL };
  for (int i = 0; i < 6; i++) { s.tasks[i] = &ts[i]; ts[i].link = s.head; s.head = &ts[i]; }
  task *t = s.head;
  while (t) {
    if (t->holding || (!t->pending && t->waiting)) t = t->link;
    else t = run_task(&s, t);
  }
  *out = s.hold_count * 100000 + s.queue_count;
  for (int i = 0; i < 8; i++) free(all[i]);
  return 0;
}
