import type { ValueTransformer } from 'typeorm';

/** numeric(20,0) ⇄ bigint: PostgreSQL hands numerics back as strings; we never pass through JS number. */
export const msatTransformer: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : value.toString(10)),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};

/** bigint columns (stream sequences, ids) ⇄ bigint. */
export const bigintTransformer = msatTransformer;
