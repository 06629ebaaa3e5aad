// The renderer's one data path: typed hooks over the transport. Reads are TanStack queries keyed
// by [method, input]; changes are mutations. Nothing refreshes by hand: after any change the
// core publishes `data.changed`, and one subscription in the app (useLiveData) refetches the
// queries on screen, so a change made in another window (or, later, by sync) shows up here too.
// A mutation from this window also refreshes before it resolves, so the next step sees fresh data.
import { useEffect } from 'react';
import {
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
  type UseMutationOptions,
  type UseMutationResult,
  type UseQueryOptions,
  type UseQueryResult,
} from '@tanstack/react-query';
import type { ApiInput, ApiOutput, MethodName } from '../../shared/api/contract';
import type { ApiError } from '../../shared/api/errors';
import { invoke, subscribe } from './transport';

export type RpcKey<N extends MethodName> = readonly [N, ApiInput<N>];

/** The query key of a call: the method, then its input (so a method's queries share a prefix). */
export function rpcKey<N extends MethodName>(method: N, input: ApiInput<N>): RpcKey<N> {
  return [method, input];
}

type QueryOptions<N extends MethodName> = Omit<UseQueryOptions<ApiOutput<N>, ApiError, ApiOutput<N>, RpcKey<N>>, 'queryKey' | 'queryFn'>;

export function useRpcQuery<N extends MethodName>(
  method: N,
  input: ApiInput<N>,
  options?: QueryOptions<N>,
): UseQueryResult<ApiOutput<N>, ApiError> {
  return useQuery({ ...options, queryKey: rpcKey(method, input), queryFn: () => invoke(method, input) });
}

/** Fetches a call ahead of need (the next case's sheet while the current one is worked on). */
export function prefetchRpc<N extends MethodName>(qc: QueryClient, method: N, input: ApiInput<N>): Promise<void> {
  return qc.prefetchQuery({ queryKey: rpcKey(method, input), queryFn: () => invoke(method, input) });
}

type MutationOptions<N extends MethodName> = Omit<UseMutationOptions<ApiOutput<N>, ApiError, ApiInput<N>>, 'mutationFn'>;

export function useRpcMutation<N extends MethodName>(
  method: N,
  options?: MutationOptions<N>,
): UseMutationResult<ApiOutput<N>, ApiError, ApiInput<N>> {
  const qc = useQueryClient();
  return useMutation({
    ...options,
    mutationFn: (input) => invoke(method, input),
    onSuccess: async (...args) => {
      await refreshAll(qc);
      await options?.onSuccess?.(...args);
    },
  });
}

const refreshers = new WeakMap<QueryClient, () => Promise<void>>();

/**
 * Marks every query stale and refetches those on screen. Events arrive in bursts (an import, a
 * batch): while one refresh runs, further ones fold into a single follow-up, which still runs
 * so that nothing committed after the running refetch started is missed.
 */
export function refreshAll(qc: QueryClient): Promise<void> {
  let refresh = refreshers.get(qc);
  if (!refresh) {
    let running: Promise<void> | null = null;
    let again: Promise<void> | null = null;
    const run = (): Promise<void> => (running = qc.invalidateQueries().finally(() => (running = null)));
    refresh = () => {
      if (!running) return run();
      again ??= running.then(() => {
        again = null;
        return run();
      });
      return again;
    };
    refreshers.set(qc, refresh);
  }
  return refresh();
}

/**
 * The one subscription to `data.changed`, while a person is signed in and the window unlocked.
 * Coming back (sign-in, unlock) refreshes once, for whatever changed in the meantime; while
 * locked nothing is fetched (every call would be refused as locked).
 */
export function useLiveData(active: boolean): void {
  const qc = useQueryClient();
  useEffect(() => {
    if (!active) return;
    void refreshAll(qc);
    return subscribe('data.changed', () => void refreshAll(qc));
  }, [qc, active]);
}
