// tshark's stats_tree: the counter trees behind `-z http,tree`, `-z dns,tree`, `-z plen,tree`, …
// (epan/stats_tree.c and ui/cli/tap-stats_tree.c of Wireshark 4.0), with tshark's default
// preferences: children sorted by count, descending (ties: by name, descending, byte order; range
// rows always by their lower bound, ascending), the root's children in the order they were created,
// burst rates over a 100 ms window counted in 5 ms buckets.
//
// A tree is fed by "tap calls": before each, `tap(ms)` sets the time of the packet (milliseconds since
// the first frame of the capture, as tshark's pinfo->rel_ts); the tree's own code then ticks nodes by
// name. Numbers are formatted as tshark's C code does it (float arithmetic where it uses float, printf
// rounding: see cFixed).
//
// Memory: a tree keeps at most MAX_NODES rows; a tick that would create a row beyond that is dropped
// (its parents, ticked by their own calls, still count it) and the text says how many were dropped.

/** Most rows (nodes) one tree keeps. */
export const MAX_NODES = 10_000;

/** prefs.st_burst_resolution and prefs.st_burst_windowlen (ms), tshark's defaults. */
const BURST_RES = 5;
const BURST_WIN = 100;
/** INDENT_MAX of stats_tree_priv.h. */
const INDENT_MAX = 32;
const G_MAXINT = 2147483647;
const G_MININT = -2147483648;

interface Bucket {
  no: number;
  count: number;
  start: number;
}

export class StatNode {
  counter = 0;
  total = 0;
  min: number;
  max: number;
  /** ST_FLG_AVERAGE: the node has values (Average, Min, Max shown). */
  average = false;
  readonly children: StatNode[] = [];
  readonly hash: Map<string, StatNode> | null;
  rng: { floor: number; ceil: number } | null = null;
  /** Burst buckets, in bucket order (the first is tshark's dummy bucket 0 until it falls out of the window). */
  private buckets: Bucket[] = [{ no: 0, count: 0, start: 0 }];
  private bcount = 0;
  maxBurst = 0;
  burstTime = -1;
  /** Index in the tree's parent nodes (tshark's node->id), -1 for a node that is no parent node. */
  id = -1;

  constructor(
    readonly name: string,
    readonly parent: StatNode | null,
    readonly float: boolean,
    withHash: boolean,
    readonly rootChild: boolean,
  ) {
    this.hash = withHash ? new Map() : null;
    this.min = float ? 3.4028234663852886e38 : G_MAXINT;
    this.max = float ? 1.1754943508222875e-38 : G_MININT;
  }

  /** update_burst_calc: `value` more at time `now` (ms). */
  burst(now: number, value: number): void {
    const b = this.buckets;
    const cur = Math.floor(now / BURST_RES);
    const win = BURST_WIN / BURST_RES;
    const tail = b[b.length - 1];
    if (cur > tail.no) {
      b.push({ no: cur, count: value, start: now });
      this.bcount += value;
      let drop = 0;
      while (cur >= b[drop].no + win) this.bcount -= b[drop++].count;
      if (drop > 0) b.splice(0, drop);
    } else if (cur < b[0].no) {
      if (cur + win > tail.no) {
        b.unshift({ no: cur, count: value, start: now });
        this.bcount += value;
      }
    } else {
      let i = b.length - 1;
      while (cur < b[i].no) i--;
      if (cur === b[i].no) {
        b[i].count += value;
        if (b[i].start > now) b[i].start = now;
      } else {
        b.splice(i + 1, 0, { no: cur, count: value, start: now });
      }
      this.bcount += value;
    }
    if (this.bcount > this.maxBurst) {
      this.maxBurst = this.bcount;
      this.burstTime = b[0].start;
    }
  }

  /** An int (or float) value for Average/Min/Max (MN_AVERAGE_NOTICK). */
  value(v: number): void {
    if (this.float) {
      const f = Math.fround(v);
      this.total = Math.fround(this.total + f);
      if (this.min > f) this.min = f;
      if (this.max < f) this.max = f;
    } else {
      this.total += v;
      if (this.min > v) this.min = v;
      if (this.max < v) this.max = v;
    }
    this.average = true;
  }
}

/** stats_tree_get_displayname: a root child's name after its last '/' ("//" is a slash). */
function displayName(full: string): string {
  let buf = full;
  let i = 0;
  for (;;) {
    const s = buf.indexOf('/', i);
    if (s < 0) return buf;
    if (buf[s + 1] === '/') {
      buf = buf.slice(0, s + 1) + buf.slice(s + 2);
      i = s + 1;
    } else {
      buf = buf.slice(s + 1);
      i = 0;
    }
  }
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);

/**
 * printf("%.Nf", x) as glibc writes it: the exact binary value rounded to N decimals, a tie to the
 * even digit (Number.prototype.toFixed rounds a tie up).
 */
