// Masks for identifiers shown in lists and notices: enough to tell people apart, not enough
// to misuse.

export function maskIdNumber(id: string): string {
  return id.length >= 10 ? `${id.slice(0, 6)}********${id.slice(-4)}` : '****';
}

export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
