#!/usr/bin/env bash
# Rebuild fixtures/smb2-samba.pcap from real traffic: Samba's smbd (Debian's samba package) on the loopback of a
# private network namespace (MTU 1500, offloads off, so large messages span several TCP segments), with one
# user (NTLMSSP inside SPNEGO), and smbclient sessions: SMB 2.1 and SMB 3.1.1 on TCP 445 (directory listing,
# get, put, mkdir, rename, rm, rmdir, a missing file), SMB 3.1.1 with encryption required (transform headers),
# and SMB 3.1.1 over NBSS on TCP 139. Bounded: every client run has a timeout; everything stops by itself.
# Needs root, samba, smbclient, iproute2, tcpdump. Then scripts/smb2-fixture.sh writes tshark's side.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-$HERE/../fixtures/smb2-samba.pcap}
NS=wiretrace-smb2
USERNAME=wtsmb
PASS='Secret-123'
ip netns del "$NS" 2>/dev/null || true
ip netns add "$NS"
TMP=$(mktemp -d)
CAP= SMBD=
cleanup() {
  [ -n "$CAP" ] && kill "$CAP" 2>/dev/null || true
  [ -n "$SMBD" ] && kill "$SMBD" 2>/dev/null || true
  ip netns del "$NS" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
id "$USERNAME" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$USERNAME"
chmod 0755 "$TMP"
mkdir -p "$TMP"/{share,private,lock,state,cache,pid,log}
chmod 0777 "$TMP/share"
printf 'hello from wiretrace\n' > "$TMP/share/hello.txt"
head -c 5000 /dev/zero | tr '\0' 'A' > "$TMP/share/big.txt"
chmod 0666 "$TMP/share/"*.txt
cat > "$TMP/smb.conf" <<CONF
[global]
  workgroup = WTDOM
  netbios name = WTSRV
  interfaces = lo
  bind interfaces only = yes
  smb ports = 445 139
  private dir = $TMP/private
  lock directory = $TMP/lock
  state directory = $TMP/state
  cache directory = $TMP/cache
  pid directory = $TMP/pid
  log file = $TMP/log/%m.log
  passdb backend = tdbsam:$TMP/private/passdb.tdb
  server min protocol = SMB2_02
  server signing = auto
  map to guest = never
  disable netbios = yes
  load printers = no
  printing = bsd
  printcap name = /dev/null
  disable spoolss = yes
[share]
  path = $TMP/share
  read only = no
  guest ok = no
CONF
printf '[global]\n  client min protocol = SMB2_02\n' > "$TMP/client.conf"
(echo "$PASS"; echo "$PASS") | smbpasswd -c "$TMP/smb.conf" -s -a "$USERNAME" >/dev/null
ip netns exec "$NS" ip link set lo mtu 1500 up
ip netns exec "$NS" ethtool -K lo tso off gso off gro off tx off >/dev/null 2>&1 || true
ip netns exec "$NS" smbd -F --no-process-group -s "$TMP/smb.conf" -d 0 </dev/null >"$TMP/log/smbd.out" 2>&1 &
SMBD=$!
for _ in $(seq 50); do ip netns exec "$NS" bash -c 'exec 3<>/dev/tcp/127.0.0.1/445' 2>/dev/null && break; sleep 0.2; done
sleep 0.5
ip netns exec "$NS" tcpdump -q -i lo -s 0 -U -w "$TMP/cap.pcap" 'tcp port 445 or tcp port 139' 2>/dev/null &
CAP=$!
sleep 1
printf 'local file for put\n' > "$TMP/up.txt"
cd "$TMP"
run() { ip netns exec "$NS" timeout 20 smbclient -s "$TMP/client.conf" "//127.0.0.1/share" -U "$USERNAME%$PASS" "$@" >>"$TMP/log/client.out" 2>&1 || true; sleep 0.3; }
# SMB 2.1
run -m SMB2_10 -c 'ls; get hello.txt dl1.txt; put up.txt up21.txt; mkdir d21; rmdir d21; get nosuch.txt x.txt; rm up21.txt'
# SMB 3.1.1 (the client's highest)
run -c 'ls; get big.txt dl2.txt; put up.txt up3.txt; rename up3.txt moved.txt; allinfo moved.txt; rm moved.txt; mkdir d3; ls d3\*; rmdir d3'
# a wrong password
ip netns exec "$NS" timeout 20 smbclient -s "$TMP/client.conf" "//127.0.0.1/share" -U "$USERNAME%wrong" -c 'ls' >>"$TMP/log/client.out" 2>&1 || true
sleep 0.3
# SMB 3.1.1, encryption required
run --option='client smb encrypt=required' -c 'ls; get hello.txt dl3.txt'
# SMB 3.1.1 over NBSS (TCP 139)
run -p 139 -c 'ls; get hello.txt dl4.txt'
sleep 1
kill -INT "$CAP"; wait "$CAP" || true; CAP=
cp "$TMP/cap.pcap" "$OUT"
echo "wrote $OUT"
