#!/usr/bin/env python3
# Writes fixtures/mysql-session.pcap: MySQL (classic protocol, TCP 3306) built byte by byte, for
# test/dissectors/app/mysql.test.ts. Connection 1 (port 50000): server greeting (protocol 10,
# mysql_native_password), login request with schema, auth plugin and connection attributes, OK, a
# query whose text result set (column count, field, EOF, row, EOF) comes in one segment, COM_INIT_DB,
# a query answered by an error, an INSERT split over two segments answered by OK (affected rows,
# insert id), COM_PING, a prepared statement (prepare, its response, execute, binary result), two
# packets in one segment (COM_STMT_CLOSE + COM_QUERY), COM_STATISTICS, COM_QUIT.
# Connection 2 (port 50001): a MariaDB greeting and a login refused with error 1045.
# Then run scripts/mysql-fixture.sh for tshark's side.
import os, struct

def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('>%dH' % (len(b) // 2), b)); s = (s & 0xffff) + (s >> 16); s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

IP = bytes([127, 0, 0, 1])
pkts = []

class Conn:
    def __init__(self, cport):
        self.cport = cport
        self.seq = {'c': 1000 + cport, 's': 900000 + cport}
    def seg(self, frm, flags, data=b''):
        sport, dport = (self.cport, 3306) if frm == 'c' else (3306, self.cport)
        other = 's' if frm == 'c' else 'c'
        ack = self.seq[other] if flags & 0x10 else 0
        tcp = struct.pack('>HHIIBBHHH', sport, dport, self.seq[frm], ack, 5 << 4, flags, 65535, 0, 0)
        ph = IP + IP + struct.pack('>BBH', 0, 6, len(tcp) + len(data))
        ck = csum(ph + tcp + data); tcp = tcp[:16] + struct.pack('>H', ck) + tcp[18:]
        ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp) + len(data), 1, 0x4000, 64, 6, 0, IP, IP)
        ip = ip[:10] + struct.pack('>H', csum(ip)) + ip[12:]
        pkts.append(b'\0' * 12 + b'\x08\x00' + ip + tcp + data)
        self.seq[frm] = (self.seq[frm] + len(data) + (1 if flags & 0x03 else 0)) & 0xffffffff
    def open(self):
        self.seg('c', 0x02); self.seg('s', 0x12); self.seg('c', 0x10)
    def close(self):
        self.seg('c', 0x11); self.seg('s', 0x11); self.seg('c', 0x10)

def pk(num, body):
    """One MySQL packet: 3-byte length, sequence id, body."""
    return struct.pack('<I', len(body))[:3] + bytes([num]) + body

def lenenc(n):
    if n < 251: return bytes([n])
    if n < 1 << 16: return b'\xfc' + struct.pack('<H', n)
    if n < 1 << 24: return b'\xfd' + struct.pack('<I', n)[:3]
    return b'\xfe' + struct.pack('<Q', n)

def lestr(s):
    return lenenc(len(s)) + s

def greeting(version, thread, caps, ext, charset=255, plugin=b'mysql_native_password'):
    return (b'\x0a' + version + b'\0' + struct.pack('<I', thread) + b'abcdefgh' + b'\0' + struct.pack('<H', caps) +
            bytes([charset]) + struct.pack('<H', 0x0002) + struct.pack('<H', ext) + bytes([21]) + b'\0' * 10 +
            b'ijklmnopqrst' + b'\0' + plugin + b'\0')

def field(name, table=b't', type_=0xfd, length=28, flags=0, charset=255):
    return (lestr(b'def') + lestr(b'test') + lestr(table) + lestr(table) + lestr(name) + lestr(name) + b'\x0c' +
            struct.pack('<HIBHB', charset, length, type_, flags, 0) + b'\0\0')

def eof(status=0x0002, warnings=0):
    return b'\xfe' + struct.pack('<HH', warnings, status)

def ok(rows=0, insert=0, status=0x0002, warnings=0, msg=b''):
    return b'\x00' + lenenc(rows) + lenenc(insert) + struct.pack('<HH', status, warnings) + msg

def err(code, state, msg):
    return b'\xff' + struct.pack('<H', code) + b'#' + state + msg

