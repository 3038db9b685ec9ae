/** The txid part of `<txid>:<vout>`. */
export function txidOf(outpoint: string): string {
  return outpoint.slice(0, outpoint.lastIndexOf(':'));
}

export function voutOf(outpoint: string): number {
  return Number(outpoint.slice(outpoint.lastIndexOf(':') + 1));
}

/**
 * CLN keeps txids in internal byte order (the reverse of the displayed hex) and sorts by it.
 * This compares two displayed txids the way CLN's `ORDER BY txid` does.
 */
export function compareTxidsAsStored(a: string, b: string): number {
  for (let i = a.length - 2, j = b.length - 2; i >= 0 && j >= 0; i -= 2, j -= 2) {
    const x = a.slice(i, i + 2);
    const y = b.slice(j, j + 2);
    if (x !== y) return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export const isChannelTypeAccount = (name: string): boolean => name !== 'wallet' && name !== 'external';
