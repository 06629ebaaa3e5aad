// One schema step: plain SQL, applied once, in version order.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
