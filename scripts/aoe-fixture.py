#!/usr/bin/env python3
# Writes fixtures/aoe.pcap: ATA over Ethernet (ethertype 0x88a2) for test/dissectors/link/aoe.test.ts:
# ATA commands and their responses matched by tag (a read, an LBA48 write, an asynchronous write, an
# identify with an unknown command byte), a config query and its answer, an error response, a response
# nobody asked for, a tag asked twice, version 2 (not decoded), cut headers. Then scripts/aoe-fixture.sh.
import os, struct
A, B = bytes.fromhex('001122334455'), bytes.fromhex('00aabbccddee')
pkts = []
def aoe(src, dst, flags, err, major, minor, cmd, tag, body=b'', ver=1):
    pkts.append(dst + src + b'\x88\xa2' + bytes([(ver << 4) | flags, err]) + struct.pack('>HBB', major, minor, cmd) + struct.pack('>I', tag) + body)
def ata(aflags, feat, count, cmd, lba):
    return bytes([aflags, feat, count, cmd]) + struct.pack('<IH', lba & 0xffffffff, lba >> 32) + b'\x00\x00'
aoe(A, B, 0, 0, 0x40f6, 2, 0, 0x01010101, ata(0x00, 0, 1, 0x20, 0x1234))                  # read sectors
aoe(B, A, 8, 0, 0x40f6, 2, 0, 0x01010101, ata(0x00, 0, 0, 0x50, 0x1234) + b'\x5a' * 64)   # its response (status 0x50)
aoe(A, B, 0, 0, 0x40f6, 2, 0, 0x00000102, ata(0x41, 0, 2, 0x34, 0x123456789a))           # LBA48 write ext
aoe(A, B, 0, 0, 0x40f6, 2, 0, 0x00000103, ata(0x13, 0x0a, 1, 0xca, 7))                    # async DMA write, D set
aoe(B, A, 8, 0, 0x40f6, 2, 0, 0x00000102, ata(0x41, 0, 0, 0x40, 0x123456789a))
aoe(A, B, 0, 0, 0x40f6, 2, 0, 0x00000104, ata(0x00, 0, 1, 0x07, 0))                       # unknown ATA command
aoe(B, A, 8, 0, 0x40f6, 2, 0, 0x00000104, ata(0x00, 0, 0, 0x51, 0))
aoe(A, B, 0, 0, 0xffff, 0xff, 1, 0x00000200, bytes.fromhex('0000000000000000'))          # config query
aoe(B, A, 8, 0, 0x0001, 0x00, 1, 0x00000200, bytes.fromhex('0010000000020100000a') + b'cfg=1')
aoe(B, A, 12, 3, 0x40f6, 2, 0, 0x00000105, ata(0, 0, 0, 0, 0))                            # error: device unavailable
aoe(B, A, 12, 9, 0x40f6, 2, 0, 0x00000106, ata(0, 0, 0, 0, 0))                            # unknown error
aoe(B, A, 8, 0, 0x40f6, 2, 0, 0x0badf00d, ata(0, 0, 0, 0x50, 0))                          # response to no request
aoe(A, B, 0, 0, 0x40f6, 2, 0, 0x00000107, ata(0, 0, 1, 0x25, 1))                          # asked twice: the second wins
aoe(A, B, 0, 0, 0x40f6, 2, 0, 0x00000107, ata(0, 0, 1, 0x25, 2))
aoe(B, A, 8, 0, 0x40f6, 2, 0, 0x00000107, ata(0, 0, 0, 0x50, 2))
aoe(A, B, 0, 0, 0x40f6, 2, 7, 0x00000300)                                                 # unknown command
aoe(A, B, 0, 0, 0x40f6, 2, 0, 0x00000301, ata(0, 0, 1, 0x20, 0), ver=2)                   # version 2
pkts.append(B + A + b'\x88\xa2' + bytes([0x18, 0, 0x40]))                                 # cut in the major
aoe(A, B, 0, 0, 0x40f6, 2, 0, 0x00000302, ata(0, 0, 1, 0x20, 5)[:6])                      # cut in the ATA header
out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, p in enumerate(pkts): out += struct.pack('<IIII', 1700000200, i * 1500, len(p), len(p)) + p
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'aoe.pcap'), 'wb').write(out)
