#!/usr/bin/env bash
# Makes the certificates of fixtures/x509-certificates.pcap (fixtures/x509/*.pem, committed so the
# capture can be rebuilt byte for byte; run again only to change them): an RSA root valid past 2049
# (generalizedTime), an EC intermediate (CA, pathlen 0), an RSA leaf with every extension the X.509
# tests look at (SAN DNS/IP/email/URI, KeyUsage, EKU, AIA, CRL DP, certificatePolicies, an unknown
# extension, UTF-8 subject), an EC P-384 leaf with PrintableString names, a v1 certificate, an Ed25519
# self-signed one; a self-signed one with the extensions the others lack (scripts/x509-fixture.py, 4).
# Needs openssl 3.
set -euo pipefail
D="$(cd "$(dirname "$0")/.." && pwd)/fixtures/x509"
mkdir -p "$D"; T=$(mktemp -d); trap 'rm -rf "$T"' EXIT; cd "$T"
cat > printable.cnf <<'C'
[req]
distinguished_name = dn
string_mask = default
[dn]
C
cat > ext.cnf <<'C'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[inter]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:wiretrace.test, DNS:*.wiretrace.test, IP:192.0.2.1, IP:2001:db8::1, email:ops@wiretrace.test, URI:https://wiretrace.test/
authorityInfoAccess = OCSP;URI:http://ocsp.wiretrace.test, caIssuers;URI:http://ca.wiretrace.test/inter.der
crlDistributionPoints = URI:http://crl.wiretrace.test/inter.crl
certificatePolicies = 2.23.140.1.2.1, @cps
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
1.3.6.1.4.1.55555.1 = ASN1:UTF8String:wiretrace private extension
[cps]
policyIdentifier = 1.3.6.1.4.1.55555.2
CPS.1 = "https://wiretrace.test/cps"
[leaf2]
subjectAltName = DNS:p384.wiretrace.test
extendedKeyUsage = serverAuth
[more]
issuerAltName = DNS:issuer.wiretrace.test
nameConstraints = critical, permitted;DNS:.wiretrace.test, excluded;IP:10.0.0.0/255.0.0.0
policyConstraints = requireExplicitPolicy:1
inhibitAnyPolicy = 2
tlsfeature = status_request
nsComment = "wiretrace comment"
certificatePolicies = @pol
1.3.6.1.4.1.11129.2.4.2 = DER:043B0039003700000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F000001A3185C507B000004030008A0A1A2A3A4A5A6A7
subjectAltName = otherName:1.3.6.1.4.1.311.20.2.3;UTF8:upn@wiretrace.test, dirName:dir, RID:1.2.3.4
[pol]
policyIdentifier = 2.5.29.32.0
userNotice.1 = @notice
[notice]
explicitText = "Notice text"
organization = "Wiretrace Org"
noticeNumbers = 1, 2
[dir]
CN = dir name
C
openssl req -x509 -newkey rsa:2048 -nodes -keyout root.key -out root.pem -days 14600 -sha256 \
  -subj '/C=US/O=Wiretrace Test/CN=Wiretrace Root CA' -addext 'basicConstraints=critical,CA:TRUE' \
  -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout inter.key -out inter.csr \
  -subj '/C=US/O=Wiretrace Test/OU=Issuing/CN=Wiretrace EC Intermediate' 2>/dev/null
openssl x509 -req -in inter.csr -CA root.pem -CAkey root.key -set_serial 0x1001 -days 3650 -sha256 -extfile ext.cnf -extensions inter -out inter.pem 2>/dev/null
openssl req -new -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -utf8 \
  -subj '/C=DE/ST=Bayern/L=München/O=Wiretrace Prüfung GmbH/OU=Netz/CN=wiretrace.test/emailAddress=ops@wiretrace.test' 2>/dev/null
openssl x509 -req -in leaf.csr -CA inter.pem -CAkey inter.key -set_serial 0x7fee3c11d2a4b5c6d7e8f90a1b2c3d4e5f607182 -days 397 -sha256 -extfile ext.cnf -extensions leaf -out leaf.pem 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:secp384r1 -nodes -keyout p384.key -out p384.csr -config printable.cnf \
  -subj '/C=GB/O=Printable Names Ltd/CN=p384.wiretrace.test' 2>/dev/null
openssl x509 -req -in p384.csr -CA root.pem -CAkey root.key -set_serial 2 -days 90 -sha384 -extfile ext.cnf -extensions leaf2 -out p384.pem 2>/dev/null
openssl req -new -newkey rsa:1024 -nodes -keyout v1.key -out v1.csr -config printable.cnf -subj '/O=Old Style/CN=v1.wiretrace.test' 2>/dev/null
openssl x509 -req -in v1.csr -CA root.pem -CAkey root.key -set_serial 255 -days 30 -sha1 -out v1.pem 2>/dev/null
openssl req -x509 -newkey ed25519 -nodes -keyout ed.key -out ed.pem -days 30 -subj '/CN=ed25519.wiretrace.test' 2>/dev/null
openssl req -new -newkey rsa:1024 -nodes -keyout more.key -out more.csr -utf8 \
  -subj '/DC=test/DC=wiretrace/serialNumber=12345/businessCategory=Private Organization/jurisdictionC=DE/title=Dr/CN=more.wiretrace.test' 2>/dev/null
openssl x509 -req -in more.csr -signkey more.key -days 30 -extfile ext.cnf -extensions more -out more.pem 2>/dev/null
cp root.pem inter.pem leaf.pem p384.pem v1.pem ed.pem more.pem "$D/"
