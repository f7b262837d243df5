"""Sets the scheduler slice of one process (Linux 6.12 and later, EEVDF): `sched-slice.py PID NS`.

A task with a short slice gets an early virtual deadline, so when it wakes it preempts a task
that is in the middle of a longer slice instead of waiting for it to end; its policy and nice
value are kept. Node has no binding for sched_setattr(2), hence this helper (bench only).
Exit status 0 with the new slice printed, else 1 with the reason.
"""
import ctypes
import os
import struct
import sys

SYS_SCHED_SETATTR, SYS_SCHED_GETATTR = 314, 315  # x86_64
ATTR = 'IIQiIQQQII'  # struct sched_attr, SCHED_ATTR_SIZE_VER1 = 56 bytes
SIZE = struct.calcsize(ATTR)

def main() -> int:
    pid, slice_ns = int(sys.argv[1]), int(sys.argv[2])
    if os.uname().machine != 'x86_64':
        print(f'syscall numbers known for x86_64 only, not {os.uname().machine}')
        return 1
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(SIZE)
    if libc.syscall(SYS_SCHED_GETATTR, pid, buf, SIZE, 0) != 0:
        print(f'sched_getattr: {os.strerror(ctypes.get_errno())}')
        return 1
    _, policy, _, nice, priority, *_ = struct.unpack(ATTR, buf.raw)
    attr = struct.pack(ATTR, SIZE, policy, 0, nice, priority, slice_ns, 0, 0, 0, 0)
    if libc.syscall(SYS_SCHED_SETATTR, pid, ctypes.create_string_buffer(attr, SIZE), 0) != 0:
        print(f'sched_setattr: {os.strerror(ctypes.get_errno())}')
        return 1
    libc.syscall(SYS_SCHED_GETATTR, pid, buf, SIZE, 0)
    applied = struct.unpack(ATTR, buf.raw)[5]
    if applied != slice_ns:
        print(f'the kernel kept a slice of {applied} ns (custom slices need Linux 6.12+)')
        return 1
    print(f'slice {applied} ns')
    return 0

sys.exit(main())
