# BER and LDAP message builders shared by the LDAP fixture scripts (scripts/ldap-fixture.py over TCP,
# scripts/cldap-fixture.py over UDP), and the Internet checksum (scripts/pktlib.py's).
import struct

def ln(n):
    if n < 0x80: return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(b)]) + b
def tlv(tag, v): return bytes([tag]) + ln(len(v)) + v
def seq(*xs): return tlv(0x30, b''.join(xs))
def st(*xs): return tlv(0x31, b''.join(xs))
def octs(s, tag=0x04): return tlv(tag, s.encode() if isinstance(s, str) else s)
def integer(n, tag=0x02):
    b = n.to_bytes(max(1, (n.bit_length() + 8) // 8), 'big', signed=True)
    return tlv(tag, b)
def enum(n): return integer(n, 0x0a)
def boolean(v, tag=0x01): return tlv(tag, b'\xff' if v else b'\x00')
def app(n, *xs, cons=True): return tlv(0x40 | (0x20 if cons else 0) | n, b''.join(xs))
def ctx(n, *xs, cons=True): return tlv(0x80 | (0x20 if cons else 0) | n, b''.join(xs))
def msg(mid, op, controls=None):
    return seq(integer(mid), op, *( [ctx(0, *controls)] if controls else [] ))
def result(code, dn='', diag='', referral=None):
    out = enum(code) + octs(dn) + octs(diag)
    if referral: out += ctx(3, *[octs(u) for u in referral])
    return out
def attrs(*names): return seq(*[octs(n) for n in names])
def pattr(t, *vals): return seq(octs(t), st(*[octs(v) for v in vals]))
# filters
def f_and(*fs): return ctx(0, *fs)
def f_or(*fs): return ctx(1, *fs)
def f_not(f): return ctx(2, f)
def f_eq(a, v): return ctx(3, octs(a), octs(v))
def f_sub(a, initial=None, anys=(), final=None):
    items = ([tlv(0x80, initial.encode())] if initial else []) + [tlv(0x81, x.encode()) for x in anys] + ([tlv(0x82, final.encode())] if final else [])
    return ctx(4, octs(a), seq(*items))
def f_ge(a, v): return ctx(5, octs(a), octs(v))
def f_le(a, v): return ctx(6, octs(a), octs(v))
def f_pres(a): return tlv(0x87, a.encode())
def f_approx(a, v): return ctx(8, octs(a), octs(v))
def f_ext(rule, a, v, dn): return ctx(9, tlv(0x81, rule.encode()), tlv(0x82, a.encode()), tlv(0x83, v.encode()), tlv(0x84, b'\xff' if dn else b'\x00'))
def search(mid, base, scope, flt, at, size=0, time=0, types=False, deref=0, controls=None):
    return msg(mid, app(3, octs(base), enum(scope), enum(deref), integer(size), integer(time), boolean(types), flt, at), controls)

from pktlib import csum  # noqa: E402,F401 (the fixture scripts take it from here too)
