// Which host runs the core: the desktop window, the browser host, the command line, or a test.
// The dispatcher checks handler outputs against the contract only under `test`.
export const HOST_KINDS = ['electron', 'web', 'cli', 'test'] as const;
export type HostKind = (typeof HOST_KINDS)[number];
