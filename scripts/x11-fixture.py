#!/usr/bin/env python3
# Writes fixtures/x11-session.pcap: one X11 connection to 127.0.0.1:6000 seen mid-way (no connection
# setup), little endian, built byte by byte: requests with and without replies, a reply matched by its
# sequence number, events (one sent, one unknown), an error, a BIG-REQUESTS request, an extension opcode,
# an unknown core opcode and a zero length; for test/dissectors/app/x11.test.ts. Then run
# scripts/x11-fixture.sh for tshark's side.
import struct
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pktlib import TcpConn  # noqa: E402 (shared TCP builder)
C=bytes([127,0,0,1]); S=bytes([127,0,0,1]); cp=50000; sp=6000
pkts=[]; t=[0]
seg=TcpConn(pkts, C, S, cp, sp).seg
import struct as st
def req(op, data1, words, body=b''):
    b=st.pack('<BBH',op,data1,words)+body
    return b+b'\0'*(words*4-len(b))
seg('c',0x02); seg('s',0x12); seg('c',0x10)
# InternAtom "WM_NAME" (seq 1), GetInputFocus (seq 2)
seg('c',0x18, req(16,0,5,st.pack('<HH',7,0)+b'WM_NAME')+req(43,0,1))
# reply to seq 2 (GetInputFocus), then one to seq 9 (never asked)
seg('s',0x18, st.pack('<BBHI',1,1,2,0)+st.pack('<I',0x400001)+b'\0'*20)
seg('s',0x18, st.pack('<BBHI',1,0,9,1)+b'\0'*28)
# Expose, a sent ClientMessage, an unknown event 64
seg('s',0x18, st.pack('<BBH',12,0,2)+b'\0'*28+st.pack('<BBH',0x80|33,32,2)+b'\0'*28+st.pack('<BBH',64,0,2)+b'\0'*28)
# error BadWindow
seg('s',0x18, st.pack('<BBH',0,3,2)+b'\0'*28)
# ChangeProperty (6 words), GetProperty (6), an extension request 150 (2), unknown core opcode 120 (1), NoOperation
seg('c',0x18, req(18,0,6)+req(20,0,6)+req(150,3,2)+req(120,0,1)+req(127,0,1))
seg('s',0x18, st.pack('<BBHI',1,8,4,0)+b'\0'*24)
# a BIG-REQUESTS NoOperation: length 0, then 32-bit length 3
seg('c',0x18, st.pack('<BBHI',127,0,0,3)+b'\0'*4)
# a length of 0 with a 32-bit length of 0
seg('c',0x18, b'\0'*16)
seg('c',0x11); seg('s',0x11); seg('c',0x10)
out=struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,1)
for i,p in enumerate(pkts): out+=struct.pack('<IIII',1700000000,i*1000,len(p),len(p))+p
import os
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'x11-session.pcap'),'wb').write(out)
