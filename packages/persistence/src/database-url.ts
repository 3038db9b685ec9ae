/** The database a namespace uses when DATABASE_URL is not set: its own, named after it. */
export function defaultDatabaseUrl(namespace: string): string {
  return `postgres://postgres@127.0.0.1:5432/${namespace}`;
}

/** The URL with its password hidden, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
