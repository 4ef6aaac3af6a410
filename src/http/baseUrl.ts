/** The address of this machine's server for a server listening on `host` (an address, or every one). */
export function localBaseUrl(host: string, port: number): string {
  const local = host === "::1" ? "[::1]" : host === "0.0.0.0" || host === "::" || host === "localhost" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${local}:${port}`;
}

/** Where people open chibo's pages: the public https address when there is one, else this machine. */
export function pagesBaseUrl(publicUrl: string | undefined, host: string, port: number): string {
  return publicUrl ? publicUrl.replace(/\/+$/, "") : localBaseUrl(host, port);
}
