"""A task scheduler in the style of Martin Richards' benchmark: an idle task, a worker, two handlers and two
devices pass packets to each other through a scheduler. Tasks are a small class hierarchy (each kind overrides
fn, called through the base: dispatch by the instance's class); packets are linked lists ending in None. Returns
hold_count * 100000 + queue_count after a run whose idle task counts down from `count` (10000: 9297 and 23246)."""
from typing import Optional

from kiln import compile

I_IDLE = 1
I_WORK = 2
I_HANDLER_A = 3
I_HANDLER_B = 4
I_DEV_A = 5
I_DEV_B = 6
K_DEV = 1000
K_WORK = 1001
BUFSIZE = 4


class Packet:
    def __init__(self, link: "Optional[Packet]", ident: int, kind: int):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
        self.data = [0, 0, 0, 0]

    def append_to(self, queue: "Optional[Packet]") -> "Packet":
        self.link = None
        if queue is None:
            return self
        p = queue
        while p.link is not None:
            p = p.link
        p.link = self
        return queue


class Scheduler:
    def __init__(self, tasks: "list[Task]"):
        """The tasks in the order of their idents; the run list links them from the last to the first."""
        self.tasks = tasks
        self.head: Optional[Task] = None
        for t in tasks:
            t.link = self.head
            self.head = t
        self.hold_count = 0
        self.queue_count = 0

    def find(self, ident: int) -> "Task":
        return self.tasks[ident - 1]

    def run(self) -> None:
        t = self.head
        while t is not None:
            if t.holding or (not t.pending and t.waiting):
                t = t.link
            else:
                t = t.run_task(self)


class Task:
    def __init__(self, ident: int, priority: int, queue: Optional[Packet], pending: bool, waiting: bool):
        self.ident = ident
        self.priority = priority
        self.queue = queue
        self.pending = pending
        self.waiting = waiting
        self.holding = False
        self.link: Optional[Task] = None

    def fn(self, pkt: Optional[Packet], s: Scheduler) -> "Optional[Task]":
        raise NotImplementedError("Task.fn")

    def run_task(self, s: Scheduler) -> "Optional[Task]":
        msg: Optional[Packet] = None
        if self.pending and self.waiting and not self.holding:
            msg = self.queue
            assert msg is not None
            self.queue = msg.link
            self.pending = self.queue is not None
            self.waiting = False
            self.holding = False
        return self.fn(msg, s)

    def add_packet(self, pkt: Packet, old: "Task") -> "Task":
        if self.queue is None:
            self.queue = pkt
            self.pending = True
            if self.priority > old.priority:
                return self
        else:
            self.queue = pkt.append_to(self.queue)
        return old

    def wait(self) -> "Task":
        self.waiting = True
        return self

    def hold(self, s: Scheduler) -> "Optional[Task]":
        s.hold_count += 1
        self.holding = True
        return self.link

    def release(self, s: Scheduler, ident: int) -> "Task":
        t = s.find(ident)
        t.holding = False
        return t if t.priority > self.priority else self

    def send(self, s: Scheduler, pkt: Packet) -> "Task":
        t = s.find(pkt.ident)
        s.queue_count += 1
        pkt.link = None
        pkt.ident = self.ident
        return t.add_packet(pkt, self)


class IdleTask(Task):
    def __init__(self, ident: int, priority: int, count: int):
        super().__init__(ident, priority, None, False, False)
        self.control = 1
        self.count = count

    def fn(self, pkt: Optional[Packet], s: Scheduler) -> "Optional[Task]":
        self.count -= 1
        if self.count == 0:
            return self.hold(s)
        if self.control & 1 == 0:
            self.control //= 2
            return self.release(s, I_DEV_A)
        self.control = (self.control // 2) ^ 0xD008
        return self.release(s, I_DEV_B)


class WorkTask(Task):
    def __init__(self, ident: int, priority: int, queue: Packet):
        super().__init__(ident, priority, queue, True, True)
        self.destination = I_HANDLER_A
        self.count = 0

    def fn(self, pkt: Optional[Packet], s: Scheduler) -> "Optional[Task]":
        if pkt is None:
            return self.wait()
        self.destination = I_HANDLER_B if self.destination == I_HANDLER_A else I_HANDLER_A
        pkt.ident = self.destination
        pkt.datum = 0
        for i in range(BUFSIZE):
            self.count += 1
            if self.count > 26:
                self.count = 1
            pkt.data[i] = 64 + self.count
        return self.send(s, pkt)


class HandlerTask(Task):
    def __init__(self, ident: int, priority: int, queue: Packet):
        super().__init__(ident, priority, queue, True, True)
        self.work: Optional[Packet] = None
        self.devices: Optional[Packet] = None

    def fn(self, pkt: Optional[Packet], s: Scheduler) -> "Optional[Task]":
        if pkt is not None:
            if pkt.kind == K_WORK:
                self.work = pkt.append_to(self.work)
            else:
                self.devices = pkt.append_to(self.devices)
        work = self.work
        if work is None:
            return self.wait()
        n = work.datum
        if n >= BUFSIZE:
            self.work = work.link
            return self.send(s, work)
        dev = self.devices
        if dev is None:
            return self.wait()
        self.devices = dev.link
        dev.datum = work.data[n]
        work.datum = n + 1
        return self.send(s, dev)


class DeviceTask(Task):
    def __init__(self, ident: int, priority: int):
        super().__init__(ident, priority, None, False, True)
        self.held: Optional[Packet] = None

    def fn(self, pkt: Optional[Packet], s: Scheduler) -> "Optional[Task]":
        if pkt is None:
            held = self.held
            if held is None:
                return self.wait()
            self.held = None
            return self.send(s, held)
        self.held = pkt
        return self.hold(s)


@compile(tag="bench/richards", description="Richards-style task scheduler: hold and queue counts.", examples=[10000, 100, 1])
def richards(count: int) -> int:
    work = Packet(Packet(None, 0, K_WORK), 0, K_WORK)
    dev_a = Packet(Packet(Packet(None, I_DEV_A, K_DEV), I_DEV_A, K_DEV), I_DEV_A, K_DEV)
    dev_b = Packet(Packet(Packet(None, I_DEV_B, K_DEV), I_DEV_B, K_DEV), I_DEV_B, K_DEV)
    s = Scheduler([
        IdleTask(I_IDLE, 1, count),
        WorkTask(I_WORK, 1000, work),
        HandlerTask(I_HANDLER_A, 2000, dev_a),
        HandlerTask(I_HANDLER_B, 3000, dev_b),
        DeviceTask(I_DEV_A, 4000),
        DeviceTask(I_DEV_B, 5000),
    ])
    s.run()
    return s.hold_count * 100000 + s.queue_count
