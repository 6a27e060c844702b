// SSDP (UPnP discovery: HTTP requests and responses over UDP, port 1900). tshark dissects it with its
// HTTP dissector under another name: "Simple Service Discovery Protocol", Protocol column SSDP, the
// same http.* fields ("NOTIFY * HTTP/1.1 ", "M-SEARCH * HTTP/1.1 " in the Info column).

import type { Dissector } from '../src/dissect/types.js';
import { dissectHttp, http, type HttpD } from './http.js';

export const ssdp: Dissector<HttpD> = {
  proto: 'ssdp',
  name: 'Simple Service Discovery Protocol',
  fieldKeys: http.fieldKeys,
  registers: [{ table: 'udp.port', key: 1900 }],
  dissect(buf, start, end) {
    return dissectHttp(ssdp, buf, start, end);
  },
  fields: http.fields,
  fieldShow: http.fieldShow,
  title: () => 'Simple Service Discovery Protocol',
  column: () => 'SSDP',
  info: http.info,
};