export function cFixed(x: number, n: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const s = x.toFixed(n);
  if (Math.abs(x) >= 2 ** 52 || x === 0) return s;
  F64[0] = Math.abs(x);
  const lo = U32[0];
  const hi = U32[1];
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (exp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  if (e >= 0) return s;
  // |x| * 10^n = mant * 10^n / 2^k: a tie when the remainder is exactly half of 2^k
  const k = BigInt(-e);
  const scaled = mant * 10n ** BigInt(n);
  const q = scaled >> k;
  const rem = scaled - (q << k);
  if (rem !== 1n << (k - 1n)) return s;
  const r = q % 2n === 0n ? q : q + 1n;
  let digits = r.toString().padStart(n + 1, '0');
  if (n > 0) digits = digits.slice(0, -n) + '.' + digits.slice(-n);
  return (x < 0 ? '-' : '') + digits;
}

/** Column names of the text (prefs.st_burst_showcount off: "Burst Rate"). */
const COLUMNS = ['Topic / Item', 'Count', 'Average', 'Min Val', 'Max Val', 'Rate (ms)', 'Percent', 'Burst Rate', 'Burst Start'];

/**
 * One stats_tree: its name (tshark's cfg->name, "HTTP/Packet Counter"), nodes by id (0 = the root),
 * the named nodes (st->names), and the time of the current tap call.
 */
export class StatsTree {
  readonly root: StatNode;
  private readonly parents: StatNode[];
  private readonly names = new Map<string, StatNode>();
  /** The id each name got first (the nodes a tree's init creates, which its code keeps in variables). */
  private readonly firstIds = new Map<string, number>();
  private nodes = 0;
  /** Ticks dropped because the tree reached MAX_NODES rows. */
  dropped = 0;
  private start = -1;
  private elapsed = 0;
  now = 0;

  constructor(readonly name: string) {
    this.root = new StatNode(displayName(name), null, false, false, false);
    this.parents = [this.root];
  }

  /** stats_tree_packet: a tap call at `ms` (milliseconds since the first frame). */
  tap(ms: number): void {
    this.now = ms;
    if (this.start < 0) this.start = ms;
    this.elapsed = ms - this.start;
  }

  private newNode(name: string, parentId: number, withHash: boolean, asParent: boolean, float = false): StatNode | null {
    const parent = this.parents[parentId];
    if (this.nodes >= MAX_NODES) {
      this.dropped++;
      return null;
    }
    this.nodes++;
    const node = new StatNode(name, parent, float, withHash, parentId === 0);
    if (asParent) {
      this.names.set(name, node);
      this.parents.push(node);
      node.id = this.parents.length - 1;
      if (!this.firstIds.has(name)) this.firstIds.set(name, node.id);
    }
    parent.children.push(node);
    parent.hash?.set(name, node);
    return node;
  }

  /** The node's id (-1: not a parent node, or dropped). */
  private idOf(node: StatNode | null): number {
    return node === null ? -1 : node.id;
  }

  /** The id of the first parent node named `name` (-1: none). */
  id(name: string): number {
    return this.firstIds.get(name) ?? -1;
  }

  /** stats_tree_create_node. */
  createNode(name: string, parentId: number, withHash: boolean, float = false): number {
    return this.idOf(this.newNode(name, parentId, withHash, true, float));
  }

  /** stats_tree_create_pivot: a node with a hash of its children. */
  createPivot(name: string, parentId: number): number {
    return this.createNode(name, parentId, true);
  }

  /** stats_tree_create_range_node_string: a node with one child per range ("0-19", "5120-": open ended). */
  createRangeNode(name: string, parentId: number, ranges: readonly string[]): number {
    const root = this.newNode(name, parentId, false, true);
    if (root === null) return -1;
    const id = this.idOf(root);
    ranges.forEach((r, i) => {
      const n = this.newNode(r, id, false, false);
      if (n === null) return;
      const [a, b] = r.split('-', 2) as [string, string | undefined];
      const floor = b === undefined ? parseInt(a, 10) : a === '' ? G_MININT : parseInt(a, 10);
      let ceil = b === undefined ? floor : b === '' ? G_MAXINT : parseInt(b, 10);
      if (i === ranges.length - 1 && floor === ceil) ceil = G_MAXINT;
      n.rng = { floor, ceil };
    });
    return id;
  }

  private find(name: string, parentId: number, withHash: boolean, float = false): StatNode | null {
    const parent = this.parents[parentId];
    if (parent === undefined) return null;
    const node = (parent.hash !== null ? parent.hash.get(name) : this.names.get(name)) ?? this.newNode(name, parentId, withHash, withHash, float);
    return node;
  }

  /** tick_stat_node (MN_INCREASE by 1): the node's id when it is a parent node, else -1. */
  tick(name: string, parentId: number, withHash: boolean): number {
    if (parentId < 0) return -1;
    const node = this.find(name, parentId, withHash);
    if (node === null) return -1;
    node.counter += 1;
    node.burst(this.now, 1);
    return node.id;
  }

  /** avg_stat_node_add_value_int / _float (MN_AVERAGE): count one and add a value. */
  avg(name: string, parentId: number, withHash: boolean, value: number, float = false): number {
    if (parentId < 0) return -1;
    const node = this.find(name, parentId, withHash, float);
    if (node === null) return -1;
    node.counter++;
    node.burst(this.now, 1);
    node.value(value);
    return this.idOf(node);
  }

  /** avg_stat_node_add_value_notick (MN_AVERAGE_NOTICK): add a value without counting. */
  avgNoTick(name: string, parentId: number, withHash: boolean, value: number): number {
    if (parentId < 0) return -1;
    const node = this.find(name, parentId, withHash);
    if (node === null) return -1;
    node.value(value);
    return this.idOf(node);
  }

  /** stats_tree_tick_pivot: count the pivot and its child `value`. */
  tickPivot(pivotId: number, value: string): void {
    const p = this.parents[pivotId];
    if (p === undefined) return;
    p.counter++;
    p.burst(this.now, 1);
    this.tick(value, pivotId, false);
  }

  /** stats_tree_tick_range: the range node's values, and one count in the child whose range holds `v`. */
  tickRange(name: string, parentId: number, v: number): void {
    const parent = this.parents[parentId];
    if (parent === undefined) return;
    const node = parent.hash !== null ? parent.hash.get(name) : this.names.get(name);
    if (node === undefined) return;
    node.value(v);
    for (const c of node.children) {
      if (c.rng !== null && v >= c.rng.floor && v <= c.rng.ceil) {
        c.counter++;
        c.value(v);
        c.burst(this.now, 1);
        return;
      }
    }
  }

  /** stats_tree_get_values_from_node. */
  private values(n: StatNode): string[] {
    const v: string[] = [n.rootChild ? displayName(n.name) : n.name, String(n.counter)];
    if (n.average || n.rng !== null) {
      if (n.counter) {
        const avg = Math.fround(Math.fround(n.total) / Math.fround(n.counter));
        v.push(cFixed(avg, 2), n.float ? cFixed(n.min, 6) : String(n.min), n.float ? cFixed(n.max, 6) : String(n.max));
      } else v.push('-', '-', '-');
    } else v.push('', '', '');
    v.push(this.elapsed ? cFixed(Math.fround(n.counter) / this.elapsed, 4) : '');
    const p = n.parent;
    v.push(p !== null && p.counter ? cFixed((n.counter * 100.0) / p.counter, 2) + '%' : p === this.root ? '100%' : '');
    v.push(n.maxBurst ? cFixed(n.maxBurst / BURST_WIN, 4) : '-');
    v.push(n.maxBurst ? cFixed(n.burstTime / 1000.0, 3) : '-');
    return v;
  }

  /** tshark's text (stats_tree_format_as_str, ST_FORMAT_PLAIN), byte for byte. */
  text(): string {
    const maxLen = (n: StatNode, indent: number): number => {
      indent = Math.min(indent, INDENT_MAX);
      let m = 0;
      for (const c of n.children) m = Math.max(m, maxLen(c, indent + 1));
      return Math.max(m, byteLength(n.rootChild ? displayName(n.name) : n.name) + indent);
    };
    const w = maxLen(this.root, 0);
    const sepLen = w + (COLUMNS.length - 1) * 14;
    let s = '\n' + '='.repeat(sepLen) + '\n' + this.name + ':\n';
    s += pad(COLUMNS[0], w);
    for (let i = 1; i < COLUMNS.length; i++) s += ' ' + pad(COLUMNS[i], 13);
    s += '\n' + '-'.repeat(sepLen) + '\n';
    const draw = (n: StatNode, indent: number): void => {
      const v = this.values(n);
      let line = ' '.repeat(indent) + pad(v[0], w - indent);
      for (let i = 1; i < v.length; i++) line += ' ' + pad(v[i], 13);
      s += line + '\n';
      const next = Math.min(indent + 1, INDENT_MAX);
      for (const c of sortChildren(n.children)) draw(c, next);
    };
    for (const c of this.root.children) draw(c, 0);
    s += '\n' + '-'.repeat(sepLen) + '\n';
    if (this.dropped > 0) s += `(wiretrace: ${this.dropped} ticks of rows beyond the limit of ${MAX_NODES} rows per tree are not shown)\n`;
    return s;
  }
}

/** Length in bytes as tshark's strlen sees a name (UTF-8). */
function byteLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.length : Buffer.byteLength(s, 'utf8');
}

/** printf("%-Ns"): left aligned in N bytes, never cut. */
function pad(s: string, n: number): string {
  const len = byteLength(s);
  return len >= n ? s : s + ' '.repeat(n - len);
}

/** Byte order of two names (strcmp). */
function strcmp(a: string, b: string): number {
  if (a === b) return 0;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}

/** stats_tree_sort_compare with tshark's defaults: by count, descending; ties by name, descending; ranges by floor. */
function sortChildren(list: readonly StatNode[]): StatNode[] {
  return list
    .map((n, i) => ({ n, i }))
    .sort((x, y) => {
      const a = x.n;
      const b = y.n;
      if (a.rng !== null && b.rng !== null) return a.rng.floor - b.rng.floor || x.i - y.i;
      let r = a.counter - b.counter;
      if (r === 0) r = strcmp(a.name, b.name);
      return -r || x.i - y.i;
    })
    .map((x) => x.n);
}
