// Turns an RPC error into what a form or a message shows.
import type { FormInstance } from 'antd';
import { ApiError } from '../../shared/api/errors';

export function errorMessage(e: unknown): string {
  return e instanceof ApiError || e instanceof Error ? e.message : '操作失败，请重试';
}

/** Puts field-level errors next to their inputs; returns the overall message. */
export function applyFieldErrors(form: FormInstance, e: unknown): string {
  if (e instanceof ApiError && e.fields) {
    const known = new Set(Object.keys(form.getFieldsValue(true) as object));
    form.setFields(
      e.fields
        .filter((f) => known.has(f.path.split('.')[0] ?? ''))
        .map((f) => ({ name: f.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [f.message] })),
    );
  }
  return errorMessage(e);
}