# ---- connection 1: a session -------------------------------------------------------------------
c = Conn(50000)
c.open()
c.seg('s', 0x18, pk(0, greeting(b'8.0.36', 42, 0xffff, 0xdfff)))
# client caps: LP FR LF CD LI IS CU TA SC (no SSL); ext caps: MS MR PM PA CA (no DEPRECATE_EOF)
attrs = lestr(b'_client_name') + lestr(b'libmysql') + lestr(b'_os') + lestr(b'Linux')
login = (struct.pack('<HHIB', 0xa38f, 0x001f, 16777216, 45) + b'\0' * 23 + b'root\0' + bytes([20]) + bytes(range(1, 21)) +
         b'test\0' + b'mysql_native_password\0' + lestr(attrs))
c.seg('c', 0x18, pk(1, login))
c.seg('s', 0x18, pk(2, ok()))
c.seg('c', 0x18, pk(0, b'\x03select @@version_comment limit 1'))
c.seg('s', 0x18, pk(1, b'\x01') + pk(2, field(b'@@version_comment', table=b'')) + pk(3, eof()) +
      pk(4, lestr(b'MySQL Community Server - GPL')) + pk(5, eof()))
c.seg('c', 0x18, pk(0, b'\x02test'))
c.seg('s', 0x18, pk(1, ok()))
c.seg('c', 0x18, pk(0, b'\x03SELECT * FROM nope'))
c.seg('s', 0x18, pk(1, err(1146, b'42S02', b"Table 'test.nope' doesn't exist")))
ins = pk(0, b"\x03INSERT INTO t (name, note) VALUES ('alpha', 'a row split over two TCP segments')")
c.seg('c', 0x18, ins[:30]); c.seg('c', 0x18, ins[30:])
c.seg('s', 0x18, pk(1, ok(rows=1, insert=7)))
c.seg('c', 0x18, pk(0, b'\x03SELECT id, name FROM t'))
c.seg('s', 0x18, pk(1, b'\x02') + pk(2, field(b'id', type_=3, length=11, flags=0x4203, charset=63)) + pk(3, field(b'name')))
c.seg('s', 0x18, pk(4, eof()) + pk(5, lestr(b'1') + lestr(b'one')) + pk(6, lestr(b'7') + b'\xfb') + pk(7, eof()))
c.seg('c', 0x18, pk(0, b'\x0e'))
c.seg('s', 0x18, pk(1, ok()))
c.seg('c', 0x18, pk(0, b'\x16SELECT ? + 1'))
c.seg('s', 0x18, pk(1, b'\x00' + struct.pack('<IHHBH', 1, 1, 1, 0, 0)) + pk(2, field(b'?', table=b'', type_=8, length=0, charset=63)) +
      pk(3, eof()) + pk(4, field(b'? + 1', table=b'', type_=8, length=21, charset=63)) + pk(5, eof()))
c.seg('c', 0x18, pk(0, b'\x17' + struct.pack('<IBI', 1, 0, 1) + b'\x00' + b'\x01' + b'\x08\x00' + struct.pack('<q', 41)))
c.seg('s', 0x18, pk(1, b'\x01') + pk(2, field(b'? + 1', table=b'', type_=8, length=21, charset=63)) + pk(3, eof()) +
      pk(4, b'\x00\x00' + struct.pack('<q', 42)) + pk(5, eof()))
c.seg('c', 0x18, pk(0, b'\x19' + struct.pack('<I', 1)) + pk(0, b'\x03SELECT 1'))
c.seg('s', 0x18, pk(1, b'\x01') + pk(2, field(b'1', table=b'', type_=8, length=1, charset=63)) + pk(3, eof()) +
      pk(4, lestr(b'1')) + pk(5, eof()))
c.seg('c', 0x18, pk(0, b'\x09'))
c.seg('s', 0x18, pk(1, b'Uptime: 42  Threads: 1  Questions: 9  Slow queries: 0  Opens: 1'))
c.seg('c', 0x18, pk(0, b'\x01'))
c.close()

# ---- connection 2: MariaDB, access denied --------------------------------------------------------
d = Conn(50001)
d.open()
d.seg('s', 0x18, pk(0, greeting(b'5.5.5-10.11.6-MariaDB-0+deb12u1', 7, 0xf7fe, 0x81bf, charset=45)))
login2 = struct.pack('<HHIB', 0xa205, 0x000a, 16777216, 45) + b'\0' * 23 + b'bob\0' + bytes([20]) + bytes(range(40, 60)) + b'mysql_native_password\0'
d.seg('c', 0x18, pk(1, login2))
d.seg('s', 0x18, pk(2, err(1045, b'28000', b"Access denied for user 'bob'@'localhost' (using password: YES)")))
d.close()

out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, p in enumerate(pkts):
    out += struct.pack('<IIII', 1700000000, i * 1000, len(p), len(p)) + p
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'mysql-session.pcap'), 'wb').write(out)
