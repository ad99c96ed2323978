/** Votes needed for a decision among n voting members. */
export function quorumOf(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** The membership facts a removal is judged on (learners are not voters). */
export interface RemovalInput {
  name: string;
  voters: number;
  healthyVoters: number;
  targetIsVoter: boolean;
  targetHealthy: boolean;
  force: boolean;
}

/** Whether removing a member is safe: quorum now, quorum afterwards, and never a healthy member without force. */
export function checkRemoval(i: RemovalInput): { ok: true } | { ok: false; reason: string } {
  const { name, voters: n, healthyVoters: h } = i;
  if (i.targetIsVoter && n <= 1) return { ok: false, reason: `${name} is the last voting member: removing it would destroy the cluster` };
  if (h < quorumOf(n)) {
    return {
      ok: false,
      reason: `the cluster has no quorum now (${h} of ${n} voting members healthy, ${quorumOf(n)} needed): a membership change cannot commit; restore from a snapshot instead`,
    };
  }
  const after = i.targetIsVoter ? n - 1 : n;
  const remaining = h - (i.targetIsVoter && i.targetHealthy ? 1 : 0);
  if (remaining < quorumOf(after)) {
    return {
      ok: false,
      reason: `removing ${name} would leave ${remaining} healthy of ${after} voting members, fewer than the quorum of ${quorumOf(after)}`,
    };
  }
  if (i.targetHealthy && !i.force) {
    return {
      ok: false,
      reason: `${name} is healthy: refusing to remove a healthy member without force: true (replace one failed member at a time)`,
    };
  }
  return { ok: true };
}
