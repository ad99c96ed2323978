import { hexId, parseBigJson } from './big-json.js';

/** One endpoint of `etcdctl endpoint health -w json`. */
export interface HealthEntry {
  endpoint: string;
  health: boolean;
  took?: string;
  error?: string;
}

/** One endpoint of `etcdctl endpoint status -w json`, IDs in hex. */
export interface StatusEntry {
  endpoint: string;
  /** The cluster the endpoint's member belongs to (a member restarted from an empty data dir as `new` has its own). */
  cluster_id: string;
  id: string;
  leader: string;
  is_leader: boolean;
  raft_term: number;
  raft_index: number;
  db_size: number;
  revision: number;
  version: string;
  is_learner: boolean;
}

/** One member of `etcdctl member list -w json`, ID in hex (name and client URLs are empty until it first starts). */
export interface EtcdMember {
  id: string;
  name: string;
  peer_urls: string[];
  client_urls: string[];
  is_learner: boolean;
}

/** `etcdctl snapshot status -w json`. */
export interface SnapshotStatus {
  hash: number;
  revision: number;
  total_keys: number;
  total_size: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function jsonArray(text: string, what: string): unknown[] {
  const v = parseBigJson(text);
  if (!Array.isArray(v)) throw new Error(`${what}: expected a JSON array from etcdctl`);
  return v;
}

/** Parses `endpoint health -w json` (printed even when some endpoints are unhealthy). */
export function parseHealth(text: string): HealthEntry[] {
  return jsonArray(text, 'endpoint health').map((e) => {
    const o = obj(e);
    const h: HealthEntry = { endpoint: str(o['endpoint']), health: o['health'] === true };
    if (typeof o['took'] === 'string') h.took = o['took'];
    if (typeof o['error'] === 'string') h.error = o['error'];
    return h;
  });
}

/** Parses `endpoint status -w json` (endpoints that could not be reached are missing: see statusErrors). */
export function parseStatus(text: string): StatusEntry[] {
  return jsonArray(text, 'endpoint status').map((e) => {
    const o = obj(e);
    const s = obj(o['Status']);
    const header = obj(s['header']);
    const id = hexId(header['member_id']);
    const leader = hexId(s['leader'] ?? 0);
    return {
      endpoint: str(o['Endpoint']),
      cluster_id: hexId(header['cluster_id'] ?? 0),
      id,
      leader,
      is_leader: id === leader,
      raft_term: num(s['raftTerm'] ?? header['raft_term']),
      raft_index: num(s['raftIndex']),
      db_size: num(s['dbSize']),
      revision: num(header['revision']),
      version: str(s['version']),
      is_learner: s['isLearner'] === true,
    };
  });
}

/** The endpoints etcdctl could not get a status from, with its reason (from stderr). */
export function statusErrors(stderr: string): Array<{ endpoint: string; error: string }> {
  const out: Array<{ endpoint: string; error: string }> = [];
  for (const m of stderr.matchAll(/^Failed to get the status of endpoint (\S+) \((.*)\)$/gm))
    out.push({ endpoint: m[1] ?? '', error: m[2] ?? '' });
  return out;
}

function member(v: unknown): EtcdMember {
  const o = obj(v);
  return {
    id: hexId(o['ID']),
    name: str(o['name']),
    peer_urls: strs(o['peerURLs']),
    client_urls: strs(o['clientURLs']),
    is_learner: o['isLearner'] === true,
  };
}

/** Parses `member list -w json` (also the `members` of `member add/remove -w json`). */
export function parseMembers(text: string): EtcdMember[] {
  const members = obj(parseBigJson(text))['members'];
  if (!Array.isArray(members)) throw new Error('member list: no "members" in etcdctl output');
  return members.map(member);
}

/** Parses `member add -w json`: the new member and the membership after the add. */
export function parseMemberAdd(text: string): { member: EtcdMember; members: EtcdMember[] } {
  const o = obj(parseBigJson(text));
  if (!isObj(o['member'])) throw new Error('member add: no "member" in etcdctl output');
  return { member: member(o['member']), members: Array.isArray(o['members']) ? o['members'].map(member) : [] };
}

/** Parses `snapshot status -w json`. */
export function parseSnapshotStatus(text: string): SnapshotStatus {
  const o = parseBigJson(text.trim().split('\n')[0] ?? '');
  if (!isObj(o) || !('revision' in o)) throw new Error('snapshot status: unexpected etcdctl output');
  return { hash: num(o['hash']), revision: num(o['revision']), total_keys: num(o['totalKey']), total_size: num(o['totalSize']) };
}
