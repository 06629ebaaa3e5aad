// Record ids are UUIDv7: unique across devices and sortable by creation time.
import { v7 } from 'uuid';

export function newId(): string {
  return v7();
}
