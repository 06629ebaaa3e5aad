// In-process publish/subscribe for the `subscribe` side of the RPC contract. Hosts forward
// these to the renderer (IPC in Electron, server-sent events in the web host).
import type { Topic, TopicPayload } from '../../shared/api/contract';

type Listener<T extends Topic> = (payload: TopicPayload[T]) => void;

export class EventBus {
  private listeners = new Map<Topic, Set<Listener<Topic>>>();

  subscribe<T extends Topic>(topic: T, fn: Listener<T>): () => void {
    let set = this.listeners.get(topic);
    if (!set) this.listeners.set(topic, (set = new Set()));
    set.add(fn as Listener<Topic>);
    return () => set.delete(fn as Listener<Topic>);
  }

  publish<T extends Topic>(topic: T, payload: TopicPayload[T]): void {
    for (const fn of this.listeners.get(topic) ?? []) {
      try {
        fn(payload);
      } catch {
        // A broken listener (a closed connection) must not stop the others.
      }
    }
  }
}
