// The one select of every form: searchable by typing the Chinese label or its pinyin initials,
// and empty until the clerk picks something (no option is ever chosen on the clerk's behalf).
import type { ReactNode } from 'react';
import { Select, type SelectProps } from 'antd';
import { matchesTyped } from './pinyin';

type Props<V> = Omit<SelectProps<V>, 'showSearch' | 'filterOption' | 'optionFilterProp'>;

function labelText(label: ReactNode, fallback: unknown): string {
  return typeof label === 'string' || typeof label === 'number' ? String(label) : String(fallback ?? '');
}

// One object for every render: a new one each time the form re-renders (as the assessment
// beside the registration form answers) reset the search box under the clerk's typing.
const SEARCH = {
  filterOption: (typed: string, option?: { label?: ReactNode; value?: unknown }) =>
    matchesTyped(labelText(option?.label, option?.value), typed),
};

export function Choice<V = unknown>(props: Props<V>) {
  return <Select<V> placeholder="请选择或输入查找" notFoundContent="没有匹配的选项" {...props} showSearch={SEARCH} />;
}
