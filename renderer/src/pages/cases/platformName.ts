// How a platform code reads on screen. The code is an internal key and never shown: until the
// platform list arrives the screen shows an ellipsis, and a code this computer does not know yet
// (the centre has not sent it) reads as an unregistered platform.
export function platformName(platforms: readonly { code: string; name: string }[] | undefined, code: string | null | undefined): string {
  if (!code) return '—';
  if (!platforms) return '…';
  return platforms.find((p) => p.code === code)?.name ?? '未登记的平台';
}
