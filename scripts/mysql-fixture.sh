#!/usr/bin/env bash
# Writes the tshark side of the MySQL tests (test/dissectors/app/mysql.test.ts): columns, frame.protocols
# and the mysql.* keys tshark 4.0 prints for fixtures/mysql-session.pcap (scripts/mysql-fixture.py) and
# for the corpus's pcapng-eth-sll-comments.pcapng (a MariaDB greeting, an SSL request, then TLS), in
# .tshark.tsv files. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${WIRETRACE_CORPUS:-../shared/corpus}
python3 scripts/mysql-fixture.py
args=(-T fields -E header=y -E occurrence=a)
for k in _ws.col.Protocol _ws.col.Info frame.protocols \
  mysql.packet_length mysql.packet_number mysql.response_code mysql.protocol mysql.version mysql.thread_id \
  mysql.salt mysql.salt2 mysql.caps.server mysql.extcaps.server mysql.caps.client mysql.extcaps.client \
  mysql.caps.lp mysql.caps.cd mysql.caps.cp mysql.caps.sl mysql.caps.cu mysql.caps.ta mysql.caps.sc \
  mysql.caps.ms mysql.caps.pa mysql.caps.ca mysql.caps.session_track mysql.caps.deprecate_eof mysql.caps.unused \
  mysql.server_language mysql.server_status mysql.stat.ac mysql.stat.it mysql.auth_plugin.length mysql.auth_plugin \
  mysql.unused mysql.max_packet mysql.charset mysql.user mysql.passwd mysql.schema mysql.client_auth_plugin \
  mysql.connattrs.length mysql.connattrs.name mysql.connattrs.value \
  mysql.command mysql.query mysql.stmt_id mysql.num_params mysql.error_code mysql.sqlstate mysql.error.message \
  mysql.affected_rows mysql.insert_id mysql.warnings mysql.message mysql.num_fields mysql.eof \
  mysql.field.catalog mysql.field.db mysql.field.table mysql.field.name mysql.field.charsetnr mysql.field.length \
  mysql.field.type mysql.field.flags mysql.field.decimals mysql.row.text mysql.exec_flags mysql.exec_iter \
  mysql.new_parameter_bound_flag mysql.exec.field.longlong mysql.row.nullbuffer mysql.payload; do
  args+=(-e "$k")
done
tshark -n -r fixtures/mysql-session.pcap "${args[@]}" 2>/dev/null > fixtures/mysql-session.pcap.tshark.tsv
tshark -n -r "$C/pcapng-eth-sll-comments.pcapng" "${args[@]}" 2>/dev/null > fixtures/mysql-corpus.tshark.tsv
