#!/usr/bin/env python3
# Writes fixtures/lldp-frames.pcap: LLDPDUs (ethertype 0x88cc) built byte by byte, for
# test/dissectors/link/lldp.test.ts: chassis IDs by MAC, network address, interface name and locally
# assigned; port IDs by interface name, MAC and local; TTL; port and system description, system name,
# capabilities, a management address; IEEE 802.1 (port VLAN ID) and 802.3 (MAC/PHY, maximum frame size)
# organisation TLVs and one of an unknown OUI; an unknown TLV type; a TTL of 0 (shutdown); a TLV whose
# length runs past the frame; an LLDPDU without its End TLV; one cut inside the chassis ID.
# Then run scripts/lldp-fixture.sh for tshark's side.
import os, struct

DST = bytes.fromhex('0180c200000e')
SRC = bytes.fromhex('001122334455')

def tlv(t, data):
    return struct.pack('>H', (t << 9) | len(data)) + data

def frame(*tlvs, pad=True):
    f = DST + SRC + b'\x88\xcc' + b''.join(tlvs)
    if pad and len(f) < 60: f += b'\0' * (60 - len(f))
    return f

MAC = bytes.fromhex('001122334455')
END = tlv(0, b'')
chassis_mac = tlv(1, b'\x04' + MAC)
port_ifname = tlv(2, b'\x05' + b'Gi0/1')
ttl = lambda s: tlv(3, struct.pack('>H', s))
mgmt = tlv(8, bytes([5, 1]) + bytes([192, 0, 2, 1]) + b'\x02' + struct.pack('>I', 3) + b'\x00')
caps = tlv(7, struct.pack('>HH', 0x0014, 0x0004))
org = lambda oui, sub, data: tlv(127, bytes.fromhex(oui) + bytes([sub]) + data)
frames = []
# 1 the mandatory TLVs only
frames.append(frame(chassis_mac, port_ifname, ttl(120), END))
# 2 every basic TLV: port description, system name and description, capabilities, management address
frames.append(frame(chassis_mac, tlv(2, b'\x03' + MAC), ttl(120), tlv(4, b'GigabitEthernet0/1'), tlv(5, b'switch1'),
                    tlv(6, b'Example OS 1.2'), caps, mgmt, END))
# 3 chassis by network address, port locally assigned, 802.1 port VLAN ID, 802.3 MAC/PHY and max frame size
frames.append(frame(tlv(1, b'\x05\x01' + bytes([10, 0, 0, 1])), tlv(2, b'\x07' + b'17'), ttl(3600),
                    org('0080c2', 1, struct.pack('>H', 10)),
                    org('00120f', 1, bytes([0x03]) + struct.pack('>HH', 0x6c01, 0x001e)),
                    org('00120f', 4, struct.pack('>H', 1522)), END))
# 4 chassis by interface name, an organisation TLV of an unknown OUI, an unknown TLV type (9)
frames.append(frame(tlv(1, b'\x06' + b'eth0'), tlv(2, b'\x05' + b'eth0'), ttl(120), org('aabbcc', 7, b'\x01\x02\x03'),
                    tlv(9, b'\xde\xad'), END))
# 5 shutdown: TTL 0, chassis locally assigned
frames.append(frame(tlv(1, b'\x07' + b'host-a'), tlv(2, b'\x05' + b'eth1'), ttl(0), END))
# 6 a TLV whose length runs past the frame
frames.append(frame(chassis_mac, port_ifname, ttl(120), struct.pack('>H', (5 << 9) | 40) + b'abc', pad=False))
# 7 no End TLV
frames.append(frame(chassis_mac, port_ifname, ttl(120), tlv(5, b'sw'), pad=False))
# 8 cut inside the chassis ID
frames.append(frame(tlv(1, b'\x04' + MAC)[:5], pad=False))
# 9 a system name and an 802.1 VLAN name TLV, management address IPv6 with an OID
frames.append(frame(chassis_mac, port_ifname, ttl(120), tlv(5, b'core-sw.example.net'),
                    org('0080c2', 3, struct.pack('>H', 20) + b'\x05' + b'users'),
                    tlv(8, bytes([17, 2]) + bytes.fromhex('20010db8000000000000000000000001') + b'\x03' + struct.pack('>I', 7) + b'\x03' + b'\x2b\x06\x01'),
                    END))

out = struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
for i, p in enumerate(frames):
    out += struct.pack('<IIII', 1700000000 + i, 0, len(p), len(p)) + p
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'lldp-frames.pcap'), 'wb').write(out)
