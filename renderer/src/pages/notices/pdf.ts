// Opening and saving PDFs in the renderer: the same in Electron and in a browser (a blob URL
// in a new window, or a download).
export function pdfBlobUrl(base64: string): string {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
}

export function openPdf(base64: string): void {
  window.open(pdfBlobUrl(base64), '_blank', 'noopener');
}

export function downloadPdf(base64: string, filename: string): void {
  const a = document.createElement('a');
  a.href = pdfBlobUrl(base64);
  a.download = filename;
  a.click();
}

export async function fileToBase64(file: File): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let bin = '';
  for (let i = 0; i < buf.length; i += 0x8000) bin += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(bin);
}
