#!/usr/bin/env python3
# Writes fixtures/stp-bpdus.pcap: spanning tree BPDUs built byte by byte in IEEE 802.3 frames with LLC
# DSAP/SSAP 0x42, for test/dissectors/link/stp.test.ts: configuration BPDUs (TC, TCA, an extended system
# ID), a topology change notification, RSTP BPDUs (proposal/agreement, every port role), an MSTP BPDU
# with two MSTI records, an unknown BPDU type and protocol identifier, BPDUs cut short, an MSTP version 3
# length that runs past the frame, Cisco PVST+ over SNAP. Then run scripts/stp-fixture.sh for tshark's side.
import os, struct

DST = bytes.fromhex('0180c2000000')
SRC = bytes.fromhex('00115a0c3e01')

def frame(bpdu, pad=True, dst=DST, llc=b'\x42\x42\x03'):
    body = llc + bpdu
    f = dst + SRC + struct.pack('>H', len(body)) + body
    if pad and len(f) < 60: f += b'\0' * (60 - len(f))
    return f

def bid(prio, mac):
    return struct.pack('>H', prio) + bytes.fromhex(mac)

def times(age=0, maxage=20, hello=2, fwd=15):
    return struct.pack('>HHHH', age * 256, maxage * 256, hello * 256, fwd * 256)

def config(flags, root, cost, bridge, port, tm=None, version=0, btype=0, proto=0):
    return struct.pack('>HBBB', proto, version, btype, flags) + root + struct.pack('>I', cost) + bridge + struct.pack('>H', port) + (tm or times())

ROOT = bid(0x8000, '4c5e0c3ec6dd')
BR = bid(0x8000, '00115a0c3e00')
frames = []
# 1 configuration BPDU with TC
frames.append(frame(config(0x01, ROOT, 4, BR, 0x8001, times(1))))
# 2 configuration BPDU with TCA, root with an extended system ID (priority 32768 + VLAN 10)
frames.append(frame(config(0x80, bid(0x800a, '4c5e0c3ec6dd'), 0, bid(0x800a, '4c5e0c3ec6dd'), 0x8002)))
# 3 topology change notification
frames.append(frame(struct.pack('>HBB', 0, 0, 0x80)))
# 4-7 RSTP: proposal + designated + learning; root + forwarding + agreement + TC; alternate; backup/unknown role
rst = lambda flags, port=0x8002, cost=20024: frame(config(flags, ROOT, cost, BR, port, times(1), version=2, btype=2) + b'\x00')
frames.append(rst(0x0e | 0x10))
frames.append(rst(0x01 | 0x08 | 0x20 | 0x40 | 0x80, port=0x8001))
frames.append(rst(0x04, cost=0))
frames.append(rst(0x00))
# 8 MSTP with two MSTI records
mcid = b'\x00' + b'region1'.ljust(32, b'\0') + struct.pack('>H', 3) + bytes.fromhex('ac36177f50283cd4b83821d8ab26de62')
def msti(flags, rid, cost, prio, port, rem):
    return bytes([flags]) + rid + struct.pack('>I', cost) + bytes([prio, port, rem])
mstis = msti(0x7c, bid(0x8001, '00115a0c3e00'), 0, 0x80, 0x80, 20) + msti(0x01 | 0x08, bid(0x9002, '4c5e0c3ec6dd'), 200000, 0x90, 0x80, 19)
v3 = mcid + struct.pack('>I', 20000) + BR + bytes([20]) + mstis
frames.append(frame(config(0x7c, ROOT, 20000, BR, 0x8001, times(), version=3, btype=2) + b'\x00' + struct.pack('>H', len(v3)) + v3))
# 9 an unknown BPDU type
frames.append(frame(struct.pack('>HBB', 0, 0, 0x55) + b'\x00' * 4))
# 10 a protocol identifier other than 0
frames.append(frame(config(0x00, ROOT, 4, BR, 0x8001, proto=1)))
# 11 a configuration BPDU cut after the root identifier (the 802.3 length tells the truth)
frames.append(frame(config(0x00, ROOT, 4, BR, 0x8001)[:13]))
# 12 an RSTP BPDU without its version 1 length byte
frames.append(frame(config(0x3c, ROOT, 4, BR, 0x8001, version=2, btype=2)))
# 13 MSTP whose version 3 length runs past the frame
frames.append(frame(config(0x3c, ROOT, 0, BR, 0x8001, version=3, btype=2) + b'\x00' + struct.pack('>H', 200) + mcid[:20], pad=False))
# 14 MSTP with no version 3 length (cut right after the version 1 length)
frames.append(frame(config(0x3c, ROOT, 0, BR, 0x8001, version=3, btype=2) + b'\x00'))
# 15 Cisco PVST+ (SNAP OUI 00000c, PID 0x010b) carrying an RSTP BPDU with its VLAN TLV
pvst = config(0x3c, bid(0x8001, '4c5e0c3ec6dd'), 4, bid(0x8001, '00115a0c3e00'), 0x8003, version=2, btype=2) + b'\x00' + struct.pack('>HHH', 0, 2, 1)
frames.append(frame(pvst, dst=bytes.fromhex('01000ccccccd'), llc=b'\xaa\xaa\x03\x00\x00\x0c\x01\x0b'))
# 16 MSTP whose version 3 length promises one MSTI record more than the frame holds
frames.append(frame(config(0x7c, ROOT, 20000, BR, 0x8001, times(), version=3, btype=2) + b'\x00' + struct.pack('>H', len(v3) + 16) + v3))
# 17 MSTP with a version 3 length below its fixed part (64)
frames.append(frame(config(0x7c, ROOT, 20000, BR, 0x8001, times(), version=3, btype=2) + b'\x00' + struct.pack('>H', 40) + v3[:64]))

out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, p in enumerate(frames):
    out += struct.pack('<IIII', 1700000000 + i, 0, len(p), len(p)) + p
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'stp-bpdus.pcap'), 'wb').write(out)
