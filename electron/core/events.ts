// In-process publish/subscribe for the `subscribe` side of the RPC contract. Hosts forward
// these to the renderer (IPC in Electron, server-sent events in the web host). An event meant
// for one sign-in session (a print job's progress, a lock) names it as its audience; a host
// that serves several sessions delivers it only to that session's listeners.
import type { Topic, TopicPayload } from '../../shared/api/contract';

export interface Audience {
  /** SHA-256 of the session token the event belongs to. */
  sessionTokenHash: string;
}

type Listener<T extends Topic> = (payload: TopicPayload[T], audience: Audience | null) => void;

export class EventBus {
  private listeners = new Map<Topic, Set<Listener<Topic>>>();

  subscribe<T extends Topic>(topic: T, fn: Listener<T>): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(fn as Listener<Topic>);
    return () => set.delete(fn as Listener<Topic>);
  }

  publish<T extends Topic>(topic: T, payload: TopicPayload[T], audience: Audience | null = null): void {
    for (const fn of this.listeners.get(topic) ?? []) {
      try {
        fn(payload, audience);
      } catch {
        // A broken listener (a closed connection) must not stop the others.
      }
    }
  }

  /** How many listeners a topic has (tests check that closed connections unsubscribe). */
  listenerCount(topic: Topic): number {
    return this.listeners.get(topic)?.size ?? 0;
  }
}
