import { describe, expect, it } from 'vitest';
import {
  applyFieldOption,
  checkFieldKeys,
  closeMatches,
  defaultFieldsOptions,
  FieldsFormatter,
  type FieldsOptions,
} from '../../src/output/fields.js';
import { corpusPackets } from './helpers.js';

function opts(...o: string[]): FieldsOptions {
  const f = defaultFieldsOptions();
  for (const x of o) expect(applyFieldOption(f, x)).toBeNull();
  return f;
}

function run(keys: string[], o: FieldsOptions, n = 2): string {
  const pk = corpusPackets('http-get-simple.pcap').slice(0, n);
  const f = new FieldsFormatter(keys, o);
  return f.header() + pk.map((p) => f.line(p)).join('');
}

// Expected outputs: tshark 4.0 `tshark -n -r http-get-simple.pcap -c 2 -T fields …` with the same options.
describe('-T fields', () => {
  it('defaults: tab separator, all occurrences joined by ","', () => {
    expect(run(['frame.number', 'ip.src', 'tcp.port', 'tcp.flags.syn'], opts(), 3)).toBe(
      '1\t141.142.228.5\t59856,80\t1\n2\t192.150.187.43\t80,59856\t1\n3\t141.142.228.5\t59856,80\t0\n',
    );
  });

  it('header=y, separator=c, quote=d, occurrence=l', () => {
    expect(
      run(['frame.number', 'tcp.port', 'ip.addr', 'tcp.flags.syn'], opts('header=y', 'separator=,', 'quote=d', 'occurrence=l')),
    ).toBe('frame.number,tcp.port,ip.addr,tcp.flags.syn\n"1","80","192.150.187.43","1"\n"2","59856","141.142.228.5","1"\n');
  });

  it('separator=/s, quote=s, occurrence=f', () => {
    expect(run(['tcp.port', 'ip.addr'], opts('separator=/s', 'quote=s', 'occurrence=f'))).toBe(
      "'59856' '141.142.228.5'\n'80' '192.150.187.43'\n",
    );
  });

  it('aggregator=c and separator=c', () => {
    expect(run(['tcp.port', 'ip.addr'], opts('aggregator=;', 'separator=|'))).toBe(
      '59856;80|141.142.228.5;192.150.187.43\n80;59856|192.150.187.43;141.142.228.5\n',
    );
  });

  it('aggregator=/s, separator=/t, quote=n, header=n; absent keys are empty and never quoted', () => {
    expect(run(['ipv6.src', 'tcp.port', 'udp.port'], opts('aggregator=/s', 'separator=/t', 'quote=n', 'header=n'), 1)).toBe('\t59856 80\t\n');
    expect(run(['ipv6.src', 'tcp.srcport'], opts('quote=d'), 1)).toBe('\t"59856"\n');
  });

  it('analysis keys (the TCP tracker extras) print like tshark', () => {
    // tshark -e tcp.stream -e tcp.seq -e tcp.ack: "0 0 0" then "0 0 1"
    expect(run(['tcp.stream', 'tcp.seq', 'tcp.ack'], opts())).toBe('0\t0\t0\n0\t0\t1\n');
  });

  it('bom=y starts with a UTF-8 BOM', () => {
    expect(new FieldsFormatter(['frame.number'], opts('bom=y', 'header=y')).header()).toBe('\ufeffframe.number\n');
  });

  it('rejects bad -E options', () => {
    const f = defaultFieldsOptions();
    expect(applyFieldOption(f, 'quote=x')).toMatch(/quote takes/);
    expect(applyFieldOption(f, 'occurrence=2')).toMatch(/occurrence takes/);
    expect(applyFieldOption(f, 'header=yes')).toMatch(/header takes/);
    expect(applyFieldOption(f, 'colour=y')).toMatch(/unknown -E option "colour"/);
  });

  it('unknown keys: one line with close matches', () => {
    const known = new Set(['ip.src', 'ip.dst', 'ip.addr', 'tcp.srcport', 'tcp.dstport', 'frame.len']);
    expect(checkFieldKeys(['ip.src', 'tcp.dstport'], known)).toBeNull();
    const e = checkFieldKeys(['ip.srcc'], known)!;
    expect(e).toMatch(/^unknown field "ip\.srcc" for -e; did you mean ip\.src, /);
    expect(e).not.toContain('\n');
    expect(closeMatches('tcp.port', known)).toEqual(['tcp.dstport', 'tcp.srcport']);
    expect(checkFieldKeys(['zzzz'], known)).toMatch(/no known field is close/);
  });
});
