/**
 * CLN's three-way merge of chain rows, channel rows and fee rows: repeatedly take the head
 * with the lowest timestamp (0 counts as unset and goes last); at equal timestamps chain
 * before channel before fee. The lists keep their own order — the merge does not sort them.
 */
export function mergeByHeads<A extends { timestamp: number }, B extends { timestamp: number }, C extends { timestamp: number }>(
  chain: readonly A[],
  channel: readonly B[],
  fees: readonly C[],
): (A | B | C)[] {
  const out: (A | B | C)[] = [];
  let i = 0;
  let j = 0;
  let k = 0;
  const key = (t: number | undefined) => (t === undefined ? Infinity : t === 0 ? Number.MAX_SAFE_INTEGER : t);
  while (i < chain.length || j < channel.length || k < fees.length) {
    const a = key(chain[i]?.timestamp);
    const b = key(channel[j]?.timestamp);
    const c = key(fees[k]?.timestamp);
    const lowest = Math.min(a, b, c);
    if (a === lowest) out.push(chain[i++]!);
    else if (b === lowest) out.push(channel[j++]!);
    else out.push(fees[k++]!);
  }
  return out;
}
