#!/usr/bin/env python3
# Writes fixtures/resp-commands.pcap: one Redis (RESP) connection on 127.0.0.1:6379 built byte by byte
# (SET, GET split over two segments, an error, a 150-byte bulk string, a null bulk, two pipelined PINGs,
# a binary bulk, an inline command, an integer, nested arrays), for test/dissectors/app/resp.test.ts.
# Then run scripts/resp-fixture.sh for tshark's side.
import struct
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pktlib import TcpConn  # noqa: E402 (shared TCP builder)
C=bytes([127,0,0,1]); S=bytes([127,0,0,1]); cp=50000; sp=6379
pkts=[]; t=[0]
seg=TcpConn(pkts, C, S, cp, sp).seg
seg('c',0x02); seg('s',0x12); seg('c',0x10)
seg('c',0x18,b'*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n'); seg('s',0x18,b'+OK\r\n')
seg('c',0x18,b'*2\r\n$3\r\nGET\r\n$3\r\nk'); seg('c',0x18,b'ey\r\n'); seg('s',0x18,b'$5\r\nvalue\r\n')
seg('c',0x18,b'*1\r\n$5\r\nHELLO\r\n'); seg('s',0x18,b'-ERR unknown command\r\n')
seg('c',0x18,b'*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n'); seg('s',0x18,b'$150\r\n'+b'x'*150+b'\r\n')
seg('c',0x18,b'*2\r\n$3\r\nGET\r\n$4\r\nnone\r\n'); seg('s',0x18,b'$-1\r\n')
seg('c',0x18,b'*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n'); seg('s',0x18,b'+PONG\r\n+PONG\r\n')
seg('c',0x18,b'*2\r\n$3\r\nGET\r\n$3\r\nbin\r\n'); seg('s',0x18,b'$4\r\n\x00\x01\x02\xff\r\n')
seg('c',0x18,b'PING\r\n'); seg('s',0x18,b':42\r\n')
seg('c',0x18,b'*2\r\n$4\r\nKEYS\r\n$1\r\n*\r\n'); seg('s',0x18,b'*2\r\n$1\r\na\r\n*1\r\n:7\r\n*0\r\n*-1\r\n')
seg('c',0x11); seg('s',0x11); seg('c',0x10)
out=struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,1)
for i,p in enumerate(pkts): out+=struct.pack('<IIII',1700000000,i*1000,len(p),len(p))+p
import os
open(os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'resp-commands.pcap'),'wb').write(out)
