// The platform list, shared by every form that picks a platform.
import { useRpcQuery } from '../../rpc';
import { platformName } from './platformName';

export function usePlatforms() {
  const q = useRpcQuery('platforms.list', {}, { staleTime: 60_000 });
  const platforms = q.data ?? [];
  return {
    platforms,
    options: platforms.filter((p) => p.active).map((p) => ({ value: p.code, label: p.name })),
    nameOf: (code: string | null | undefined) => platformName(q.data, code),
  };
}
