/** `'A','B'` for CHECK constraints built from the policy's vocabulary. */
export const sqlList = (values: readonly string[]): string => values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',');
