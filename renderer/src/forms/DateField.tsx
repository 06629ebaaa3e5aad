// The one date (and date-and-time) input of every form: antd's picker in Chinese, opened with
// the mouse or typed at the keyboard ("2026-11-30", "20261130", "2026/11/30", "2026年11月30日").
// The form keeps plain strings ("2026-11-30", "2026-11-30T08:30") as the contract and the
// registration draft do, so swapping this in changed no form's values.
import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useRef, useState, type CSSProperties } from 'react';

const DATE_FORMATS = ['YYYY-MM-DD', 'YYYYMMDD', 'YYYY/M/D', 'YYYY.M.D', 'YYYY年M月D日'];
const DATE_TIME_FORMATS = [
  'YYYY-MM-DD HH:mm',
  'YYYY-MM-DD[T]HH:mm',
  'YYYYMMDD HHmm',
  'YYYYMMDDHHmm',
  'YYYYMMDD HH:mm',
  'YYYY/M/D HH:mm',
  'YYYY年M月D日 HH:mm',
  'YYYY-MM-DD HH:mm:ss',
];
const STORED_DATE = 'YYYY-MM-DD';
const STORED_DATE_TIME = 'YYYY-MM-DDTHH:mm';

export interface DateFieldProps {
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  /** Date and time to the minute, stored as "YYYY-MM-DDTHH:mm". */
  withTime?: boolean;
  id?: string;
  disabled?: boolean;
  size?: 'small' | 'middle' | 'large';
  placeholder?: string;
  style?: CSSProperties;
  'aria-label'?: string;
  'data-testid'?: string;
}

function toDayjs(value: string | null | undefined): Dayjs | null {
  if (!value) return null;
  const d = dayjs(value);
  return d.isValid() ? d : null;
}

export function DateField({ value, onChange, withTime, placeholder, style, ...rest }: DateFieldProps) {
  const [open, setOpen] = useState(false);
  // Whether the last change came from the keyboard (typed into the box) or from the panel.
  const typed = useRef(false);
  const commit = (d: Dayjs | null) => {
    const next = d ? d.format(withTime ? STORED_DATE_TIME : STORED_DATE) : undefined;
    if (next !== (value ?? undefined)) onChange?.(next);
  };
  return (
    // Events from the panel reach here too (React portals bubble), so a click in it clears `typed`.
    <span
      onInputCapture={() => (typed.current = true)}
      onMouseDownCapture={() => (typed.current = false)}
      style={{ display: 'inline-block' }}
    >
      <DatePicker
        {...rest}
        open={open}
        onOpenChange={setOpen}
        value={toDayjs(value)}
        onChange={commit}
        // A date typed in full counts at once and the panel closes: the picker alone would keep
        // it only once its panel closed, and the open panel would cover the next field or button.
        onCalendarChange={(d) => {
          if (!d || Array.isArray(d)) return;
          commit(d as Dayjs);
          if (typed.current) setOpen(false);
        }}
        format={withTime ? DATE_TIME_FORMATS : DATE_FORMATS}
        showTime={withTime ? { format: 'HH:mm' } : false}
        needConfirm={false}
        placeholder={placeholder ?? (withTime ? '如 2026-11-30 08:30' : '如 2026-11-30')}
        style={{ width: withTime ? 200 : 160, ...style }}
      />
    </span>
  );
}

/** Today and now on this computer, as DateField stores them. */
export function localNow(): { date: string; minute: string } {
  const now = dayjs();
  return { date: now.format(STORED_DATE), minute: now.format(STORED_DATE_TIME) };
}

/** A form rule marking, on the field itself, a date or time later than now. */
export const notInFuture = (what: string) => ({
  validator: (_: unknown, v: string | undefined) =>
    v && v > (v.length > 10 ? localNow().minute : localNow().date)
      ? Promise.reject(new Error(`${what}晚于今天，请核对`))
      : Promise.resolve(),
});

/** A span of days for filters (from, to as "YYYY-MM-DD"), typed or picked like DateField. */
export function DateRangeField({
  value,
  onChange,
  size,
  'aria-label': ariaLabel,
}: {
  value: [string, string] | null;
  onChange: (value: [string, string] | null) => void;
  size?: 'small' | 'middle' | 'large';
  'aria-label'?: string;
}) {
  return (
    <DatePicker.RangePicker
      size={size}
      aria-label={ariaLabel}
      format={DATE_FORMATS}
      placeholder={['开始日期', '结束日期']}
      value={value ? [dayjs(value[0]), dayjs(value[1])] : null}
      onChange={(v) => onChange(v?.[0] && v[1] ? [v[0].format(STORED_DATE), v[1].format(STORED_DATE)] : null)}
      style={{ width: 240 }}
    />
  );
}
