// The platform list, shared by every form that picks a platform.
import { useQuery } from '@tanstack/react-query';
import { invoke } from '../../transport';

export function usePlatforms() {
  const q = useQuery({ queryKey: ['platforms.list'], queryFn: () => invoke('platforms.list', {}), staleTime: 60_000 });
  const platforms = q.data ?? [];
  return {
    platforms,
    options: platforms.filter((p) => p.active).map((p) => ({ value: p.code, label: p.name })),
    nameOf: (code: string | null | undefined) => platforms.find((p) => p.code === code)?.name ?? code ?? '—',
  };
}
