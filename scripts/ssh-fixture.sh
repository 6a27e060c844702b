#!/usr/bin/env bash
# Regenerates fixtures/ssh-sessions.pcap and tshark's view of it (.tshark.tsv), read by
# test/dissectors/app/ssh.test.ts: OpenSSH's sshd on 127.0.0.1:22 (its own host key and
# authorized key in a temporary directory) and three clients: aes128-cbc with
# diffie-hellman-group-exchange-sha256 (tshark 4.0 does not try to decrypt it), aes128-ctr with
# curve25519-sha256 (it does, without keys), and an HTTP request sent to port 22.
# Needs root (port 22, tcpdump), openssh-server and openssh-client, python3 and tshark.
set -euo pipefail
FX="$(cd "$(dirname "$0")/.." && pwd)/fixtures"
W="$(mktemp -d)"; chmod 755 "$W" # tcpdump writes as its own user
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$W"' EXIT
cd "$W"
ssh-keygen -q -t ed25519 -N '' -f host
ssh-keygen -q -t ed25519 -N '' -f id
cp id.pub authorized_keys
mkdir -p /run/sshd
tcpdump --immediate-mode -i lo -w ssh.pcap -U 'tcp port 22' 2>/dev/null & TD=$!; sleep 1
/usr/sbin/sshd -D -p 22 -o ListenAddress=127.0.0.1 -h "$W/host" -o AuthorizedKeysFile="$W/authorized_keys" \
  -o StrictModes=no -o PermitRootLogin=prohibit-password -o Ciphers=+aes128-cbc & S=$!; sleep 1
C=(ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -i "$W/id" root@127.0.0.1)
"${C[@]}" -c aes128-cbc -o KexAlgorithms=diffie-hellman-group-exchange-sha256 true
"${C[@]}" -c aes128-ctr -o KexAlgorithms=curve25519-sha256 true
python3 -c "
import socket, time
s = socket.create_connection(('127.0.0.1', 22)); s.sendall(b'GET / HTTP/1.0\r\n\r\n'); time.sleep(0.5); s.recv(200); s.close()"
sleep 0.5; kill $S; sleep 0.3; kill $TD; wait $TD 2>/dev/null || true
cp ssh.pcap "$FX/ssh-sessions.pcap"
KEYS=(frame.number _ws.col.Protocol _ws.col.Info frame.protocols tcp.stream ssh.protocol ssh.packet_length ssh.padding_length
  ssh.message_code ssh.cookie ssh.kex_algorithms_length ssh.kex_algorithms ssh.server_host_key_algorithms
  ssh.encryption_algorithms_client_to_server ssh.encryption_algorithms_server_to_client ssh.mac_algorithms_client_to_server
  ssh.mac_algorithms_server_to_client ssh.compression_algorithms_client_to_server ssh.compression_algorithms_server_to_client
  ssh.languages_client_to_server ssh.languages_server_to_client ssh.kex.hassh_algorithms ssh.kex.hassh ssh.kex.hasshserver_algorithms
  ssh.kex.hasshserver ssh.padding_string ssh.packet_length_encrypted ssh.encrypted_packet ssh.direction)
E=(); for k in "${KEYS[@]}"; do E+=(-e "$k"); done
tshark -n -r "$FX/ssh-sessions.pcap" -T fields -E header=y -E occurrence=a "${E[@]}" > "$FX/ssh-sessions.pcap.tshark.tsv" 2>/dev/null
echo "ssh-fixture: written to $FX/ssh-sessions.pcap"
