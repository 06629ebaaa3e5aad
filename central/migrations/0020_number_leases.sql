-- Document-number leases (issue #13, docs/central.md): each series (document type, year, issuer)
-- of an office hands out blocks of numbers to the office's devices.
CREATE TABLE number_series (
  id uuid PRIMARY KEY,
  office_id uuid NOT NULL REFERENCES offices(id),
  series text NOT NULL,
  year integer NOT NULL,
  issuer text NOT NULL,
  pattern text NOT NULL,
  block_size integer NOT NULL CHECK (block_size BETWEEN 1 AND 100000),
  -- A device is topped up when fewer numbers than this remain in its unused leases.
  low_water integer NOT NULL CHECK (low_water >= 0),
  -- The first number never leased yet; every allocation locks the row.
  next_no integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  UNIQUE (series, year, issuer),
  -- Two series with one pattern would format the same 文号.
  UNIQUE (year, pattern)
);

CREATE TABLE number_leases (
  id uuid PRIMARY KEY,
  series_id uuid NOT NULL REFERENCES number_series(id),
  -- null while a handed-back range waits to be leased again
  device_id uuid REFERENCES devices(id),
  first_no integer NOT NULL,
  last_no integer NOT NULL CHECK (last_no >= first_no),
  -- active: the device may use it; returned: numbers from returned_from on came back;
  -- voided: its device was revoked, nothing more from it is accepted (kept on record);
  -- free: a handed-back range not leased again yet.
  status text NOT NULL CHECK (status IN ('active', 'returned', 'voided', 'free')),
  -- The highest number the centre knows used + 1 (reported by the device or seen on a document).
  used_next integer NOT NULL,
  returned_from integer,
  -- For a free range: the device that handed it back (it is leased to another device first).
  returned_by uuid REFERENCES devices(id),
  leased_at timestamptz,
  returned_at timestamptz,
  voided_at timestamptz,
  key_id text,
  signature text,
  created_at timestamptz NOT NULL,
  CHECK ((status = 'free') = (device_id IS NULL))
);
CREATE INDEX number_leases_device ON number_leases(device_id, status);
CREATE INDEX number_leases_series ON number_leases(series_id, status, first_no);
