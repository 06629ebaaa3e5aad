// Masks for identifiers shown in lists and notices: enough to tell people apart, not enough
// to misuse.

export function maskIdNumber(id: string): string {
  return id.length >= 10 ? `${id.slice(0, 6)}********${id.slice(-4)}` : '****';
}

export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** A bank account as its last four digits: enough for the person to recognise their card. */
export function maskAccount(account: string): string {
  return `尾号${account.slice(-4)}`;
}
