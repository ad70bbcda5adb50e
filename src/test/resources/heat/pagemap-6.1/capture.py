# Captures real pagemap entries in the 6.1 guest (CONFIG_MEM_SOFT_DIRTY=y) for the parser tests.
import ctypes, mmap, os, sys
P = 4096
libc = ctypes.CDLL(None, use_errno=True)
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
m = mmap.mmap(-1, 18 * P, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
raw = ctypes.addressof(ctypes.c_char.from_buffer(m))
assert libc.mprotect(raw, P, 0) == 0 and libc.mprotect(raw + 17 * P, P, 0) == 0  # guards: no merging
base = raw + P
def w(i, v): m[P + i * P] = v
for i in range(8):
    w(i, 1)                     # pages 0-7 present, written before the clear
_ = m[P + 8 * P]                # page 8 read only: maps the zero page
open('/proc/self/clear_refs', 'w').write('4')
for i in range(4):
    w(i, 2)                     # pages 0-3 written after the clear
# pages 9-15 never touched
with open('/proc/self/pagemap', 'rb') as f:
    f.seek(base // P * 8)
    anon = f.read(16 * 8)
    text = None
    for line in open('/proc/self/maps'):
        parts = line.split()
        if len(parts) >= 6 and parts[1] == 'r-xp' and parts[5].startswith('/'):
            start = int(parts[0].split('-')[0], 16)
            f.seek(start // P * 8)
            text = f.read(8)
            print('file page from', parts[5])
            break
out = os.environ['TIERD_VM_RESULTS']
open(out + '/pagemap-anon.bin', 'wb').write(anon)
open(out + '/pagemap-file.bin', 'wb').write(text)
print(os.uname().release, anon.hex(), text.hex())
